#pragma once
// The sliced Wasserstein distance between the small patches of a picture and a style's, and its
// gradient with respect to the picture, written out by hand (no autograd): the heart of patch
// distribution matching (synthesis/patch_distribution.h; Elnekave and Weiss, ECCV 2022).
//
// With P the [K, D] matrix of K random unit projections of D = 3 p^2 patch values, x the
// picture's L patches and s_k the style's sorted projections on row k resampled to L quantiles,
//   loss = 1/(K L) sum_k sum_r (sort(P x)_{k,r} - s_{k,r})^2.
// Its gradient: d/d(sort(P x)) = 2 (sorted - s) / (K L), scattered back through the sort's
// permutation to each patch, through P^T, and folded (col2im) onto the picture.
//
// On the CPU the projection and the fold are direct correlations with the projections as
// 3 x p x p filters, and the style's projection a product with its sampled patch matrix, all by
// one register-blocked kernel (synthesis/patch_projection.h); the sort is a radix sort of each
// row (3 passes of 11 bits, 15x faster than at::sort here) fused with the quantile resampling and
// the scatter, one row per thread. Other devices use conv2d / conv_transpose2d with the
// projections as 3 x p x p filters (the same products), at::sort and a scatter.
#include <ATen/Tensor.h>

#include <cstdint>

namespace nt {

// K unit vectors of 3 p^2 values, [K, 3 p^2] float on `device`, drawn from a normal distribution
// on the CPU with this seed, so every device uses the same numbers.
at::Tensor random_projections(std::int64_t count, std::int64_t patch, std::uint64_t seed, c10::Device device);

// The patch matrix [3 p^2, M] of `picture` ([1, 3, H, W]): every p x p patch when there are at
// most max_count, else max_count of them at seeded random positions (without repeats). Rows are
// ordered channel, row, column, as at::im2col orders them.
at::Tensor sample_patch_matrix(const at::Tensor& picture, std::int64_t patch, std::int64_t max_count,
                               std::uint64_t seed);

// Each row of projections @ patch_matrix, ascending: [K, M].
at::Tensor sorted_projections(const at::Tensor& projections, const at::Tensor& patch_matrix);

// Sorted rows [K, M] resampled to `count` quantiles by linear interpolation at positions
// (r + 0.5) M / count - 0.5 (clamped to the ends): the style's distribution at the content's
// patch count whatever the two counts are. Equal counts return the rows unchanged.
at::Tensor resample_sorted(const at::Tensor& sorted, std::int64_t count);

struct SwdGradient {
    double loss = 0.0;
    at::Tensor grad;  // the picture's shape
};

// The loss above and its gradient for `picture` [1, 3, H, W] (float, contiguous), `projections`
// [K, 3 p^2] and `sorted_style` [K, M] on the picture's device.
SwdGradient patch_swd_gradient(const at::Tensor& picture, const at::Tensor& projections, const at::Tensor& sorted_style,
                               std::int64_t patch);

// The same with tensor operations only (at::sort, scatter): what runs on other devices, and the
// CPU kernel's cross-check in the tests.
SwdGradient patch_swd_gradient_generic(const at::Tensor& picture, const at::Tensor& projections,
                                       const at::Tensor& sorted_style, std::int64_t patch);

// Sorts `keys` (n floats) ascending into `sorted` and writes the original position of each sorted
// value to `order` (stable: equal keys keep their order). NaN sorts after +infinity.
void radix_argsort(const float* keys, std::int64_t n, float* sorted, std::int32_t* order);

}  // namespace nt
