#include "support/tiny_models.h"

#include <ATen/ATen.h>
#include <torch/csrc/jit/api/module.h>
#include <torch/nn/module.h>

#include <cmath>
#include <fstream>
#include <map>

#include "nets/adain_net.h"
#include "nets/transformer_net.h"
#include "nets/vgg19.h"
#include "nets/safetensors.h"

namespace nt::test {

namespace fs = std::filesystem;

namespace {

// The module's state_dict, as PyTorch names it.
std::map<std::string, at::Tensor> state_of(const torch::nn::Module& module) {
    std::map<std::string, at::Tensor> tensors;
    for (const auto& p : module.named_parameters()) tensors[p.key()] = p.value().detach();
    for (const auto& b : module.named_buffers()) tensors[b.key()] = b.value().detach();
    return tensors;
}

// InstanceNorm's affine parameters start at 1 and 0; random ones make the test see them.
void randomize_norms(torch::nn::Module& module) {
    at::NoGradGuard no_grad;
    for (auto& p : module.named_parameters()) {
        const std::string& key = p.key();
        if (key.find(".in") == std::string::npos && key.rfind("in", 0) != 0) continue;
        if (key.size() > 7 && key.compare(key.size() - 7, 7, ".weight") == 0) p.value().uniform_(0.5, 1.5);
        else p.value().uniform_(-0.2, 0.2);
    }
}

// He initialisation (normal, fan-in, ReLU gain) and small biases: activations keep their spread
// through the 10 layers of VGG and decoder (PyTorch's default initialisation shrinks them about
// threefold per layer, leaving a constant output).
void he_init(torch::nn::Module& module) {
    at::NoGradGuard no_grad;
    for (auto& p : module.named_parameters()) {
        at::Tensor t = p.value();
        if (t.dim() == 4) t.normal_(0.0, std::sqrt(2.0 / double(t.size(1) * t.size(2) * t.size(3))));
        else t.uniform_(-0.01, 0.01);
    }
}

}  // namespace

fs::path write_random_fast_style(const fs::path& models_dir, const std::string& name, std::uint64_t seed) {
    at::manual_seed(seed);
    TransformerNet net;
    he_init(*net);
    randomize_norms(*net);
    {
        // Scale the last convolution so a typical picture comes out at 128 +- 40 (0..255 units):
        // visible, unclamped values for the tests and the screenshots.
        at::NoGradGuard no_grad;
        const at::Tensor out = net->forward(at::rand({1, 3, 64, 64}) * 255.0);
        auto params = net->named_parameters();
        at::Tensor w = params["deconv3.conv2d.weight"], b = params["deconv3.conv2d.bias"];
        const at::Tensor mean = out.mean({0, 2, 3});
        const double k = 40.0 / (out - mean.view({1, 3, 1, 1})).std().item<double>();
        w.mul_(k);
        b.copy_(128.0 + k * (b - mean));
    }
    fs::create_directories(models_dir / "fast_style");
    const fs::path path = models_dir / "fast_style" / (name + ".safetensors");
    save_safetensors(path, state_of(*net));
    return path;
}

void write_random_adain(const fs::path& models_dir, std::uint64_t seed) {
    at::manual_seed(seed);
    VggEncoder encoder;
    AdainDecoder decoder;
    he_init(*encoder);
    he_init(*decoder);
    {
        // Rescale the last convolution so a typical picture decodes to mid-grey with a spread of
        // about 0.15: inside 0..1, so tests compare values, not clamped constants.
        at::NoGradGuard no_grad;
        const at::Tensor out = decoder->forward(encoder->forward(at::rand({1, 3, 64, 64})));
        auto params = decoder->named_parameters();
        at::Tensor w = params["28.weight"], b = params["28.bias"];
        const at::Tensor mean = out.mean({0, 2, 3});  // per channel
        const double k = 0.15 / (out - mean.view({1, 3, 1, 1})).std().item<double>();
        w.mul_(k);
        b.copy_(0.5 + k * (b - mean));
    }
    fs::create_directories(models_dir / "adain");
    save_safetensors(models_dir / "adain" / "vgg_encoder.safetensors", state_of(*encoder));
    save_safetensors(models_dir / "adain" / "decoder.safetensors", state_of(*decoder));
}

fs::path write_random_vgg19(const fs::path& models_dir, const std::string& name, const std::string& layout,
                            std::uint64_t seed) {
    at::manual_seed(seed);
    Vgg19Features net(parse_vgg_layout(layout, "write_random_vgg19"));
    he_init(*net);
    fs::create_directories(models_dir / "vgg19");
    const fs::path path = models_dir / "vgg19" / (name + ".safetensors");
    std::map<std::string, std::string> metadata;
    if (layout != "normalised") metadata["preprocessing"] = layout;
    save_safetensors(path, state_of(*net), metadata);
    return path;
}

fs::path write_tiny_segmentation(const fs::path& models_dir, const std::string& name,
                                 const std::vector<std::string>& classes) {
    const fs::path folder = models_dir / "segmentation";
    fs::create_directories(folder);
    std::string channels;
    for (std::size_t i = 0; i < classes.size(); ++i) {
        const std::string c = std::to_string(i % 3);
        channels += (i ? ", " : "") + std::string("x[:, ") + c + ":" + std::to_string(i % 3 + 1) + "]";
    }
    torch::jit::Module module("TinySegmentation");
    module.define("def forward(self, x):\n    return torch.cat([" + channels + "], 1) * 4.0\n");
    const fs::path path = folder / (name + ".pt");
    module.save(path.string());
    std::ofstream sidecar(folder / (name + ".json"));
    sidecar << "{\"classes\": [";
    for (std::size_t i = 0; i < classes.size(); ++i) sidecar << (i ? ", " : "") << '"' << classes[i] << '"';
    sidecar << "], \"input_range\": [0, 1]}\n";
    return path;
}

}  // namespace nt::test
