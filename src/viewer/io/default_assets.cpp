#include "viewer/io/default_assets.h"

namespace nt::viewer {

std::filesystem::path executable_dir() {
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::filesystem::path() : exe.parent_path();
}

std::filesystem::path find_bundled_assets(const std::filesystem::path& exe_dir,
                                          const std::filesystem::path& compiled_in_dir) {
    std::error_code ec;
    for (const std::filesystem::path& dir :
         {exe_dir / ".." / ".." / "assets", exe_dir / ".." / "share" / "neuraltransfer" / "assets", compiled_in_dir}) {
        if (dir.empty()) continue;
        if (std::filesystem::is_regular_file(dir / "content.jpg", ec) &&
            std::filesystem::is_regular_file(dir / "style.jpg", ec))
            return std::filesystem::weakly_canonical(dir, ec);
    }
    return {};
}

}  // namespace nt::viewer
