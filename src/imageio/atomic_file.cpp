#include "imageio/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include "base/error.h"

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

// Writes the complete file to a new hidden temporary in `folder` (permissions `mode`), flushed to
// disk; returns its path. Errors name `subject`; a failure leaves no temporary behind.
std::string write_temporary(const fs::path& folder, const std::string& stem, const std::vector<std::uint8_t>& bytes,
                            mode_t mode, const std::string& subject) {
    std::string temp = (folder / ("." + stem + ".tmp-XXXXXX")).string();
    const int fd = ::mkstemp(temp.data());
    if (fd < 0) throw Error(subject, "cannot write to folder " + folder.string() + ": " + errno_text());
    auto fail = [&](const std::string& what) {
        const std::string reason = what + ": " + errno_text();
        ::close(fd);
        ::unlink(temp.c_str());
        throw Error(subject, reason);
    };
    if (!write_all(fd, bytes.data(), bytes.size())) fail("write failed");
    if (::fchmod(fd, mode) != 0) fail("cannot set permissions");
    if (::fsync(fd) != 0) fail("flush to disk failed");
    if (::close(fd) != 0) {
        const std::string reason = "close failed: " + errno_text();
        ::unlink(temp.c_str());
        throw Error(subject, reason);
    }
    return temp;
}

bool hard_links_unsupported(int err) { return err == EPERM || err == ENOTSUP || err == EOPNOTSUPP || err == EXDEV; }

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

    const std::string temp = write_temporary(folder, path.filename().string(), bytes, mode, name);
    if (::rename(temp.c_str(), name.c_str()) != 0) {
        const std::string reason = "cannot replace file: " + errno_text();
        ::unlink(temp.c_str());
        throw Error(name, reason);
    }
}

fs::path write_new_file(const fs::path& folder_in, const std::function<std::string(int)>& name_for, int first,
                        const std::vector<std::uint8_t>& bytes) {
    const fs::path folder = folder_in.empty() ? fs::path(".") : folder_in;
    const std::string subject = folder.string();
    const std::string temp = write_temporary(folder, name_for(first), bytes, default_file_mode(), subject);
    // A bounded number of attempts: each EEXIST means that name is taken (perhaps just now).
    int number = first;
    for (int attempt = 0; attempt < 10000; ++attempt, ++number) {
        const fs::path target = folder / name_for(number);
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
    throw Error(subject, "cannot save a new file " + name_for(number) + ": " + why);
}

bool same_file(const std::filesystem::path& a, const std::filesystem::path& b) {
    std::error_code ec;
    if (std::filesystem::exists(a, ec) && std::filesystem::exists(b, ec)) {
        const bool same = std::filesystem::equivalent(a, b, ec);
        if (!ec) return same;
    }
    return std::filesystem::weakly_canonical(a, ec) == std::filesystem::weakly_canonical(b, ec);
}

}  // namespace nt
