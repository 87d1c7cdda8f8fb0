#pragma once
// Reader and writer for .safetensors weight files (https://github.com/huggingface/safetensors):
// an 8-byte little-endian header length N, N bytes of JSON describing each tensor's dtype, shape
// and byte range, then the raw little-endian tensor data. Written by hand (no Rust library in
// Debian) and hardened: every malformed input becomes an nt::Error naming the file, and nothing
// is allocated for tensor data before the whole header has been validated against the file size.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <ATen/ATen.h>

namespace nt {

struct SafetensorsFile {
    std::map<std::string, at::Tensor> tensors;    // CPU tensors owning their memory, dtype as stored
    std::map<std::string, std::string> metadata;  // the optional "__metadata__" object
};

// Largest header accepted: real files have headers of a few hundred KB at most.
inline constexpr std::uint64_t kMaxSafetensorsHeaderBytes = 100'000'000;

// Reads and parses `path`; throws nt::Error naming it on any problem (see parse_safetensors).
SafetensorsFile read_safetensors(const std::filesystem::path& path);

// Parses an in-memory file; `name` is the subject of every error message. Gaps between tensors'
// byte ranges (and trailing bytes) are allowed, overlaps are not.
SafetensorsFile parse_safetensors(const std::uint8_t* data, std::size_t size, const std::string& name);

// Throws nt::Error naming `name` when the file's tensor names differ from `expected`, listing a
// few of the missing and of the unexpected names.
void check_keys(const SafetensorsFile& file, const std::set<std::string>& expected, const std::string& name);

// Serializes tensors (any device, any layout: they are copied to contiguous CPU memory) in the
// reference layout: keys sorted, data packed in key order, header padded with spaces to 8 bytes.
// Throws nt::Error for a dtype the format lacks or a name/metadata that is not valid UTF-8.
std::vector<std::uint8_t> write_safetensors(const std::map<std::string, at::Tensor>& tensors,
                                            const std::map<std::string, std::string>& metadata = {});

// write_safetensors, saved with nt::write_file_atomically (readers never see a partial file).
void save_safetensors(const std::filesystem::path& path, const std::map<std::string, at::Tensor>& tensors,
                      const std::map<std::string, std::string>& metadata = {});

}  // namespace nt
