#pragma once
// Numbered exports that never overwrite: stylized_output_0001.png, screenshot_0001.png, ...
// The picture is encoded and written completely to a hidden temporary file first and then
// hard-linked to the chosen name: link() fails with EEXIST instead of replacing, so even a
// second viewer (or any program) creating the same name at the same moment cannot be clobbered,
// and a reader never sees a half-written file. Filesystems without hard links fall back to
// reserving the name with O_CREAT|O_EXCL and renaming the finished temporary over the
// reservation (still exclusive; a crash in between could leave an empty reserved file).
#include <filesystem>
#include <string>

#include "core/image.h"

namespace nt::viewer {

// "<prefix>_<NNNN>.png" (at least 4 digits).
std::string numbered_name(const std::string& prefix, int number);

// One more than the highest number already used in `dir` for this prefix (1 when none).
int next_free_number(const std::filesystem::path& dir, const std::string& prefix);

// Saves `image` as PNG under the next free numbered name in `dir` and returns its path.
// Throws nt::Error naming the folder on failure; nothing is left behind then.
std::filesystem::path save_numbered_png(const Image& image, const std::filesystem::path& dir,
                                        const std::string& prefix);

}  // namespace nt::viewer
