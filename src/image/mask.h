#pragma once
// Masks: where the style applies. m = 1 keeps the stylized pixel, m = 0 the content's, values in
// between mix: result = m * stylized + (1 - m) * content. A mask picture is read as greyscale
// (BT.601 luma of its RGB; the loader drops alpha, so paint the mask in grey levels, white =
// stylized), stretched to the working size with the project's resize when its size differs, and
// feathered by a Gaussian blur whose standard deviation is the feather radius in working pixels.
#include <ATen/Tensor.h>
#include <c10/core/Device.h>

#include "image/image.h"

namespace nt {

// Feather radii above this are refused (the blur kernel grows with the radius).
inline constexpr double kMaxFeatherPx = 500.0;

// Throws nt::Error("--feather X: ...") unless 0 <= feather_px <= kMaxFeatherPx.
void check_feather(double feather_px);

// The mask picture as float [1, 1, height, width] in 0..1 on `device`, resized first when its size
// differs. Throws nt::Error for an empty image.
at::Tensor mask_to_tensor(const Image& mask, int width, int height, c10::Device device);

// The mask blurred by a Gaussian of standard deviation feather_px (0: unchanged); stays in 0..1.
at::Tensor feather_mask(const at::Tensor& mask, double feather_px);

// content + m * (stylized - content), m ([1, 1, H, W] or [N, 1, H, W], 0..1) broadcast over the
// channels. Where m is 0 the result is the content's value exactly.
at::Tensor apply_mask(const at::Tensor& content, const at::Tensor& stylized, const at::Tensor& mask);

}  // namespace nt
