#pragma once
// Fast feed-forward style transfer (Johnson, Alahi and Fei-Fei 2016), the TransformerNet of
// pytorch/examples' fast_neural_style, layer for layer and with the same state_dict names
// (conv1.conv2d.weight, in1.weight, res1.conv1.conv2d.weight, deconv1.conv2d.weight, ...), so a
// converted checkpoint loads unchanged:
//   9x9 conv 3->32, 3x3 stride-2 convs to 64 and 128, five residual blocks at 128, two
//   (nearest 2x upsample, 3x3 conv) stages to 64 and 32, 9x9 conv to 3; reflection padding of
//   kernel/2 before every conv, affine InstanceNorm (eps 1e-5) after every conv but the last,
//   ReLU after the norms outside the residual blocks' second conv.
// Input and output are RGB in 0..255; the output is not clamped (as in the original).
#include <filesystem>

#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/normalization.h>
#include <torch/nn/functional/instancenorm.h>
#include <torch/nn/modules/instancenorm.h>
#include <torch/nn/pimpl.h>

#include "base/cancel.h"
#include "nets/norm_tape.h"
#include "nets/safetensors.h"

namespace nt {

// Reflection padding of kernel/2, then a Conv2d (registered as "conv2d"); with upsample > 1 a
// nearest-neighbour upsample comes first (the original's UpsampleConvLayer).
class ConvLayerImpl : public torch::nn::Module {
public:
    ConvLayerImpl(int in_channels, int out_channels, int kernel, int stride, int upsample = 1);
    at::Tensor forward(const at::Tensor& x);

private:
    int pad_;
    int upsample_;
    torch::nn::Conv2d conv2d_{nullptr};
};
TORCH_MODULE(ConvLayer);

class ResidualBlockImpl : public torch::nn::Module {
public:
    explicit ResidualBlockImpl(int channels);
    at::Tensor forward(const at::Tensor& x, NormTape* tape = nullptr);

private:
    ConvLayer conv1_{nullptr}, conv2_{nullptr};
    torch::nn::InstanceNorm2d in1_{nullptr}, in2_{nullptr};
};
TORCH_MODULE(ResidualBlock);

class TransformerNetImpl : public torch::nn::Module {
public:
    TransformerNetImpl();
    // x: [N, 3, H, W] in 0..255, H, W >= 5 (the 9x9 conv's reflection padding of 4 needs more
    // than 4 pixels); any float dtype/device/memory format the module has. Returns
    // [N, 3, 4*ceil(H/4), 4*ceil(W/4)]: the two stride-2 convs round odd sizes up and the
    // upsampling doubles, so the picture is the top-left H x W (the caller crops). Throws
    // nt::Error for a wrong shape or a picture too small.
    // Checks `cancel` between layers. tape: the instance norms' statistics are recorded on it or
    // replayed from it (thumbnail statistics for tiles, nets/norm_tape.h).
    at::Tensor forward(const at::Tensor& x, const CancelToken& cancel = CancelToken(), NormTape* tape = nullptr);

private:
    ConvLayer conv1_{nullptr}, conv2_{nullptr}, conv3_{nullptr};
    torch::nn::InstanceNorm2d in1_{nullptr}, in2_{nullptr}, in3_{nullptr};
    ResidualBlock res1_{nullptr}, res2_{nullptr}, res3_{nullptr}, res4_{nullptr}, res5_{nullptr};
    ConvLayer deconv1_{nullptr}, deconv2_{nullptr}, deconv3_{nullptr};
    torch::nn::InstanceNorm2d in4_{nullptr}, in5_{nullptr};
};
TORCH_MODULE(TransformerNet);

// A TransformerNet with the weights of `path` (read_safetensors + load_weights), in eval mode on
// the CPU. Throws nt::Error naming the file.
TransformerNet load_transformer_net(const std::filesystem::path& path);

}  // namespace nt
