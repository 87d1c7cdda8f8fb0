#include "nets/fused_cnn.h"

#include <ATen/ATen.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/padding.h>
#include <torch/nn/modules/pooling.h>
#include <torch/enum.h>
#include <torch/nn/modules/upsampling.h>

#include <map>
#include <string>

#include "base/error.h"
#include "nets/transformer_net.h"

namespace nt {

FusedCnn::FusedCnn(std::vector<FusedConv> layers, int input_pad) : layers_(std::move(layers)), input_pad_(input_pad) {}

namespace {

// A [1, 4 O, h, w] output of block weights back to [1, O, 2h, 2w] (NCHW).
at::Tensor depth_to_space(const at::Tensor& blocks) {
    const std::int64_t h = blocks.size(2), w = blocks.size(3), o = blocks.size(1) / 4;
    return blocks.permute({0, 2, 3, 1})
        .reshape({1, h, w, 2, 2, o})
        .permute({0, 5, 1, 3, 2, 4})
        .reshape({1, o, 2 * h, 2 * w});
}

}  // namespace

at::Tensor FusedCnn::forward(const at::Tensor& x, const CancelToken& cancel, NormTape* tape) const {
    if (layers_.empty()) throw Error("fused network", "has no layers");
    const c10::ScalarType dtype = layers_.front().weight.scalar_type();
    // The epilogue before layer `next`, writing 2x2 blocks where that layer reads them.
    auto epilogue_before = [&](std::size_t next, Epilogue e, const at::Tensor& in) {
        const auto [h, w] = padded_size(in.size(2), in.size(3), e);
        e.space_to_depth = next < layers_.size() && layers_[next].block_weight.defined() && h % 2 == 0 && w % 2 == 0;
        return e;
    };
    Epilogue pad_only;
    pad_only.pad = input_pad_;
    at::Tensor y;
    {
        const at::Tensor input = x.to(dtype).contiguous(at::MemoryFormat::ChannelsLast);
        y = apply_epilogue(input, epilogue_before(0, pad_only, input));
    }
    // The padded inputs that a later residual reads back, and only those: holding every layer's
    // input would keep all activations of the network alive to the end (at full resolution, most
    // of a whole-picture run's memory).
    std::vector<bool> read_back(layers_.size(), false);
    for (const FusedConv& layer : layers_)
        if (layer.residual_from >= 0) read_back[std::size_t(layer.residual_from)] = true;
    std::vector<at::Tensor> inputs(layers_.size());
    std::vector<int> pads(layers_.size(), 0);
    int pad = input_pad_;
    for (std::size_t i = 0; i < layers_.size(); ++i) {
        const FusedConv& layer = layers_[i];
        cancel.check();
        if (read_back[i]) inputs[i] = y;
        pads[i] = pad;
        const bool blocks = layer.block_weight.defined() && y.size(1) == 4 * layer.weight.size(1);
        const at::Tensor conv = blocks ? depth_to_space(at::conv2d(y, layer.block_weight, layer.block_bias))
                                       : at::conv2d(y, layer.weight, layer.bias, layer.stride);
        if (!layer.after) {
            y = conv;
            pad = 0;
            continue;
        }
        at::Tensor residual;
        if (layer.residual_from >= 0) {
            residual = unpadded(inputs[layer.residual_from], pads[layer.residual_from]);
            inputs[layer.residual_from] = at::Tensor();  // read once
        }
        y = apply_epilogue(conv.contiguous(at::MemoryFormat::ChannelsLast), epilogue_before(i + 1, *layer.after, conv),
                           residual, tape);
        pad = layer.after->pad;
    }
    return y;
}

std::pair<at::Tensor, at::Tensor> block_weights(const at::Tensor& weight, const at::Tensor& bias) {
    const at::Tensor w = weight.detach().to(at::kCPU, at::kFloat).contiguous();
    const std::int64_t o = w.size(0), c = w.size(1), k = w.size(2), taps = k / 2 + 1;
    at::Tensor w2 = at::zeros({4 * o, 4 * c, taps, taps}, at::kFloat);
    const auto src = w.accessor<float, 4>();
    auto dst = w2.accessor<float, 4>();
    for (int a = 0; a < 2; ++a)
        for (int b = 0; b < 2; ++b)
            for (int s = 0; s < 2; ++s)
                for (int t = 0; t < 2; ++t)
                    for (std::int64_t u = 0; u < taps; ++u)
                        for (std::int64_t v = 0; v < taps; ++v) {
                            const std::int64_t i = 2 * u + s - a, j = 2 * v + t - b;
                            if (i < 0 || i >= k || j < 0 || j >= k) continue;
                            for (std::int64_t oc = 0; oc < o; ++oc)
                                for (std::int64_t ic = 0; ic < c; ++ic)
                                    dst[(2 * a + b) * o + oc][(2 * s + t) * c + ic][u][v] = src[oc][ic][i][j];
                        }
    return {w2, bias.detach().to(at::kCPU, at::kFloat).repeat({4})};
}

namespace {

FusedConv fused_conv(const at::Tensor& weight, const at::Tensor& bias, int stride, c10::ScalarType dtype) {
    FusedConv c;
    c.weight = weight.detach().to(dtype).contiguous(at::MemoryFormat::ChannelsLast);
    c.bias = bias.detach().to(dtype).contiguous();
    c.stride = stride;
    return c;
}

// A last convolution with at most 4 output channels (a picture) runs on 2x2 blocks.
void use_blocks_for_last_layer(std::vector<FusedConv>& layers, c10::ScalarType dtype) {
    FusedConv& last = layers.back();
    if (last.after || last.stride != 1 || last.weight.size(0) > 4 || last.weight.size(2) < 3 ||
        last.weight.size(2) != last.weight.size(3))
        return;
    auto [w, b] = block_weights(last.weight, last.bias);
    last.block_weight = w.to(dtype).contiguous(at::MemoryFormat::ChannelsLast);
    last.block_bias = b.to(dtype);
}

Epilogue norm_epilogue(const std::map<std::string, at::Tensor>& p, const std::string& norm, bool relu) {
    Epilogue e;
    e.norm_weight = p.at(norm + ".weight").detach().to(at::kFloat).contiguous();
    e.norm_bias = p.at(norm + ".bias").detach().to(at::kFloat).contiguous();
    e.relu = relu;
    return e;
}

// True when the conv pads nothing itself (its padding option is a variant whose type differs
// between LibTorch versions, so this asks the module: a k x k input must give one output pixel).
bool unpadded_conv(torch::nn::Conv2dImpl& conv) {
    const at::Tensor& w = conv.weight;
    const at::Tensor probe = at::zeros({1, w.size(1), w.size(2), w.size(3)}, w.options());
    const at::Tensor out = conv.forward(probe);
    return out.size(2) == 1 && out.size(3) == 1;
}

}  // namespace

FusedCnn fuse_transformer_net(const TransformerNetImpl& net, c10::ScalarType dtype) {
    std::map<std::string, at::Tensor> p;
    for (const auto& item : net.named_parameters()) p[item.key()] = item.value();
    std::vector<FusedConv> layers;
    // (conv name, stride, norm name, relu, resample after, next conv's padding)
    auto add = [&](const std::string& conv, int stride, const std::string& norm, bool relu, Resample resample,
                   int next_pad) {
        FusedConv c = fused_conv(p.at(conv + ".conv2d.weight"), p.at(conv + ".conv2d.bias"), stride, dtype);
        if (!norm.empty()) {
            c.after = norm_epilogue(p, norm, relu);
            c.after->resample = resample;
            c.after->pad = next_pad;
        }
        layers.push_back(std::move(c));
    };
    add("conv1", 1, "in1", true, Resample::None, 1);
    add("conv2", 2, "in2", true, Resample::None, 1);
    add("conv3", 2, "in3", true, Resample::None, 1);
    for (int b = 1; b <= 5; ++b) {
        const std::string block = "res" + std::to_string(b);
        add(block + ".conv1", 1, block + ".in1", true, Resample::None, 1);
        const int block_input = int(layers.size()) - 1;
        add(block + ".conv2", 1, block + ".in2", false, Resample::None, 1);
        layers.back().after->residual = true;
        layers.back().residual_from = block_input;
    }
    // The upsampling layers: nearest 2x, then their own padding; the last conv pads by 4.
    layers.back().after->resample = Resample::Upsample2;
    add("deconv1", 1, "in4", true, Resample::Upsample2, 1);
    add("deconv2", 1, "in5", true, Resample::None, 4);
    add("deconv3", 1, "", false, Resample::None, 0);
    use_blocks_for_last_layer(layers, dtype);
    return FusedCnn(std::move(layers), 4);
}

FusedCnn fuse_sequential(const torch::nn::Module& net, c10::ScalarType dtype) {
    std::vector<FusedConv> layers;
    int input_pad = 0;
    int pending_pad = 0;  // a padding seen before its conv
    auto epilogue = [&]() -> Epilogue& {
        if (layers.empty()) throw Error("fused network", "an activation or resampling before the first conv");
        if (!layers.back().after) layers.back().after = Epilogue{};
        return *layers.back().after;
    };
    for (const auto& child : net.children()) {
        if (const auto* pad = child->as<torch::nn::ReflectionPad2d>()) {
            const auto& padding = pad->options.padding();
            if (padding->at(0) != padding->at(1) || padding->at(0) != padding->at(2) ||
                padding->at(0) != padding->at(3))
                throw Error("fused network", "only equal reflection padding on all sides is supported");
            pending_pad = int(padding->at(0));
        } else if (auto* conv = child->as<torch::nn::Conv2d>()) {
            const auto& o = conv->options;
            if (o.stride()->at(0) != o.stride()->at(1) || o.groups() != 1 || o.dilation()->at(0) != 1 ||
                o.dilation()->at(1) != 1 || !unpadded_conv(*conv))
                throw Error("fused network", "only unpadded, undilated, ungrouped square-stride convs are supported");
            if (layers.empty()) input_pad = pending_pad;
            else epilogue().pad = pending_pad;
            layers.push_back(fused_conv(conv->weight, conv->bias, int(o.stride()->at(0)), dtype));
            pending_pad = 0;
        } else if (child->as<torch::nn::ReLU>()) {
            epilogue().relu = true;
        } else if (const auto* pool = child->as<torch::nn::MaxPool2d>()) {
            const auto& o = pool->options;
            if (o.kernel_size()->at(0) != 2 || o.kernel_size()->at(1) != 2 || o.stride()->at(0) != 2 ||
                o.stride()->at(1) != 2 || !o.ceil_mode() || o.padding()->at(0) != 0)
                throw Error("fused network", "only 2x2 stride-2 ceil-mode max pooling is supported");
            epilogue().resample = Resample::MaxPool2;
        } else if (const auto* up = child->as<torch::nn::Upsample>()) {
            const auto& scale = up->options.scale_factor();
            if (!scale || scale->size() != 2 || (*scale)[0] != 2.0 || (*scale)[1] != 2.0 ||
                torch::enumtype::get_enum_name(up->options.mode()) != "kNearest")
                throw Error("fused network", "only nearest 2x upsampling is supported");
            epilogue().resample = Resample::Upsample2;
        } else {
            throw Error("fused network", "unsupported layer " + child->name());
        }
    }
    if (pending_pad != 0) throw Error("fused network", "ends with a padding");
    if (layers.empty()) throw Error("fused network", "has no convolution");
    use_blocks_for_last_layer(layers, dtype);
    return FusedCnn(std::move(layers), input_pad);
}

}  // namespace nt
