#pragma once
// Models with random weights, written where scan_models() looks (nets/model_library.h), so
// the CLI, viewer and pipeline tests run the real networks without any downloaded file.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace nt::test {

// models_dir/fast_style/<name>.safetensors: a TransformerNet with random weights from `seed`.
std::filesystem::path write_random_fast_style(const std::filesystem::path& models_dir, const std::string& name,
                                              std::uint64_t seed);

// models_dir/adain/vgg_encoder.safetensors and decoder.safetensors with random weights.
void write_random_adain(const std::filesystem::path& models_dir, std::uint64_t seed);

// models_dir/vgg19/<name>.safetensors: a VGG-19 up to relu5_1 in `layout` ("torchvision", "caffe"
// or "normalised", nets/vgg19.h) with random He-initialised weights, as
// tools/convert_weights.py vgg19 writes it (with its preprocessing in the metadata).
std::filesystem::path write_random_vgg19(const std::filesystem::path& models_dir, const std::string& name,
                                         const std::string& layout, std::uint64_t seed);

// models_dir/segmentation/<name>.pt + <name>.json: a TorchScript module without weights whose
// logits for class i are 4 times colour channel i % 3 (so red, green and blue regions are told
// apart), with a sidecar naming `classes`; written from C++ (no PyTorch needed).
std::filesystem::path write_tiny_segmentation(const std::filesystem::path& models_dir, const std::string& name,
                                              const std::vector<std::string>& classes);

}  // namespace nt::test
