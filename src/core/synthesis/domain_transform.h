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
// On the CPU a scalar loop per row (rows in parallel); elsewhere domain_transform_tensor_ops.
at::Tensor domain_transform_filter(const at::Tensor& image, double sigma_s, double sigma_r, int iterations = 3);

// The same filter as a sequence of tensor operations, one per row or column of the recursion
// (any device; what CUDA runs). Exposed so tests compare both paths on the CPU.
at::Tensor domain_transform_tensor_ops(const at::Tensor& image, double sigma_s, double sigma_r, int iterations = 3);

}  // namespace nt
