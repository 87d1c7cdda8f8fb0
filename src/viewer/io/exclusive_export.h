#pragma once
// Numbered exports that never overwrite: stylized_output_0001.png, screenshot_0001.png, ...
// The writing itself is the core's nt::write_new_file (imageio/atomic_file.h): complete in a
// hidden temporary first, then linked to the first free name, never replacing a file.
#include <filesystem>
#include <string>

#include "image/image.h"

namespace nt::viewer {

// "<prefix>_<NNNN><extension>" (at least 4 digits).
std::string numbered_name(const std::string& prefix, int number, const std::string& extension = ".png");

// One more than the highest number already used in `dir` for this prefix and extension (1 when none).
int next_free_number(const std::filesystem::path& dir, const std::string& prefix,
                     const std::string& extension = ".png");

// Saves `image` as PNG under the next free numbered name in `dir` and returns its path.
// Throws nt::Error naming the folder on failure; nothing is left behind then.
std::filesystem::path save_numbered_png(const Image& image, const std::filesystem::path& dir,
                                        const std::string& prefix);

}  // namespace nt::viewer
