#include "core/imageio/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include "core/error.h"

namespace nt {

namespace fs = std::filesystem;

namespace {

std::string errno_text() { return std::strerror(errno); }

// Permissions a plain open(O_CREAT, 0666) would give, since mkstemp creates files 0600.
mode_t default_file_mode() {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    return 0666 & ~mask;
}

bool write_all(int fd, const std::uint8_t* data, std::size_t size) {
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace

void write_file_atomically(const fs::path& path, const std::vector<std::uint8_t>& bytes) {
    const std::string name = path.string();
    if (path.filename().empty()) throw Error(name, "output path names a folder, not a file");

    std::error_code ec;
    if (fs::is_directory(path, ec)) throw Error(name, "output path is an existing folder");

    const fs::path folder = path.has_parent_path() ? path.parent_path() : fs::path(".");
    const fs::file_status folder_status = fs::status(folder, ec);
    if (!fs::exists(folder_status)) throw Error(name, "output folder " + folder.string() + " does not exist");
    if (!fs::is_directory(folder_status)) throw Error(name, folder.string() + " is not a folder");

    // Keep an existing file's permissions; otherwise those of a normally created file.
    mode_t mode = default_file_mode();
    struct stat existing {};
    if (::stat(name.c_str(), &existing) == 0) mode = existing.st_mode & 07777;

    std::string temp = (folder / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
    const int fd = ::mkstemp(temp.data());
    if (fd < 0) throw Error(name, "cannot write to folder " + folder.string() + ": " + errno_text());

    auto fail = [&](const std::string& what) {
        const std::string reason = what + ": " + errno_text();
        ::close(fd);
        ::unlink(temp.c_str());
        throw Error(name, reason);
    };
    if (!write_all(fd, bytes.data(), bytes.size())) fail("write failed");
    if (::fchmod(fd, mode) != 0) fail("cannot set permissions");
    if (::fsync(fd) != 0) fail("flush to disk failed");
    if (::close(fd) != 0) {
        const std::string reason = "close failed: " + errno_text();
        ::unlink(temp.c_str());
        throw Error(name, reason);
    }
    if (::rename(temp.c_str(), name.c_str()) != 0) {
        const std::string reason = "cannot replace file: " + errno_text();
        ::unlink(temp.c_str());
        throw Error(name, reason);
    }
}

}  // namespace nt
