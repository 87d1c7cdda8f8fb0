#pragma once
// What runs between two convolutions of a CPU network, fused into one pass over channels-last
// (NHWC) memory: instance norm (statistics in float32), a residual add, ReLU, a 2x nearest
// upsampling or a 2x2 ceil-mode max pooling, and the next convolution's reflection padding.
//
// Why: in ATen each of these is its own full pass, and on channels-last bfloat16 several are
// not vectorized (reflection_pad2d, upsample_nearest2d) or convert through float32 copies; in a
// TransformerNet at 512x512 they took more time than the bf16 convolutions themselves
// (docs/PERFORMANCE.md, "CPU networks"). Here the activations are read once for the statistics
// and once for the output, and the output is written directly in the padded layout the next
// convolution reads, so no separate padding copy exists.
#include <ATen/Tensor.h>

#include <cstdint>
#include <utility>

#include "nets/norm_tape.h"

namespace nt {

enum class Resample { None, Upsample2, MaxPool2 };

struct Epilogue {
    at::Tensor norm_weight;  // float32 [C]: affine instance norm (biased variance); undefined: none
    at::Tensor norm_bias;    // float32 [C]
    double norm_eps = 1e-5;
    bool residual = false;  // add the `residual` argument (after the norm, before ReLU; not with MaxPool2)
    bool relu = false;
    Resample resample = Resample::None;  // after ReLU; MaxPool2 only without a norm
    int pad = 0;                         // reflection padding on every side, for the next convolution
    // The padded output as 2x2 blocks (space to depth): [1, 4C, (H' + 2 pad) / 2, (W' + 2 pad) / 2],
    // channel (2 s + t) C + c holding padded pixel (2 Y + s, 2 X + t, c). A convolution with few
    // output channels runs faster on it (fused_cnn.h). Needs even padded sizes.
    bool space_to_depth = false;
};

// x: [1, C, H, W], float32 or bfloat16, channel stride 1 (channels-last; views allowed).
// residual: the same shape, dtype and channel stride 1 (e.g. the interior of an earlier
// epilogue's padded output). Returns a channels-last contiguous [1, C, H' + 2 pad, W' + 2 pad] in
// x's dtype, H' x W' the resampled size (2H x 2W, or ceil(H/2) x ceil(W/2)). The arithmetic is in
// float32; a bfloat16 output is rounded to nearest even once. Throws nt::Error for an unsupported
// input or a pad the picture is too small for (reflection needs pad < H', W').
// tape: the instance norm's statistics come from it (recorded from x, or replayed; norm_tape.h).
at::Tensor apply_epilogue(const at::Tensor& x, const Epilogue& epilogue, const at::Tensor& residual = at::Tensor(),
                          NormTape* tape = nullptr);

// The padded size [H' + 2 pad, W' + 2 pad] an epilogue gives for an input of h x w (before any
// space to depth).
std::pair<std::int64_t, std::int64_t> padded_size(std::int64_t h, std::int64_t w, const Epilogue& epilogue);

// The interior of a padded epilogue output: the un-padded [1, C, H', W'] view.
at::Tensor unpadded(const at::Tensor& padded, int pad);

}  // namespace nt
