#pragma once
// Resizing float [N, C, H, W] tensors on any device: antialiased bilinear when both sides shrink
// (a pyramid level, a smaller style), plain bilinear otherwise (align_corners false). For the
// Pillow-exact resize of pictures, see core/resize.h.
#include <ATen/Tensor.h>

#include <cstdint>

namespace nt {

// `t` itself when it already has that size.
at::Tensor resize_tensor(const at::Tensor& t, std::int64_t height, std::int64_t width);

}  // namespace nt
