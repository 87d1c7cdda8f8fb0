#pragma once
// Edge-preserving smoothing: Gastal and Oliveira 2011, "Domain Transform for Edge-Aware Image
// and Video Processing", recursive filter (RF). Distances along each row and column are stretched
// by the image's own gradients (1 + sigma_s / sigma_r * sum over channels of |dI|), and a
// first-order recursive filter runs left to right and back, then top to bottom and back, its
// feedback a^d falling across edges. Each iteration i halves the spatial sigma
// (sigma_H,i = sigma_s sqrt(3) 2^(N-i-1) / sqrt(4^N - 1)), as in the authors' RF.m.
#include <ATen/Tensor.h>

namespace nt {

// image: float [1, C, H, W] in about 0..1 (the edges are measured on it). sigma_s in pixels,
// sigma_r in the image's units; sigma_s <= 0 or iterations <= 0 return the image unchanged.
//
// The recursion is sequential along each row and column, so it runs as plain loops on the CPU
// (rows, and channels of the vertical pass, in parallel), and a picture on another device makes
// a round trip through host memory: one copy each way costs far less than the 4 (W + H) x
// iterations one-row kernels a device version of the same recursion would launch.
at::Tensor domain_transform_filter(const at::Tensor& image, double sigma_s, double sigma_r, int iterations = 3);

}  // namespace nt
