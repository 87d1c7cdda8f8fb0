#pragma once
// Atomic file replacement: the bytes go to a temporary file in the destination's folder, are
// flushed to disk, and the temporary is renamed over the destination. A failure at any step
// removes the temporary, so readers only ever see the old file or the complete new one.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace nt {

// Throws nt::Error naming `path` when the folder is missing or not writable, the disk is full, ...
void write_file_atomically(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes);

// Writes `bytes` under a name that did not exist, never replacing a file: the complete file goes
// to a hidden temporary in `folder`, which is then hard-linked to name_for(first), name_for(first
// + 1), ... until a link succeeds (link() fails with EEXIST rather than replace, so even another
// program creating the same name at the same moment cannot be clobbered). Filesystems without
// hard links fall back to reserving the name with O_CREAT | O_EXCL and renaming the temporary over
// the reservation. Returns the path used; throws nt::Error naming the folder, leaving nothing.
std::filesystem::path write_new_file(const std::filesystem::path& folder,
                                     const std::function<std::string(int)>& name_for, int first,
                                     const std::vector<std::uint8_t>& bytes);

// Whether two paths name the same file: the same inode when both exist, else the same normalised
// path. Writers use it to refuse replacing one of their input pictures with a result.
bool same_file(const std::filesystem::path& a, const std::filesystem::path& b);

}  // namespace nt
