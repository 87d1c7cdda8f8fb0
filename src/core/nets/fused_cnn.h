#pragma once
// The CPU inference path of the project's convolutional networks (TransformerNet, AdaIN's VGG
// encoder and decoder): the network flattened into a list of convolutions, each followed by one
// fused epilogue (nhwc_epilogue.h), with channels-last activations in float32 or bfloat16 and the
// weights converted once. The modules (transformer_net.h, adain_net.h) stay the reference and the
// CUDA path; tests/nets/fused_cnn_test.cpp checks this path against them.
#include <optional>
#include <vector>

#include <ATen/Tensor.h>

#include "core/cancel.h"
#include "core/nets/nhwc_epilogue.h"

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
};

class FusedCnn {
public:
    FusedCnn() = default;
    // input_pad: the first convolution's reflection padding.
    FusedCnn(std::vector<FusedConv> layers, int input_pad);

    // x: CPU [1, C, H, W] in any layout and float dtype. Returns the last layer's output,
    // channels-last, in the weights' dtype. Checks `cancel` before every convolution. Throws
    // nt::Error (from the epilogues) for a picture too small for a padding.
    at::Tensor forward(const at::Tensor& x, const CancelToken& cancel = CancelToken()) const;

    bool empty() const { return layers_.empty(); }
    const std::vector<FusedConv>& layers() const { return layers_; }

private:
    std::vector<FusedConv> layers_;
    int input_pad_ = 0;
};

// TransformerNet: conv, instance norm, ReLU; five residual blocks; two upsampling convs; the last
// conv. Input and output in 0..255 as the module's.
FusedCnn fuse_transformer_net(const TransformerNetImpl& net, c10::ScalarType dtype);

// A network that is a flat sequence of ReflectionPad2d, Conv2d, ReLU, MaxPool2d(2, 2, ceil) and
// nearest 2x Upsample children (AdaIN's encoder and decoder). Throws nt::Error for any other child.
FusedCnn fuse_sequential(const torch::nn::Module& net, c10::ScalarType dtype);

}  // namespace nt
