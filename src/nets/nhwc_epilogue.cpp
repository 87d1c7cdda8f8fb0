#include "nets/nhwc_epilogue.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "base/cpu_kernel.h"
#include "base/error.h"

// The row loops are compiled for AVX-512 and AVX2 as well as the baseline (base/cpu_kernel.h).

namespace nt {

namespace {

// Elements are float or the 16 bits of a bfloat16 (the high half of a float32).
NT_INLINE float load(const float* p) { return *p; }
NT_INLINE float load(const std::uint16_t* p) {
    const std::uint32_t bits = std::uint32_t(*p) << 16;
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}
NT_INLINE void store(float v, float* p) { *p = v; }
NT_INLINE void store(float v, std::uint16_t* p) {
    std::uint32_t u;
    std::memcpy(&u, &v, 4);
    // Round to nearest even, as c10::BFloat16 does; NaN stays a quiet NaN.
    const std::uint32_t rounded = (u + 0x7FFFu + ((u >> 16) & 1u)) >> 16;
    *p = v != v ? std::uint16_t(0x7FC0) : std::uint16_t(rounded);
}

// A [H, W, C] picture with channel stride 1: element (y, x, c) at data[y * row + x * col + c].
template <class T>
struct Plane {
    const T* data;
    std::int64_t h, w, c, row, col;
};

template <class T>
Plane<T> plane_of(const at::Tensor& t) {
    return {reinterpret_cast<const T*>(t.data_ptr()), t.size(2), t.size(3), t.size(1), t.stride(2), t.stride(3)};
}

// Sums of (x - shift) and (x - shift)^2 over one row, per channel, added to s and q. The shift
// (the first pixel) keeps the float sums far from cancellation when the mean is large.
template <class T>
NT_INLINE void row_sums_body(const T* __restrict px, std::int64_t w, std::int64_t col, std::int64_t c,
                             const float* __restrict shift, float* __restrict s, float* __restrict q) {
    for (std::int64_t x = 0; x < w; ++x, px += col)
        for (std::int64_t k = 0; k < c; ++k) {
            const float v = load(px + k) - shift[k];
            s[k] += v;
            q[k] += v * v;
        }
}
NT_ROW_KERNEL void row_sums(const float* px, std::int64_t w, std::int64_t col, std::int64_t c, const float* shift,
                            float* s, float* q) {
    row_sums_body(px, w, col, c, shift, s, q);
}
NT_ROW_KERNEL void row_sums(const std::uint16_t* px, std::int64_t w, std::int64_t col, std::int64_t c,
                            const float* shift, float* s, float* q) {
    row_sums_body(px, w, col, c, shift, s, q);
}

// Per-channel mean and biased variance of the plane, float32 [C] each.
template <class T>
NormStats channel_moments(const Plane<T>& in) {
    const std::int64_t c = in.c;
    std::vector<float> shift(c);
    for (std::int64_t k = 0; k < c; ++k) shift[k] = load(in.data + k);
    const std::int64_t chunks = std::min<std::int64_t>(in.h, 64);
    std::vector<double> partial(chunks * 2 * c, 0.0);
    at::parallel_for(0, chunks, 1, [&](std::int64_t b, std::int64_t e_) {
        std::vector<float> s(c), q(c);
        for (std::int64_t chunk = b; chunk < e_; ++chunk) {
            double* ps = partial.data() + chunk * 2 * c;
            for (std::int64_t y = chunk * in.h / chunks; y < (chunk + 1) * in.h / chunks; ++y) {
                std::fill(s.begin(), s.end(), 0.f);
                std::fill(q.begin(), q.end(), 0.f);
                row_sums(in.data + y * in.row, in.w, in.col, c, shift.data(), s.data(), q.data());
                for (std::int64_t k = 0; k < c; ++k) ps[k] += s[k], ps[c + k] += q[k];
            }
        }
    });
    const double n = double(in.h) * double(in.w);
    NormStats stats{at::empty({c}, at::kFloat), at::empty({c}, at::kFloat)};
    float* mean = stats.mean.data_ptr<float>();
    float* var = stats.var.data_ptr<float>();
    for (std::int64_t k = 0; k < c; ++k) {
        double s = 0, q = 0;
        for (std::int64_t chunk = 0; chunk < chunks; ++chunk)
            s += partial[chunk * 2 * c + k], q += partial[chunk * 2 * c + c + k];
        const double mean_shifted = s / n;
        var[k] = float(std::max(0.0, q / n - mean_shifted * mean_shifted));
        mean[k] = float(shift[k] + mean_shifted);
    }
    return stats;
}

// Per-channel scale and offset such that scale * x + offset is the affine instance norm of x,
// with the plane's own statistics or, with a tape, the tape's (nets/norm_tape.h).
template <class T>
void norm_coefficients(const Plane<T>& in, const Epilogue& e, NormTape* tape, std::vector<float>& scale,
                       std::vector<float>& offset) {
    const std::int64_t c = in.c;
    const NormStats stats =
        tape ? tape->next(std::size_t(c), [&] { return channel_moments(in); }) : channel_moments(in);
    const at::Tensor w = e.norm_weight.to(at::kFloat).contiguous(), bias = e.norm_bias.to(at::kFloat).contiguous();
    const float* wp = w.data_ptr<float>();
    const float* bp = bias.data_ptr<float>();
    const at::Tensor mean_t = stats.mean.to(at::kFloat).contiguous(), var_t = stats.var.to(at::kFloat).contiguous();
    const float* mean = mean_t.data_ptr<float>();
    const float* var = var_t.data_ptr<float>();
    scale.resize(c);
    offset.resize(c);
    for (std::int64_t k = 0; k < c; ++k) {
        const double rstd = 1.0 / std::sqrt(double(var[k]) + e.norm_eps);
        scale[k] = float(wp[k] * rstd);
        offset[k] = float(bp[k] - double(mean[k]) * wp[k] * rstd);
    }
}

// One output pixel's channels from one input pixel: scale, offset, residual, ReLU.
template <class T>
NT_INLINE void pixel_body(const T* __restrict px, const T* __restrict res, T* __restrict out, std::int64_t c,
                          const float* __restrict scale, const float* __restrict offset, bool relu) {
    for (std::int64_t k = 0; k < c; ++k) {
        float v = load(px + k) * scale[k] + offset[k];
        if (res) v += load(res + k);
        if (relu) v = std::max(v, 0.f);
        store(v, out + k);
    }
}

// A row of `w` input pixels to the output row (upsampled: each written twice).
template <class T>
NT_INLINE void map_row_body(const T* px, std::int64_t col, const T* res, std::int64_t res_col, T* out, std::int64_t w,
                            std::int64_t c, const float* scale, const float* offset, bool relu, bool upsample) {
    for (std::int64_t x = 0; x < w; ++x, px += col) {
        pixel_body(px, res ? res + x * res_col : nullptr, out, c, scale, offset, relu);
        if (upsample) {
            std::memcpy(out + c, out, sizeof(T) * c);
            out += c;
        }
        out += c;
    }
}
NT_ROW_KERNEL void map_row(const float* px, std::int64_t col, const float* res, std::int64_t res_col, float* out,
                           std::int64_t w, std::int64_t c, const float* scale, const float* offset, bool relu,
                           bool upsample) {
    map_row_body(px, col, res, res_col, out, w, c, scale, offset, relu, upsample);
}
NT_ROW_KERNEL void map_row(const std::uint16_t* px, std::int64_t col, const std::uint16_t* res, std::int64_t res_col,
                           std::uint16_t* out, std::int64_t w, std::int64_t c, const float* scale, const float* offset,
                           bool relu, bool upsample) {
    map_row_body(px, col, res, res_col, out, w, c, scale, offset, relu, upsample);
}

// 2x2 max pooling of rows a and b (b == a for the last row of an odd height), ceil mode: the
// last column of an odd width pools with itself. ReLU after the max (they commute).
template <class T>
NT_INLINE void pool_row_body(const T* a, const T* b, std::int64_t col, T* __restrict out, std::int64_t w_in,
                             std::int64_t c, bool relu) {
    const std::int64_t w_out = (w_in + 1) / 2;
    for (std::int64_t x = 0; x < w_out; ++x, out += c) {
        const std::int64_t x0 = 2 * x * col, x1 = std::min(2 * x + 1, w_in - 1) * col;
        for (std::int64_t k = 0; k < c; ++k) {
            float v =
                std::max(std::max(load(a + x0 + k), load(a + x1 + k)), std::max(load(b + x0 + k), load(b + x1 + k)));
            if (relu) v = std::max(v, 0.f);
            store(v, out + k);
        }
    }
}
NT_ROW_KERNEL void pool_row(const float* a, const float* b, std::int64_t col, float* out, std::int64_t w_in,
                            std::int64_t c, bool relu) {
    pool_row_body(a, b, col, out, w_in, c, relu);
}
NT_ROW_KERNEL void pool_row(const std::uint16_t* a, const std::uint16_t* b, std::int64_t col, std::uint16_t* out,
                            std::int64_t w_in, std::int64_t c, bool relu) {
    pool_row_body(a, b, col, out, w_in, c, relu);
}

// Reflection without repeating the edge (ReflectionPad2d): -1 -> 1, n -> n - 2.
std::int64_t reflect(std::int64_t i, std::int64_t n) {
    if (i < 0) return -i;
    if (i >= n) return 2 * (n - 1) - i;
    return i;
}

template <class T>
void run_epilogue(const at::Tensor& x, const Epilogue& e, const at::Tensor& residual, NormTape* tape, at::Tensor& out) {
    const Plane<T> in = plane_of<T>(x);
    const std::int64_t c = in.c, pad = e.pad;
    std::vector<float> scale(c, 1.f), offset(c, 0.f);
    if (e.norm_weight.defined()) norm_coefficients(in, e, tape, scale, offset);
    const bool up = e.resample == Resample::Upsample2, pool = e.resample == Resample::MaxPool2;
    const auto [padded_h, padded_w] = padded_size(in.h, in.w, e);
    const std::int64_t h = padded_h - 2 * pad, w = padded_w - 2 * pad;
    const std::int64_t out_row = padded_w * c;
    T* const dst = reinterpret_cast<T*>(out.data_ptr());
    const Plane<T> res = residual.defined() ? plane_of<T>(residual) : Plane<T>{nullptr, 0, 0, 0, 0, 0};
    const std::int64_t rows = h + 2 * pad;
    const std::int64_t grain = std::max<std::int64_t>(1, 32768 / std::max<std::int64_t>(1, out_row));
    at::parallel_for(0, rows, grain, [&](std::int64_t begin, std::int64_t end) {
        std::vector<T> block_row(e.space_to_depth ? out_row : 0);
        for (std::int64_t r = begin; r < end; ++r) {
            const std::int64_t y = reflect(r - pad, h);
            T* row = e.space_to_depth ? block_row.data() : dst + r * out_row;
            T* interior = row + pad * c;
            if (pool) {
                const T* a = in.data + std::min(2 * y, in.h - 1) * in.row;
                const T* b = in.data + std::min(2 * y + 1, in.h - 1) * in.row;
                pool_row(a, b, in.col, interior, in.w, c, e.relu);
            } else {
                const std::int64_t sy = up ? y / 2 : y;
                map_row(in.data + sy * in.row, in.col, res.data ? res.data + sy * res.row : nullptr, res.col, interior,
                        in.w, c, scale.data(), offset.data(), e.relu, up);
            }
            for (std::int64_t k = 1; k <= pad; ++k) {
                std::memcpy(row + (pad - k) * c, interior + k * c, sizeof(T) * c);
                std::memcpy(interior + (w - 1 + k) * c, interior + (w - 1 - k) * c, sizeof(T) * c);
            }
            if (e.space_to_depth) {
                // Pixel (r, q) goes to block (r / 2, q / 2), sub-position (r % 2, q % 2).
                T* blocks = dst + (r / 2) * (padded_w / 2) * 4 * c + (r % 2) * 2 * c;
                for (std::int64_t q = 0; q < padded_w; ++q)
                    std::memcpy(blocks + (q / 2) * 4 * c + (q % 2) * c, row + q * c, sizeof(T) * c);
            }
        }
    });
}

}  // namespace

at::Tensor apply_epilogue(const at::Tensor& x, const Epilogue& e, const at::Tensor& residual, NormTape* tape) {
    if (!x.defined() || x.dim() != 4 || x.size(0) != 1 || x.device().is_cuda() || x.stride(1) != 1)
        throw Error("epilogue", "expects a CPU [1, C, H, W] tensor with channel stride 1 (channels-last)");
    if (x.scalar_type() != at::kFloat && x.scalar_type() != at::kBFloat16)
        throw Error("epilogue", "expects float32 or bfloat16");
    if (e.resample == Resample::MaxPool2 && (e.norm_weight.defined() || e.residual))
        throw Error("epilogue", "max pooling is supported only after a convolution and ReLU");
    if (e.residual != residual.defined() ||
        (residual.defined() &&
         (!residual.sizes().equals(x.sizes()) || residual.scalar_type() != x.scalar_type() || residual.stride(1) != 1)))
        throw Error("epilogue", "a residual must match the input's shape, dtype and layout");
    if (e.norm_weight.defined() && (e.norm_weight.numel() != x.size(1) || e.norm_bias.numel() != x.size(1)))
        throw Error("epilogue", "instance norm weights do not match the channels");
    const auto [ph, pw] = padded_size(x.size(2), x.size(3), e);
    const std::int64_t h = ph - 2 * e.pad, w = pw - 2 * e.pad;
    if (e.pad < 0 || e.pad >= h || e.pad >= w)
        throw Error("epilogue", "reflection padding of " + std::to_string(e.pad) + " needs a picture larger than " +
                                    std::to_string(w) + "x" + std::to_string(h));
    if (e.space_to_depth && (ph % 2 || pw % 2))
        throw Error("epilogue",
                    "space to depth needs even sizes, not " + std::to_string(pw) + "x" + std::to_string(ph));
    const auto memory = x.options().memory_format(at::MemoryFormat::ChannelsLast);
    at::Tensor out = e.space_to_depth ? at::empty({1, 4 * x.size(1), ph / 2, pw / 2}, memory)
                                      : at::empty({1, x.size(1), ph, pw}, memory);
    if (x.scalar_type() == at::kFloat) run_epilogue<float>(x, e, residual, tape, out);
    else run_epilogue<std::uint16_t>(x, e, residual, tape, out);
    return out;
}

std::pair<std::int64_t, std::int64_t> padded_size(std::int64_t h, std::int64_t w, const Epilogue& e) {
    if (e.resample == Resample::Upsample2) h *= 2, w *= 2;
    if (e.resample == Resample::MaxPool2) h = (h + 1) / 2, w = (w + 1) / 2;
    return {h + 2 * e.pad, w + 2 * e.pad};
}

at::Tensor unpadded(const at::Tensor& padded, int pad) {
    return padded.narrow(2, pad, padded.size(2) - 2 * pad).narrow(3, pad, padded.size(3) - 2 * pad);
}

}  // namespace nt
