#pragma once
// Models with random weights, written where scan_models() looks (core/nets/model_library.h), so
// the CLI, viewer and pipeline tests run the real networks without any downloaded file.
#include <cstdint>
#include <filesystem>
#include <string>

namespace nt::test {

// models_dir/fast_style/<name>.safetensors: a TransformerNet with random weights from `seed`.
std::filesystem::path write_random_fast_style(const std::filesystem::path& models_dir, const std::string& name,
                                              std::uint64_t seed);

// models_dir/adain/vgg_encoder.safetensors and decoder.safetensors with random weights.
void write_random_adain(const std::filesystem::path& models_dir, std::uint64_t seed);

}  // namespace nt::test
