#pragma once
// The projection of every p x p patch of a picture onto K directions, and its adjoint (the fold),
// on the CPU: both are "valid" multi-channel correlations (3 -> K channels, and K -> 3 on the
// zero-padded gradient with the filters flipped), computed directly by a register-blocked kernel
// (synthesis/correlation_kernel.h) without a patch matrix. LibTorch's fp32 conv2d and
// conv_transpose2d with 3 input channels and 7x7 filters take the unfold-based path on this CPU,
// and an im2col + GEMM spends most of its time writing the 147-row patch matrix
// (docs/PATCH_DISTRIBUTION.md, "Speed and memory").
#include <ATen/Tensor.h>

#include <cstdint>

namespace nt {

// picture: float [1, 3, H, W] on the CPU; projections: [K, 3 p^2] with rows ordered channel, row,
// column (as at::im2col). Returns [K, (H - p + 1) (W - p + 1)]: row k holds the projections of
// the patches in raster order of their top-left corners. Equals
// projections @ at::im2col(picture, p)[0] up to float rounding.
at::Tensor project_all_patches(const at::Tensor& picture, const at::Tensor& projections, std::int64_t patch);

// projections [K, D] @ patch_matrix [D, M], float on the CPU: [K, M]. The same kernel as a
// correlation of 1 x 1 filters over a D-channel, one-row picture, so no BLAS thread pool wakes up
// beside LibTorch's (with two cores the two pools took turns spinning: a third of a step).
at::Tensor project_patch_matrix(const at::Tensor& projections, const at::Tensor& patch_matrix);

// The adjoint: grad [K, (H - p + 1) (W - p + 1)] to [1, 3, H, W], each patch's P^T grad column
// added onto the pixels it covers (col2im of projections^T @ grad).
at::Tensor fold_projected_patches(const at::Tensor& grad, const at::Tensor& projections, std::int64_t patch,
                                  std::int64_t height, std::int64_t width);

}  // namespace nt
