#pragma once
// The projection of every p x p patch of a picture onto K directions, and its adjoint (the fold),
// on the CPU: a GEMM over the patch matrix built a band of rows at a time, so the matrix (3 p^2
// values per pixel, 150 MB at 512x512 with p = 7) is never whole and each band stays in cache.
// LibTorch's fp32 conv2d and conv_transpose2d with 3 input channels and 7x7 filters take the
// unfold-based path on this CPU, 8x to 16x slower than the GEMM they do (docs/PATCH_DISTRIBUTION.md).
#include <ATen/Tensor.h>

#include <cstdint>

namespace nt {

// picture: float [1, 3, H, W] on the CPU; projections: [K, 3 p^2] with rows ordered channel, row,
// column (as at::im2col). Returns [K, (H - p + 1) (W - p + 1)]: row k holds the projections of
// the patches in raster order of their top-left corners. Equals
// projections @ at::im2col(picture, p)[0] up to float rounding.
at::Tensor project_all_patches(const at::Tensor& picture, const at::Tensor& projections, std::int64_t patch);

// The adjoint: grad [K, (H - p + 1) (W - p + 1)] to [1, 3, H, W], each patch's P^T grad column
// added onto the pixels it covers (col2im of projections^T @ grad).
at::Tensor fold_projected_patches(const at::Tensor& grad, const at::Tensor& projections, std::int64_t patch,
                                  std::int64_t height, std::int64_t width);

}  // namespace nt
