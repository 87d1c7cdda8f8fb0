#include "synthesis/domain_transform.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>

namespace nt {

namespace {

// The stretched distances between each pixel and its left neighbour ([1, 1, H, W], column 0
// unused) and its upper neighbour (row 0 unused).
std::pair<at::Tensor, at::Tensor> domain_derivatives(const at::Tensor& image, double sigma_s, double sigma_r) {
    const double k = sigma_s / sigma_r;
    at::Tensor dx = at::zeros_like(image.narrow(1, 0, 1));
    at::Tensor dy = at::zeros_like(dx);
    const std::int64_t h = image.size(2), w = image.size(3);
    if (w > 1) dx.narrow(3, 1, w - 1).copy_((image.narrow(3, 1, w - 1) - image.narrow(3, 0, w - 1)).abs().sum(1, true));
    if (h > 1) dy.narrow(2, 1, h - 1).copy_((image.narrow(2, 1, h - 1) - image.narrow(2, 0, h - 1)).abs().sum(1, true));
    return {dx.mul_(k).add_(1.0), dy.mul_(k).add_(1.0)};
}

double iteration_sigma(double sigma_s, int i, int iterations) {
    return sigma_s * std::sqrt(3.0) * std::pow(2.0, iterations - i - 1) / std::sqrt(std::pow(4.0, iterations) - 1.0);
}

// One horizontal pair of passes over f [C, H, W] (contiguous) with feedback v [H, W]. The
// recursion along a row waits on the pixel before, so kRowsAtOnce rows step together: their
// chains are independent and overlap in the CPU (one row at a time, it was a tenth of a 12 MP
// patch synthesis run).
constexpr std::int64_t kRowsAtOnce = 8;

template <std::int64_t N>
void row_block(float* f, const float* v, std::int64_t first, std::int64_t h, std::int64_t w) {
    float* row[N];
    const float* a[N];
    for (std::int64_t i = 0; i < N; ++i) {
        row[i] = f + (first + i) * w;
        a[i] = v + ((first + i) % h) * w;
    }
    for (std::int64_t x = 1; x < w; ++x)
        for (std::int64_t i = 0; i < N; ++i) row[i][x] += a[i][x] * (row[i][x - 1] - row[i][x]);
    for (std::int64_t x = w - 2; x >= 0; --x)
        for (std::int64_t i = 0; i < N; ++i) row[i][x] += a[i][x + 1] * (row[i][x + 1] - row[i][x]);
}

void rows_cpu(float* f, const float* v, std::int64_t channels, std::int64_t h, std::int64_t w) {
    const std::int64_t blocks = (channels * h + kRowsAtOnce - 1) / kRowsAtOnce;
    at::parallel_for(0, blocks, 1, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t b = begin; b < end; ++b) {
            const std::int64_t first = b * kRowsAtOnce, count = std::min(kRowsAtOnce, channels * h - first);
            if (count == kRowsAtOnce) row_block<kRowsAtOnce>(f, v, first, h, w);
            else
                for (std::int64_t r = first; r < first + count; ++r) row_block<1>(f, v, r, h, w);
        }
    });
}

// One vertical pair of passes: rows in sequence, each a vector operation along x.
void columns_cpu(float* f, const float* v, std::int64_t channels, std::int64_t h, std::int64_t w) {
    at::parallel_for(0, channels, 1, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t c = begin; c < end; ++c) {
            float* plane = f + c * h * w;
            for (std::int64_t y = 1; y < h; ++y) {
                float* row = plane + y * w;
                const float* up = row - w;
                const float* a = v + y * w;
                for (std::int64_t x = 0; x < w; ++x) row[x] += a[x] * (up[x] - row[x]);
            }
            for (std::int64_t y = h - 2; y >= 0; --y) {
                float* row = plane + y * w;
                const float* down = row + w;
                const float* a = v + (y + 1) * w;
                for (std::int64_t x = 0; x < w; ++x) row[x] += a[x] * (down[x] - row[x]);
            }
        }
    });
}

bool does_nothing(double sigma_s, int iterations) { return sigma_s <= 0.0 || iterations <= 0; }

}  // namespace

at::Tensor domain_transform_filter(const at::Tensor& image, double sigma_s, double sigma_r, int iterations) {
    if (does_nothing(sigma_s, iterations)) return image;
    if (!image.device().is_cpu() || image.scalar_type() != at::kFloat)
        return domain_transform_filter(image.to(at::kCPU, at::kFloat), sigma_s, sigma_r, iterations)
            .to(image.device(), image.scalar_type());
    const auto [dx, dy] = domain_derivatives(image, sigma_s, sigma_r);
    at::Tensor f = image.contiguous().clone();
    const std::int64_t c = f.size(1), h = f.size(2), w = f.size(3);
    // Each iteration's sigma is half the one before, so its feedback a^d is the square of the one
    // before: one pow for the first, a product for the others (the pows were 7 % of a 12 MP run).
    const double a = std::exp(-std::sqrt(2.0) / iteration_sigma(sigma_s, 0, iterations));
    at::Tensor vx = at::pow(a, dx).contiguous(), vy = at::pow(a, dy).contiguous();
    for (int i = 0; i < iterations; ++i) {
        if (i > 0) {
            vx.mul_(vx);
            vy.mul_(vy);
        }
        rows_cpu(f.data_ptr<float>(), vx.data_ptr<float>(), c, h, w);
        columns_cpu(f.data_ptr<float>(), vy.data_ptr<float>(), c, h, w);
    }
    return f;
}

}  // namespace nt
