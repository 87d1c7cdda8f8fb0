#pragma once
// Resizing float [N, C, H, W] tensors on any device: antialiased bilinear when both sides shrink
// (a pyramid level, a smaller style), plain bilinear otherwise (align_corners false). For the
// Pillow-exact resize of pictures, see image/resize.h.
#include <ATen/Tensor.h>

#include <cstdint>

namespace nt {

// `t` itself when it already has that size.
at::Tensor resize_tensor(const at::Tensor& t, std::int64_t height, std::int64_t width);

// `t` enlarged, its aspect kept, so that its shorter side is at least `side` (a style with its
// own aspect that is too thin for a patch); `t` itself when it is already.
at::Tensor resize_to_at_least(const at::Tensor& t, std::int64_t side);

}  // namespace nt
