#pragma once
// Where the bundled pictures (assets/content.jpg, assets/style.jpg) are: next to the build
// (build/bin/../../assets) or, as a fallback, the source tree's assets folder recorded at
// compile time.
#include <filesystem>

namespace nt::viewer {

// The folder of the running executable (from /proc/self/exe); empty if unknown.
std::filesystem::path executable_dir();

// The first of the candidates holding both content.jpg and style.jpg; empty when none does.
std::filesystem::path find_bundled_assets(const std::filesystem::path& exe_dir,
                                          const std::filesystem::path& compiled_in_dir);

}  // namespace nt::viewer
