#include "viewer/exclusive_export.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "core/error.h"
#include "core/imageio/save_image.h"

namespace nt::viewer {

namespace {

std::string errno_text() { return std::strerror(errno); }

// Writes all bytes to a new hidden temporary in `dir` and flushes it to disk; returns its path.
std::filesystem::path write_temporary(const std::filesystem::path& dir, const std::string& prefix,
                                      const std::vector<std::uint8_t>& bytes) {
    std::string pattern = (dir / ("." + prefix + "_XXXXXX.tmp")).string();
    const int fd = mkstemps(pattern.data(), 4);
    if (fd < 0) throw Error(dir.string(), "cannot create a file here: " + errno_text());
    // mkstemps creates 0600; exports should get the usual permissions for new files.
    const mode_t mask = ::umask(0);
    ::umask(mask);
    ::fchmod(fd, 0666 & ~mask);
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const std::string why = errno_text();
            ::close(fd);
            ::unlink(pattern.c_str());
            throw Error(pattern, "write failed: " + why);
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        const std::string why = errno_text();
        ::unlink(pattern.c_str());
        throw Error(pattern, "write failed: " + why);
    }
    return pattern;
}

bool hard_links_unsupported(int err) { return err == EPERM || err == ENOTSUP || err == EOPNOTSUPP || err == EXDEV; }

}  // namespace

std::string numbered_name(const std::string& prefix, int number) {
    char digits[16];
    std::snprintf(digits, sizeof digits, "%04d", number);
    return prefix + "_" + digits + ".png";
}

int next_free_number(const std::filesystem::path& dir, const std::string& prefix) {
    int highest = 0;
    std::error_code ec;
    const std::string head = prefix + "_";
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.rfind(head, 0) != 0 || name.size() <= head.size() + 4 || name.substr(name.size() - 4) != ".png")
            continue;
        const std::string digits = name.substr(head.size(), name.size() - head.size() - 4);
        if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos)
            continue;
        highest = std::max(highest, std::stoi(digits));
    }
    return highest + 1;
}

std::filesystem::path save_numbered_png(const Image& image, const std::filesystem::path& dir,
                                        const std::string& prefix) {
    const std::filesystem::path folder = dir.empty() ? std::filesystem::path(".") : dir;
    const std::filesystem::path temp = write_temporary(folder, prefix, encode_image(image, ImageFormat::Png));
    int number = next_free_number(folder, prefix);
    // A bounded number of attempts: each EEXIST means someone else took that name meanwhile.
    for (int attempt = 0; attempt < 10000; ++attempt, ++number) {
        const std::filesystem::path target = folder / numbered_name(prefix, number);
        if (::link(temp.c_str(), target.c_str()) == 0) {
            ::unlink(temp.c_str());
            return target;
        }
        if (errno == EEXIST) continue;
        if (!hard_links_unsupported(errno)) break;
        const int fd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd < 0 && errno == EEXIST) continue;
        if (fd < 0) break;
        ::close(fd);
        if (::rename(temp.c_str(), target.c_str()) == 0) return target;
        ::unlink(target.c_str());
        break;
    }
    const std::string why = errno_text();
    ::unlink(temp.c_str());
    throw Error(folder.string(), "cannot save " + prefix + "_NNNN.png: " + why);
}

}  // namespace nt::viewer
