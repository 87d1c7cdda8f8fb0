#pragma once
// "Preserve colours" (neural-style's -original_colors): keep the stylized picture's luminance and
// the content's chroma, in YCbCr (BT.601, image/color_space.h). Works after any method.
#include <ATen/Tensor.h>

namespace nt {

// content, stylized: float [N, 3, H, W], same shape and device. Returns RGB with the luma Y of
// `stylized` and the Cb, Cr of `content`, clamped to 0..1. Inside the RGB gamut the chroma is the
// content's to float precision; where the combination leaves the gamut the clamp wins.
at::Tensor preserve_content_colors(const at::Tensor& content, const at::Tensor& stylized);

}  // namespace nt
