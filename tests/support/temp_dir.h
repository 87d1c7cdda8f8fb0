#pragma once
// A fresh folder under the system temp folder, removed with everything in it at scope exit.
#include <filesystem>
#include <string>
#include <vector>

namespace nt::test {

class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

// Names of the entries in a folder, sorted (to check that nothing stray, like a temp file, is left).
std::vector<std::string> folder_entries(const std::filesystem::path& folder);

}  // namespace nt::test
