#pragma once
// Separable Gaussian blur of [N, C, H, W] float tensors with depthwise conv2d (CPU or CUDA).
#include <ATen/Tensor.h>

namespace nt {

// `sigma` is the standard deviation in pixels (as Pillow's GaussianBlur radius); the kernel is
// truncated at 3 sigma and normalised. Borders repeat the edge pixels, so a constant picture stays
// constant. sigma <= 0 returns the input unchanged.
at::Tensor gaussian_blur(const at::Tensor& image, double sigma);

}  // namespace nt
