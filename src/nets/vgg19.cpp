#include "nets/vgg19.h"

#include <ATen/ATen.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/padding.h>
#include <torch/nn/modules/pooling.h>

#include <algorithm>
#include <regex>
#include <set>

#include "base/error.h"
#include "nets/load_weights.h"

namespace nt {

namespace {

// VGG-19 up to conv5_1: output channels of each conv, 0 for a 2x2 max pooling.
constexpr int kPlan[] = {64, 64, 0, 128, 128, 0, 256, 256, 256, 256, 0, 512, 512, 512, 512, 0, 512};

torch::nn::Conv2d conv(int in, int out, int kernel, int padding) {
    return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, kernel).padding(padding));
}

torch::nn::MaxPool2d pool(bool ceil) {
    return torch::nn::MaxPool2d(torch::nn::MaxPool2dOptions(2).stride(2).ceil_mode(ceil));
}

// The layers in the order (and so with the indices) of the layout's nn.Sequential; the position
// of each ReLU goes to `relus`.
torch::nn::Sequential build_layers(VggLayout layout, std::vector<int>& relus) {
    const bool normalised = layout == VggLayout::Normalised;
    torch::nn::Sequential seq;
    if (normalised) seq->push_back(conv(3, 3, 1, 0));  // the preprocessing conv
    int in = 3;
    for (int out : kPlan) {
        if (out == 0) {
            seq->push_back(pool(normalised));
            continue;
        }
        if (normalised) seq->push_back(torch::nn::ReflectionPad2d(torch::nn::ReflectionPad2dOptions(1)));
        seq->push_back(conv(in, out, 3, normalised ? 0 : 1));
        relus.push_back(int(seq->size()));
        seq->push_back(torch::nn::ReLU());
        in = out;
    }
    return seq;
}

}  // namespace

const char* vgg_layout_name(VggLayout layout) {
    switch (layout) {
        case VggLayout::Torchvision: return "torchvision";
        case VggLayout::Caffe: return "caffe";
        case VggLayout::Normalised: break;
    }
    return "normalised";
}

VggLayout parse_vgg_layout(const std::string& text, const std::string& subject) {
    for (VggLayout l : {VggLayout::Torchvision, VggLayout::Caffe, VggLayout::Normalised})
        if (text == vgg_layout_name(l)) return l;
    throw Error(subject, "unknown VGG preprocessing '" + text + "' (expected torchvision, caffe or normalised)");
}

const std::vector<std::string>& vgg_relu_names() {
    static const std::vector<std::string> names = {"relu1_1", "relu1_2", "relu2_1", "relu2_2", "relu3_1",
                                                   "relu3_2", "relu3_3", "relu3_4", "relu4_1", "relu4_2",
                                                   "relu4_3", "relu4_4", "relu5_1"};
    return names;
}

int vgg_relu_index(const std::string& name) {
    const auto& names = vgg_relu_names();
    const auto it = std::find(names.begin(), names.end(), name);
    if (it != names.end()) return int(it - names.begin());
    std::string known;
    for (const std::string& n : names) known += (known.empty() ? "" : ", ") + n;
    throw Error("layer " + name, "not a VGG-19 layer this network has (" + known + ")");
}

Vgg19FeaturesImpl::Vgg19FeaturesImpl(VggLayout layout) : layout_(layout) {
    layers_ = build_layers(layout, relu_positions_);
    if (layout == VggLayout::Normalised) {
        for (const auto& child : layers_->named_children()) register_module(child.key(), child.value());
    } else {
        register_module("features", layers_);
    }
}

at::Tensor Vgg19FeaturesImpl::preprocess(const at::Tensor& x) const {
    const at::TensorOptions opt = x.options();
    switch (layout_) {
        case VggLayout::Torchvision: {
            const at::Tensor mean = at::tensor({0.485, 0.456, 0.406}, opt).reshape({1, 3, 1, 1});
            const at::Tensor std = at::tensor({0.229, 0.224, 0.225}, opt).reshape({1, 3, 1, 1});
            return (x - mean) / std;
        }
        case VggLayout::Caffe: {
            const at::Tensor mean = at::tensor({103.939, 116.779, 123.68}, opt).reshape({1, 3, 1, 1});
            return x.flip({1}) - mean;  // RGB -> BGR
        }
        case VggLayout::Normalised: break;
    }
    return x;
}

std::vector<at::Tensor> Vgg19FeaturesImpl::forward(const at::Tensor& x, const std::vector<int>& relus,
                                                   const CancelToken& cancel) {
    if (x.dim() != 4 || x.size(1) != 3)
        throw Error("vgg19", "input must be [N, 3, H, W], got " + shape_text(x.sizes()));
    int deepest = -1;
    for (int r : relus) {
        if (r < 0 || r >= int(relu_positions_.size())) throw Error("vgg19", "no ReLU layer " + std::to_string(r));
        deepest = std::max(deepest, relu_positions_[std::size_t(r)]);
    }
    std::vector<at::Tensor> taps(relus.size());
    at::Tensor y = preprocess(x);
    int i = 0;
    for (auto layer = layers_->begin(); i <= deepest; ++layer, ++i) {
        cancel.check();
        y = layer->forward(y);
        for (std::size_t k = 0; k < relus.size(); ++k)
            if (relu_positions_[std::size_t(relus[k])] == i) taps[k] = y;
    }
    return taps;
}

VggLayout detect_vgg_layout(const SafetensorsFile& file, const std::string& name) {
    if (file.tensors.count("0.weight")) return VggLayout::Normalised;
    if (file.tensors.count("features.0.weight")) {
        const auto it = file.metadata.find("preprocessing");
        if (it == file.metadata.end())
            throw Error(name,
                        "a VGG-19 with torchvision keys but no 'preprocessing' in its metadata: convert it with "
                        "tools/convert_weights.py vgg19 --preprocessing torchvision|caffe (docs/MODELS.md)");
        const VggLayout layout = parse_vgg_layout(it->second, name);
        if (layout == VggLayout::Normalised) throw Error(name, "'normalised' preprocessing but torchvision key names");
        return layout;
    }
    throw Error(name, "not a VGG-19: neither 'features.0.weight' (torchvision, caffe) nor '0.weight' (normalised)");
}

Vgg19Features load_vgg19(const std::filesystem::path& path) {
    SafetensorsFile file = read_safetensors(path);
    const std::string name = path.string();
    Vgg19Features net(detect_vgg_layout(file, name));
    // Deeper layers and the classifier are not needed: keep the keys the network has.
    const std::vector<std::string> wanted = state_dict_keys(*net);
    const std::set<std::string> keys(wanted.begin(), wanted.end());
    for (auto it = file.tensors.begin(); it != file.tensors.end();)
        it = keys.count(it->first) ? std::next(it) : file.tensors.erase(it);
    if (file.tensors.size() < keys.size())
        throw Error(name, "holds only " + std::to_string(file.tensors.size() / 2) + " of the " +
                              std::to_string(keys.size() / 2) +
                              " convolutions up to relu5_1 (a file cut at relu4_1?): convert the original .pth again "
                              "with tools/convert_weights.py vgg19 (docs/MODELS.md)");
    load_weights(*net, file, name);
    net->eval();
    for (at::Tensor& p : net->parameters()) p.set_requires_grad(false);
    return net;
}

}  // namespace nt
