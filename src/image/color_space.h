#pragma once
// Colour-space conversions on float RGB tensors [N, 3, H, W] (0..1, sRGB-encoded as loaded), pure
// ATen so they run wherever the tensor lives. Two spaces, each chosen for one job:
//  - YCbCr (ITU-R BT.601, full range as in JPEG, without the +0.5 offset): linear and exactly
//    invertible, so "keep the luminance of one picture and the chroma of another" is exact. It is
//    the YUV that neural-style's -original_colors uses.
//  - lαβ (Ruderman et al. 1998), the space of Reinhard et al. 2001: RGB -> LMS cones -> log ->
//    decorrelating rotation (natural log here, the paper's log10 scaled by ln 10). Its axes are nearly uncorrelated for natural images, so per-axis
//    mean/std transfer works without touching covariance.
#include <ATen/Tensor.h>

namespace nt {

// BT.601 luma, [N, 1, H, W]: 0.299 R + 0.587 G + 0.114 B (PIL's "L").
at::Tensor luma(const at::Tensor& rgb);

// Y in 0..1, Cb and Cr in about -0.5..0.5. Y's column of the inverse is (1, 1, 1): adding d to
// R, G and B adds d to Y and leaves Cb and Cr unchanged.
at::Tensor rgb_to_ycbcr(const at::Tensor& rgb);
at::Tensor ycbcr_to_rgb(const at::Tensor& ycbcr);

// LMS is floored at kLmsFloor before the logarithm (log 0 is -inf); the floor is about one 8-bit
// level, below which differences are quantisation noise rather than colour.
inline constexpr double kLmsFloor = 1.0 / 255.0;
at::Tensor rgb_to_lalphabeta(const at::Tensor& rgb);
at::Tensor lalphabeta_to_rgb(const at::Tensor& lab);

// out[:, i] = sum_j matrix[i][j] * in[:, j] for a [N, 3, H, W] tensor; `matrix` is a [3, 3]
// tensor on any device/dtype (moved to the input's).
at::Tensor apply_color_matrix(const at::Tensor& image, const at::Tensor& matrix);

}  // namespace nt
