#include "image/gaussian_blur.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>

#include <cmath>
#include <vector>

#include "base/error.h"

namespace nt {

namespace {

// CPU float path: the same separable filter with replicated edges as the conv2d path below,
// written as plain loops. PyTorch's CPU conv2d lowers a one-channel 1 x K kernel to im2col, which
// materialises K copies of the picture (97 at radius 16); these loops touch each pixel K times in
// cache instead. Both passes accumulate one tap at a time over a whole row, so the inner loop
// runs over contiguous memory and vectorizes.
at::Tensor separable_blur_cpu(const at::Tensor& image, const std::vector<float>& k) {
    const at::Tensor src = image.contiguous();
    const std::int64_t planes = src.size(0) * src.size(1), h = src.size(2), w = src.size(3);
    const std::int64_t radius = std::int64_t(k.size() / 2);
    at::Tensor mid = at::empty_like(src), out = at::empty_like(src);
    const float* in = src.data_ptr<float>();
    float* m = mid.data_ptr<float>();
    float* o = out.data_ptr<float>();
    at::parallel_for(0, planes * h, 16, [&](std::int64_t begin, std::int64_t end) {
        std::vector<float> padded(std::size_t(w + 2 * radius));
        for (std::int64_t row = begin; row < end; ++row) {
            const float* r = in + row * w;
            for (std::int64_t x = 0; x < w + 2 * radius; ++x)
                padded[x] = r[std::clamp<std::int64_t>(x - radius, 0, w - 1)];
            // Tap-major, like the column pass: each tap is one multiply-add over the whole row, so
            // the loop vectorizes instead of chaining K dependent additions per pixel.
            float* dst = m + row * w;
            std::fill(dst, dst + w, 0.0f);
            for (std::size_t t = 0; t < k.size(); ++t) {
                const float weight = k[t];
                const float* s = padded.data() + t;
                for (std::int64_t x = 0; x < w; ++x) dst[x] += weight * s[x];
            }
        }
    });
    at::parallel_for(0, planes * h, 16, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t row = begin; row < end; ++row) {
            const std::int64_t plane = row / h, y = row % h;
            float* dst = o + row * w;
            std::fill(dst, dst + w, 0.0f);
            for (std::size_t t = 0; t < k.size(); ++t) {
                const std::int64_t sy = std::clamp<std::int64_t>(y + std::int64_t(t) - radius, 0, h - 1);
                const float* s = m + (plane * h + sy) * w;
                const float weight = k[t];
                for (std::int64_t x = 0; x < w; ++x) dst[x] += weight * s[x];
            }
        }
    });
    return out;
}

}  // namespace

at::Tensor gaussian_blur(const at::Tensor& image, double sigma) {
    if (image.dim() != 4) throw Error("gaussian_blur expects a [N, C, H, W] tensor");
    if (!(sigma > 0.0)) return image;
    const std::int64_t radius = std::max<std::int64_t>(1, std::int64_t(std::ceil(3.0 * sigma)));
    const std::int64_t channels = image.size(1);
    const at::Tensor x = at::arange(-radius, radius + 1, image.options());
    const at::Tensor taps = at::exp(x * x * (-0.5 / (sigma * sigma)));
    const at::Tensor kernel = taps / taps.sum();
    if (image.device().is_cpu() && image.scalar_type() == at::kFloat) {
        const at::Tensor k = kernel.contiguous();
        return separable_blur_cpu(image, std::vector<float>(k.data_ptr<float>(), k.data_ptr<float>() + k.numel()));
    }
    // One kernel per channel (groups = channels): rows first, then columns.
    const at::Tensor row_weight = kernel.view({1, 1, 1, -1}).expand({channels, 1, 1, 2 * radius + 1}).contiguous();
    const at::Tensor col_weight = kernel.view({1, 1, -1, 1}).expand({channels, 1, 2 * radius + 1, 1}).contiguous();
    at::Tensor out = at::replication_pad2d(image, {radius, radius, 0, 0});
    out =
        at::conv2d(out, row_weight, c10::nullopt, at::IntArrayRef{1}, at::IntArrayRef{0}, at::IntArrayRef{1}, channels);
    out = at::replication_pad2d(out, {0, 0, radius, radius});
    return at::conv2d(out, col_weight, c10::nullopt, at::IntArrayRef{1}, at::IntArrayRef{0}, at::IntArrayRef{1},
                      channels);
}

}  // namespace nt
