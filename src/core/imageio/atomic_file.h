#pragma once
// Atomic file replacement: the bytes go to a temporary file in the destination's folder, are
// flushed to disk, and the temporary is renamed over the destination. A failure at any step
// removes the temporary, so readers only ever see the old file or the complete new one.
#include <cstdint>
#include <filesystem>
#include <vector>

namespace nt {

// Throws nt::Error naming `path` when the folder is missing or not writable, the disk is full, ...
void write_file_atomically(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes);

}  // namespace nt
