#pragma once
// Fills a torch::nn::Module's parameters and buffers from a .safetensors file whose keys are the
// module's state_dict names (the names PyTorch writes, so converted checkpoints load as they are).
#include <filesystem>
#include <string>
#include <vector>

#include <torch/nn/module.h>

#include "nets/safetensors.h"

namespace nt {

// Copies every parameter and buffer of `module` from `file` (converted to the module's dtype).
// Throws nt::Error naming `name` for missing or unexpected keys (check_keys), a shape mismatch
// ("conv1.conv2d.weight: shape [32, 3, 9, 9] expected, file has [32, 3, 3, 3]"), a non-float
// dtype, or non-finite values. The module is untouched when it throws.
void load_weights(torch::nn::Module& module, const SafetensorsFile& file, const std::string& name);

// A network of type `Holder` (a TORCH_MODULE holder such as TransformerNet) with the weights of
// the .safetensors file at `path`, in eval mode on the CPU. Throws nt::Error naming the file.
template <class Holder>
Holder load_network(const std::filesystem::path& path) {
    Holder net;
    load_weights(*net, read_safetensors(path), path.string());
    net->eval();
    return net;
}

// "[32, 3, 9, 9]": a shape as the error messages of the nets show it.
std::string shape_text(at::IntArrayRef sizes);

// The names load_weights expects: every defined parameter, then every defined buffer, recursing,
// in registration order (PyTorch's state_dict keys; undefined placeholders are left out).
std::vector<std::string> state_dict_keys(const torch::nn::Module& module);

}  // namespace nt
