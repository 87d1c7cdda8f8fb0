#include "nets/transformer_net.h"

#include <ATen/ATen.h>

#include "base/error.h"
#include "nets/load_weights.h"

namespace nt {

namespace {

// InstanceNorm2d(c, affine=True) as PyTorch builds it: eps 1e-5, no running statistics (so the
// state_dict holds only weight and bias, and the statistics always come from the input).
torch::nn::InstanceNorm2d make_instance_norm(int channels) {
    return torch::nn::InstanceNorm2d(
        torch::nn::InstanceNorm2dOptions(channels).affine(true).track_running_stats(false).eps(1e-5));
}

// The norm as InstanceNorm2d computes it, or with the tape's statistics.
at::Tensor norm(torch::nn::InstanceNorm2d& in, const at::Tensor& x, NormTape* tape) {
    if (!tape) return in->forward(x);
    return taped_instance_norm(x, in->weight, in->bias, in->options.eps(), *tape);
}

}  // namespace

ConvLayerImpl::ConvLayerImpl(int in_channels, int out_channels, int kernel, int stride, int upsample)
    : pad_(kernel / 2), upsample_(upsample) {
    conv2d_ = register_module(
        "conv2d", torch::nn::Conv2d(torch::nn::Conv2dOptions(in_channels, out_channels, kernel).stride(stride)));
}

at::Tensor ConvLayerImpl::forward(const at::Tensor& x) {
    at::Tensor padded;
    if (upsample_ > 1) {
        // F.interpolate(x, mode='nearest', scale_factor=upsample): floor(size * factor) outputs,
        // source index floor(i / factor).
        const at::Tensor up = at::upsample_nearest2d(x, {x.size(2) * upsample_, x.size(3) * upsample_},
                                                     static_cast<double>(upsample_), static_cast<double>(upsample_));
        padded = at::reflection_pad2d(up, {pad_, pad_, pad_, pad_});
    } else {
        padded = at::reflection_pad2d(x, {pad_, pad_, pad_, pad_});
    }
    return conv2d_->forward(padded);
}

ResidualBlockImpl::ResidualBlockImpl(int channels) {
    conv1_ = register_module("conv1", ConvLayer(channels, channels, 3, 1));
    in1_ = register_module("in1", make_instance_norm(channels));
    conv2_ = register_module("conv2", ConvLayer(channels, channels, 3, 1));
    in2_ = register_module("in2", make_instance_norm(channels));
}

at::Tensor ResidualBlockImpl::forward(const at::Tensor& x, NormTape* tape) {
    // In-place ReLU and residual add on fresh intermediates: neither the instance norm's nor the
    // addition's backward needs the overwritten values, so this is autograd-safe too.
    at::Tensor out = norm(in1_, conv1_->forward(x), tape).relu_();
    out = norm(in2_, conv2_->forward(out), tape);
    return out.add_(x);
}

TransformerNetImpl::TransformerNetImpl() {
    conv1_ = register_module("conv1", ConvLayer(3, 32, 9, 1));
    in1_ = register_module("in1", make_instance_norm(32));
    conv2_ = register_module("conv2", ConvLayer(32, 64, 3, 2));
    in2_ = register_module("in2", make_instance_norm(64));
    conv3_ = register_module("conv3", ConvLayer(64, 128, 3, 2));
    in3_ = register_module("in3", make_instance_norm(128));
    res1_ = register_module("res1", ResidualBlock(128));
    res2_ = register_module("res2", ResidualBlock(128));
    res3_ = register_module("res3", ResidualBlock(128));
    res4_ = register_module("res4", ResidualBlock(128));
    res5_ = register_module("res5", ResidualBlock(128));
    deconv1_ = register_module("deconv1", ConvLayer(128, 64, 3, 1, 2));
    in4_ = register_module("in4", make_instance_norm(64));
    deconv2_ = register_module("deconv2", ConvLayer(64, 32, 3, 1, 2));
    in5_ = register_module("in5", make_instance_norm(32));
    deconv3_ = register_module("deconv3", ConvLayer(32, 3, 9, 1));
}

at::Tensor TransformerNetImpl::forward(const at::Tensor& x, const CancelToken& cancel, NormTape* tape) {
    if (!x.defined() || x.dim() != 4 || x.size(1) != 3)
        throw Error("TransformerNet", "input must be [N, 3, H, W], got " +
                                          (x.defined() ? c10::str(x.sizes()) : std::string("an undefined tensor")));
    // The 9x9 conv's reflection padding of 4 needs at least 5 pixels (after the two stride-2
    // convs the 3x3 convs' padding of 1 then always has its 2).
    if (x.size(2) < 5 || x.size(3) < 5)
        throw Error("TransformerNet", "input of " + std::to_string(x.size(3)) + "x" + std::to_string(x.size(2)) +
                                          " is too small (at least 5x5 needed)");
    cancel.check();
    at::Tensor y = norm(in1_, conv1_->forward(x), tape).relu_();
    cancel.check();
    y = norm(in2_, conv2_->forward(y), tape).relu_();
    cancel.check();
    y = norm(in3_, conv3_->forward(y), tape).relu_();
    for (ResidualBlock* block : {&res1_, &res2_, &res3_, &res4_, &res5_}) {
        cancel.check();
        y = (*block)->forward(y, tape);
    }
    cancel.check();
    y = norm(in4_, deconv1_->forward(y), tape).relu_();
    cancel.check();
    y = norm(in5_, deconv2_->forward(y), tape).relu_();
    cancel.check();
    return deconv3_->forward(y);
}

TransformerNet load_transformer_net(const std::filesystem::path& path) { return load_network<TransformerNet>(path); }

}  // namespace nt
