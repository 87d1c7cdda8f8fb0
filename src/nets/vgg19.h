#pragma once
// VGG-19's convolutional part (up to relu5_1) for Gatys et al.'s neural style, in the three
// layouts of the weight files users have, with their state_dict names so converted checkpoints
// load as they are:
//   torchvision  vgg19-dcbb9e9d.pth: "features.N.weight/bias", zero padding, floor pooling;
//                input RGB 0..1 normalised by ImageNet mean/std.
//   caffe        the Caffe conversion vgg19-d01eb7cb.pth (neural-style-pt): the same keys and
//                layers; input BGR 0..255 minus the Caffe mean (103.939, 116.779, 123.68).
//   normalised   AdaIN's vgg_normalised.pth (Gatys' normalised VGG): "N.weight" for N = 0, 2, 5,
//                9, ... 42; a leading 1x1 conv that does the preprocessing (input RGB 0..1),
//                reflection padding, ceil-mode pooling.
// The network takes pictures in its *pixel space*: RGB 0..255 for caffe, RGB 0..1 otherwise, and
// applies the rest of its preprocessing itself, so an optimiser works on the same variable as
// neural-style-pt (caffe) or the PyTorch tutorial (torchvision).
#include <filesystem>
#include <string>
#include <vector>

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/pimpl.h>

#include "base/cancel.h"
#include "nets/safetensors.h"

namespace nt {

enum class VggLayout { Torchvision, Caffe, Normalised };

// "torchvision", "caffe", "normalised"; parse throws nt::Error naming `subject`.
const char* vgg_layout_name(VggLayout layout);
VggLayout parse_vgg_layout(const std::string& text, const std::string& subject);

// The ReLU layers by name: relu1_1, relu1_2, relu2_1, ... relu5_1 (17 in all, in order).
const std::vector<std::string>& vgg_relu_names();
// Index into vgg_relu_names(); throws nt::Error listing the names.
int vgg_relu_index(const std::string& name);

class Vgg19FeaturesImpl : public torch::nn::Module {
public:
    explicit Vgg19FeaturesImpl(VggLayout layout);
    VggLayout layout() const { return layout_; }
    // 255 for caffe (its pixel space is 0..255), else 1.
    double pixel_scale() const { return layout_ == VggLayout::Caffe ? 255.0 : 1.0; }

    // x: [1, 3, H, W] in the pixel space. Returns the activations of the ReLU layers `relus`
    // (indices into vgg_relu_names(), any order; each listed once per index asked), running the
    // network only as deep as the deepest of them. Checks `cancel` before every layer.
    std::vector<at::Tensor> forward(const at::Tensor& x, const std::vector<int>& relus,
                                    const CancelToken& cancel = CancelToken());

private:
    at::Tensor preprocess(const at::Tensor& x) const;
    VggLayout layout_;
    torch::nn::Sequential layers_{nullptr};
    std::vector<int> relu_positions_;  // the index in layers_ of each ReLU, by relu index
};
TORCH_MODULE(Vgg19Features);

// The layout a converted file holds: "features.N" keys need the file's "preprocessing" metadata
// (torchvision or caffe, written by tools/convert_weights.py vgg19); "N" keys are the normalised
// network. Throws nt::Error naming `name` otherwise.
VggLayout detect_vgg_layout(const SafetensorsFile& file, const std::string& name);

// The network of a converted file, eval mode, CPU, parameters frozen. The file may hold more
// layers than relu5_1 (they are ignored) but not fewer: a file cut before relu5_1 is refused
// with what to do. Throws nt::Error naming the file.
Vgg19Features load_vgg19(const std::filesystem::path& path);

}  // namespace nt
