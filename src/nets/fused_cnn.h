#pragma once
// The CPU inference path of the project's convolutional networks (TransformerNet, AdaIN's VGG
// encoder and decoder): the network flattened into a list of convolutions, each followed by one
// fused epilogue (nhwc_epilogue.h), with channels-last activations in float32 or bfloat16 and the
// weights converted once. The modules (transformer_net.h, adain_net.h) stay the reference and the
// CUDA path; tests/nets/fused_cnn_test.cpp checks this path against them.
#include <optional>
#include <vector>

#include <ATen/Tensor.h>

#include "base/cancel.h"
#include "nets/nhwc_epilogue.h"

namespace torch::nn {
class Module;
}

namespace nt {

class TransformerNetImpl;

struct FusedConv {
    at::Tensor weight;  // [out, in, k, k], the network's dtype, channels-last
    at::Tensor bias;    // [out]
    int stride = 1;
    std::optional<Epilogue> after;  // what follows, up to the next conv's padding
    int residual_from = -1;         // the epilogue adds this layer's input (un-padded), if >= 0
    // The same convolution on 2x2 blocks of its input (space to depth), for a last layer with few
    // output channels: oneDNN computes 16 output channels at a time, so a 3-channel output
    // wastes 13/16 of the work; on blocks it has 12 (see block_weights). Undefined: not used.
    at::Tensor block_weight;  // [4 out, 4 in, k / 2 + 1, k / 2 + 1]
    at::Tensor block_bias;    // [4 out]
};

class FusedCnn {
public:
    FusedCnn() = default;
    // input_pad: the first convolution's reflection padding.
    FusedCnn(std::vector<FusedConv> layers, int input_pad);

    // x: CPU [1, C, H, W] in any layout and float dtype. Returns the last layer's output,
    // channels-last, in the weights' dtype. Checks `cancel` before every convolution. Throws
    // nt::Error (from the epilogues) for a picture too small for a padding. tape: the instance
    // norms' statistics are recorded on it or replayed from it (nets/norm_tape.h).
    at::Tensor forward(const at::Tensor& x, const CancelToken& cancel = CancelToken(), NormTape* tape = nullptr) const;

    bool empty() const { return layers_.empty(); }
    const std::vector<FusedConv>& layers() const { return layers_; }

private:
    std::vector<FusedConv> layers_;
    int input_pad_ = 0;
};

// The weights of a stride-1 k x k convolution W [O, C, k, k] acting on 2x2 blocks: input channel
// (2 s + t) C + c, output channel (2 a + b) O + o (the output's own 2x2 blocks), taps U, V:
//   W2[(a, b, o), (s, t, c), U, V] = W[o, c, 2U + s - a, 2V + t - b] where that index is in 0..k-1,
// and 0 elsewhere. Returns {W2, bias repeated 4 times}, float32.
std::pair<at::Tensor, at::Tensor> block_weights(const at::Tensor& weight, const at::Tensor& bias);

// TransformerNet: conv, instance norm, ReLU; five residual blocks; two upsampling convs; the last
// conv. Input and output in 0..255 as the module's.
FusedCnn fuse_transformer_net(const TransformerNetImpl& net, c10::ScalarType dtype);

// A network that is a flat sequence of ReflectionPad2d, Conv2d, ReLU, MaxPool2d(2, 2, ceil) and
// nearest 2x Upsample children (AdaIN's encoder and decoder). Throws nt::Error for any other child.
FusedCnn fuse_sequential(const torch::nn::Module& net, c10::ScalarType dtype);

}  // namespace nt
