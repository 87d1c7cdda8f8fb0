#include "core/gaussian_blur.h"

#include <ATen/ATen.h>

#include <cmath>

#include "core/error.h"

namespace nt {

at::Tensor gaussian_blur(const at::Tensor& image, double sigma) {
    if (image.dim() != 4) throw Error("gaussian_blur expects a [N, C, H, W] tensor");
    if (!(sigma > 0.0)) return image;
    const std::int64_t radius = std::max<std::int64_t>(1, std::int64_t(std::ceil(3.0 * sigma)));
    const std::int64_t channels = image.size(1);
    const at::Tensor x = at::arange(-radius, radius + 1, image.options());
    const at::Tensor taps = at::exp(x * x * (-0.5 / (sigma * sigma)));
    const at::Tensor kernel = taps / taps.sum();
    // One kernel per channel (groups = channels): rows first, then columns.
    const at::Tensor row_weight = kernel.view({1, 1, 1, -1}).expand({channels, 1, 1, 2 * radius + 1}).contiguous();
    const at::Tensor col_weight = kernel.view({1, 1, -1, 1}).expand({channels, 1, 2 * radius + 1, 1}).contiguous();
    at::Tensor out = at::replication_pad2d(image, {radius, radius, 0, 0});
    out = at::conv2d(out, row_weight, c10::nullopt, at::IntArrayRef{1}, at::IntArrayRef{0}, at::IntArrayRef{1}, channels);
    out = at::replication_pad2d(out, {0, 0, radius, radius});
    return at::conv2d(out, col_weight, c10::nullopt, at::IntArrayRef{1}, at::IntArrayRef{0}, at::IntArrayRef{1}, channels);
}

}  // namespace nt
