#pragma once
// Reads a whole input file into memory, turning every way that can go wrong into an nt::Error
// that names the file: missing, a folder, unreadable, empty, larger than kMaxFileBytes.
#include <cstdint>
#include <filesystem>
#include <vector>

namespace nt {

std::vector<std::uint8_t> read_file_bytes(const std::filesystem::path& path);

}  // namespace nt
