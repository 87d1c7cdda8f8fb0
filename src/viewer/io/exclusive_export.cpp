#include "viewer/io/exclusive_export.h"

#include <algorithm>
#include <cstdio>

#include "imageio/atomic_file.h"
#include "imageio/save_image.h"

namespace nt::viewer {

std::string numbered_name(const std::string& prefix, int number, const std::string& extension) {
    char digits[16];
    std::snprintf(digits, sizeof digits, "%04d", number);
    return prefix + "_" + digits + extension;
}

int next_free_number(const std::filesystem::path& dir, const std::string& prefix, const std::string& extension) {
    int highest = 0;
    std::error_code ec;
    const std::string head = prefix + "_";
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        const std::size_t tail = extension.size();
        if (name.rfind(head, 0) != 0 || name.size() <= head.size() + tail ||
            name.substr(name.size() - tail) != extension)
            continue;
        const std::string digits = name.substr(head.size(), name.size() - head.size() - tail);
        if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos)
            continue;
        highest = std::max(highest, std::stoi(digits));
    }
    return highest + 1;
}

std::filesystem::path save_numbered_png(const Image& image, const std::filesystem::path& dir,
                                        const std::string& prefix) {
    const std::filesystem::path folder = dir.empty() ? std::filesystem::path(".") : dir;
    return write_new_file(
        folder, [&](int number) { return numbered_name(prefix, number); }, next_free_number(folder, prefix),
        encode_image(image, ImageFormat::Png));
}

}  // namespace nt::viewer
