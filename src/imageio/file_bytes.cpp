#include "imageio/file_bytes.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "base/error.h"
#include "base/limits.h"

namespace nt {

namespace fs = std::filesystem;

std::vector<std::uint8_t> read_file_bytes(const fs::path& path) {
    const std::string name = path.string();
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status)) throw Error(name, "no such file");
    if (fs::is_directory(status)) throw Error(name, "is a folder, not a file");
    if (!fs::is_regular_file(status)) throw Error(name, "is not a regular file (a device, pipe or socket)");

    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(name.c_str(), "rb"), &std::fclose);
    if (!file) throw Error(name, std::string("cannot open: ") + std::strerror(errno));

    // Size from the open handle, so a file that changes between stat and open is still handled.
    if (std::fseek(file.get(), 0, SEEK_END) != 0) throw Error(name, "cannot seek in file");
    const long size = std::ftell(file.get());
    if (size < 0) throw Error(name, "cannot determine file size");
    if (size == 0) throw Error(name, "file is empty");
    if (size > kMaxFileBytes)
        throw Error(name, "file is larger than the limit of " + std::to_string(kMaxFileBytes >> 20) + " MiB");
    std::rewind(file.get());

    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
    if (std::fread(bytes.data(), 1, bytes.size(), file.get()) != bytes.size())
        throw Error(name, "read error: " + std::string(std::strerror(errno)));
    return bytes;
}

}  // namespace nt
