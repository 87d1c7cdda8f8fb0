#include "image/resize.h"

#include <ATen/Parallel.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <algorithm>
#include <vector>

#include "base/error.h"
#include "base/limits.h"

namespace nt {

namespace {

// Pillow's PRECISION_BITS for 8-bit images: 32 - 8 (pixel) - 2 (headroom for negative lobes).
constexpr int kPrecisionBits = 32 - 8 - 2;

double triangle(double x) {
    x = std::fabs(x);
    return x < 1.0 ? 1.0 - x : 0.0;
}

// The taps of one output axis: for output index i, source indices [first[i], first[i] + count[i])
// with fixed-point weights taps[i * stride + k].
struct Taps {
    int stride = 0;
    std::vector<int> first, count;
    std::vector<std::int32_t> weights;
};

// Mirrors Pillow's precompute_coeffs() and normalize_coeffs_8bpc() for the whole input range.
Taps compute_taps(int in_size, int out_size) {
    const double scale = double(in_size) / out_size;
    const double filter_scale = scale < 1.0 ? 1.0 : scale;
    const double support = 1.0 * filter_scale;  // the bilinear filter's support is 1
    Taps t;
    t.stride = int(std::ceil(support)) * 2 + 1;
    t.first.resize(out_size);
    t.count.resize(out_size);
    t.weights.assign(std::size_t(out_size) * t.stride, 0);
    std::vector<double> k(t.stride);
    for (int i = 0; i < out_size; ++i) {
        const double center = (i + 0.5) * scale;
        const double ss = 1.0 / filter_scale;
        int xmin = int(center - support + 0.5);
        if (xmin < 0) xmin = 0;
        int xmax = int(center + support + 0.5);
        if (xmax > in_size) xmax = in_size;
        xmax -= xmin;
        double total = 0.0;
        for (int x = 0; x < xmax; ++x) {
            k[x] = triangle((x + xmin - center + 0.5) * ss);
            total += k[x];
        }
        for (int x = 0; x < xmax; ++x) {
            const double w = total != 0.0 ? k[x] / total : k[x];
            const double fixed = w * (1 << kPrecisionBits);
            t.weights[std::size_t(i) * t.stride + x] = std::int32_t(w < 0 ? -0.5 + fixed : 0.5 + fixed);
        }
        t.first[i] = xmin;
        t.count[i] = xmax;
    }
    return t;
}

// Pillow accumulates in int: triangle weights are positive and sum to 1 << kPrecisionBits, so
// 255 * (1 << 22) plus rounding fits comfortably.
inline std::uint8_t clip8(std::int32_t v) {
    if (v >= (std::int32_t(1) << kPrecisionBits << 8)) return 255;
    if (v <= 0) return 0;
    return std::uint8_t(v >> kPrecisionBits);
}

// Resamples rows [row_begin, row_end) of `in` horizontally into `out` (out.height == row count).
void horizontal_pass(const Image& in, int row_begin, const Taps& taps, Image& out) {
    at::parallel_for(0, out.height, 16, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t y = begin; y < end; ++y) {
            const std::uint8_t* src = in.row(int(y) + row_begin);
            std::uint8_t* dst = out.row(int(y));
            for (int x = 0; x < out.width; ++x) {
                const std::int32_t* w = &taps.weights[std::size_t(x) * taps.stride];
                const std::uint8_t* s = src + 3 * std::size_t(taps.first[x]);
                std::int32_t r = 1 << (kPrecisionBits - 1), g = r, b = r;
                for (int k = 0; k < taps.count[x]; ++k, s += 3) {
                    r += std::int32_t(s[0]) * w[k];
                    g += std::int32_t(s[1]) * w[k];
                    b += std::int32_t(s[2]) * w[k];
                }
                dst[3 * x + 0] = clip8(r);
                dst[3 * x + 1] = clip8(g);
                dst[3 * x + 2] = clip8(b);
            }
        }
    });
}

// Resamples `in` vertically into `out`; tap indices are relative to `row_offset` in `in`.
void vertical_pass(const Image& in, int row_offset, const Taps& taps, Image& out) {
    const std::size_t row_len = out.row_bytes();
    at::parallel_for(0, out.height, 16, [&](std::int64_t begin, std::int64_t end) {
        std::vector<std::int32_t> acc(row_len);
        for (std::int64_t y = begin; y < end; ++y) {
            const std::int32_t* w = &taps.weights[std::size_t(y) * taps.stride];
            std::fill(acc.begin(), acc.end(), std::int32_t(1) << (kPrecisionBits - 1));
            for (int k = 0; k < taps.count[y]; ++k) {
                const std::uint8_t* src = in.row(taps.first[y] - row_offset + k);
                const std::int32_t wk = w[k];
                for (std::size_t i = 0; i < row_len; ++i) acc[i] += src[i] * wk;
            }
            std::uint8_t* dst = out.row(int(y));
            for (std::size_t i = 0; i < row_len; ++i) dst[i] = clip8(acc[i]);
        }
    });
}

}  // namespace

Image resize_bilinear_antialias(const Image& source, int width, int height) {
    if (source.empty()) throw Error("cannot resize an empty image");
    if (!within_image_limits(width, height))
        throw Error("resize",
                    "target size " + std::to_string(width) + "x" + std::to_string(height) + " is outside the limits");
    const bool need_h = width != source.width;
    const bool need_v = height != source.height;
    if (!need_h && !need_v) return source;

    const Taps vtaps = compute_taps(source.height, height);
    Image horizontal;
    int row_offset = 0;
    if (need_h) {
        // Only the source rows the vertical pass will read, as Pillow does.
        int first_row = 0, last_row = source.height;
        if (need_v) {
            first_row = vtaps.first[0];
            last_row = vtaps.first[height - 1] + vtaps.count[height - 1];
        }
        horizontal = Image(width, last_row - first_row);
        horizontal_pass(source, first_row, compute_taps(source.width, width), horizontal);
        row_offset = first_row;
        if (!need_v) return horizontal;
    }
    Image out(width, height);
    vertical_pass(need_h ? horizontal : source, row_offset, vtaps, out);
    return out;
}

}  // namespace nt
