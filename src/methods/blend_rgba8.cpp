#include "methods/blend_rgba8.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <cmath>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

#include "base/error.h"
#include "methods/blend.h"

namespace nt {

namespace {

// The reference kernel: one pixel at a time. wc + w == 256, so each sum is at most 255 * 256 and
// fits in 16 bits. Used for the tail of each span, and everywhere on CPUs without SSSE3.
void blend_span_scalar(const std::uint8_t* __restrict c, const std::uint8_t* __restrict s, std::uint8_t* __restrict o,
                       std::size_t pixels, std::uint16_t w) {
    const std::uint16_t wc = std::uint16_t(256 - w);
    for (std::size_t i = 0; i < pixels; ++i) {
        o[4 * i + 0] = std::uint8_t(std::uint16_t(c[3 * i + 0] * wc + s[3 * i + 0] * w) >> 8);
        o[4 * i + 1] = std::uint8_t(std::uint16_t(c[3 * i + 1] * wc + s[3 * i + 1] * w) >> 8);
        o[4 * i + 2] = std::uint8_t(std::uint16_t(c[3 * i + 2] * wc + s[3 * i + 2] * w) >> 8);
        o[4 * i + 3] = 255;
    }
}

#if defined(__x86_64__) || defined(__i386__)
// 16 pixels per step: blend 3 x 16 bytes of RGB in 16-bit lanes, then spread them to 4 x 16
// bytes of RGBA with byte shuffles. GCC's auto-vectorizer handles the blend but not the 3-to-4
// interleave (it falls back to byte extracts, 4x slower), hence the intrinsics. SSSE3 is enough
// to reach memory speed, so no wider variants.
// Helpers are functions, not lambdas: a lambda does not inherit the target("ssse3") attribute
// and the intrinsics would fail to inline into it.
__attribute__((target("ssse3"))) inline __m128i blend16(const std::uint8_t* a, const std::uint8_t* b, __m128i weight_c,
                                                        __m128i weight) {
    const __m128i zero = _mm_setzero_si128();
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a));
    const __m128i y = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b));
    const __m128i lo = _mm_add_epi16(_mm_mullo_epi16(_mm_unpacklo_epi8(x, zero), weight_c),
                                     _mm_mullo_epi16(_mm_unpacklo_epi8(y, zero), weight));
    const __m128i hi = _mm_add_epi16(_mm_mullo_epi16(_mm_unpackhi_epi8(x, zero), weight_c),
                                     _mm_mullo_epi16(_mm_unpackhi_epi8(y, zero), weight));
    return _mm_packus_epi16(_mm_srli_epi16(lo, 8), _mm_srli_epi16(hi, 8));
}

// Spreads the first 12 bytes (4 RGB pixels) to 16 bytes of opaque RGBA.
__attribute__((target("ssse3"))) inline void store_rgba4(std::uint8_t* dst, __m128i rgb) {
    const __m128i rgb_to_rgbx = _mm_setr_epi8(0, 1, 2, -1, 3, 4, 5, -1, 6, 7, 8, -1, 9, 10, 11, -1);
    const __m128i opaque = _mm_set1_epi32(int(0xFF000000u));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst), _mm_or_si128(_mm_shuffle_epi8(rgb, rgb_to_rgbx), opaque));
}

__attribute__((target("ssse3"))) void blend_span_ssse3(const std::uint8_t* __restrict c,
                                                       const std::uint8_t* __restrict s, std::uint8_t* __restrict o,
                                                       std::size_t pixels, std::uint16_t w) {
    const __m128i weight = _mm_set1_epi16(short(w));
    const __m128i weight_c = _mm_set1_epi16(short(256 - w));
    std::size_t i = 0;
    for (; i + 16 <= pixels; i += 16) {
        const std::uint8_t* cc = c + 3 * i;
        const std::uint8_t* ss = s + 3 * i;
        const __m128i r0 = blend16(cc, ss, weight_c, weight);
        const __m128i r1 = blend16(cc + 16, ss + 16, weight_c, weight);
        const __m128i r2 = blend16(cc + 32, ss + 32, weight_c, weight);
        std::uint8_t* oo = o + 4 * i;
        store_rgba4(oo, r0);                                // pixels 0..3: bytes 0..11
        store_rgba4(oo + 16, _mm_alignr_epi8(r1, r0, 12));  // pixels 4..7: bytes 12..23
        store_rgba4(oo + 32, _mm_alignr_epi8(r2, r1, 8));   // pixels 8..11: bytes 24..35
        store_rgba4(oo + 48, _mm_srli_si128(r2, 4));        // pixels 12..15: bytes 36..47
    }
    blend_span_scalar(c + 3 * i, s + 3 * i, o + 4 * i, pixels - i, w);
}
#endif

using SpanKernel = void (*)(const std::uint8_t*, const std::uint8_t*, std::uint8_t*, std::size_t, std::uint16_t);

SpanKernel pick_kernel() {
#if defined(__x86_64__) || defined(__i386__)
    if (__builtin_cpu_supports("ssse3")) return blend_span_ssse3;
#endif
    return blend_span_scalar;
}

void blend_span(const std::uint8_t* c, const std::uint8_t* s, std::uint8_t* o, std::size_t pixels, std::uint16_t w) {
    static const SpanKernel kernel = pick_kernel();
    kernel(c, s, o, pixels, w);
}

}  // namespace

std::uint16_t blend_weight_q8(double alpha) {
    check_alpha(alpha);
    return std::uint16_t(std::lround(alpha * 256.0));
}

void blend_rgb_into_rgba8(const std::uint8_t* content, const std::uint8_t* style, int width, int height, double alpha,
                          std::uint8_t* out, std::size_t out_stride) {
    const std::uint16_t w = blend_weight_q8(alpha);
    if (width <= 0 || height <= 0) return;
    if (out_stride < std::size_t(width) * 4) throw Error("blend_rgb_into_rgba8: output stride too small");
    const std::size_t in_row = std::size_t(width) * 3;
    if (out_stride == std::size_t(width) * 4) {
        // Contiguous: split the whole frame into equal spans, one per thread.
        const std::int64_t pixels = std::int64_t(width) * height;
        at::parallel_for(0, pixels, 1 << 14, [&](std::int64_t begin, std::int64_t end) {
            blend_span(content + 3 * begin, style + 3 * begin, out + 4 * begin, std::size_t(end - begin), w);
        });
        return;
    }
    at::parallel_for(0, height, 8, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t y = begin; y < end; ++y)
            blend_span(content + y * in_row, style + y * in_row, out + y * out_stride, std::size_t(width), w);
    });
}

void rgb_to_rgba8(const std::uint8_t* rgb, int width, int height, std::uint8_t* out, std::size_t out_stride) {
    blend_rgb_into_rgba8(rgb, rgb, width, height, 0.0, out, out_stride);
}

at::Tensor blend_rgba8(const at::Tensor& content, const at::Tensor& style, double alpha, at::Tensor out) {
    const std::uint16_t w = blend_weight_q8(alpha);
    if (content.scalar_type() != at::kByte || style.scalar_type() != at::kByte || content.dim() != 3 ||
        content.size(2) != 3 || !content.sizes().equals(style.sizes()) || content.device() != style.device())
        throw Error("blend_rgba8: expects uint8 [H, W, 3] content and style of one shape on one device");
    const std::int64_t h = content.size(0), wd = content.size(1);
    if (!out.defined()) out = at::empty({h, wd, 4}, content.options());
    if (out.scalar_type() != at::kByte || !out.sizes().equals({h, wd, 4}) || !out.is_contiguous() ||
        out.device() != content.device())
        throw Error("blend_rgba8: output must be a contiguous uint8 [H, W, 4] tensor on the inputs' device");
    if (content.is_cuda()) {
        // The same fixed-point formula (in int32: int16 would overflow at 255 * 256), a handful of
        // element-wise kernels on the GPU.
        const at::Tensor mixed = content.to(at::kInt).mul_(256 - w).add_(style.to(at::kInt).mul_(w));
        out.narrow(2, 0, 3).copy_(mixed.bitwise_right_shift(8));  // copy_ converts to uint8
        out.narrow(2, 3, 1).fill_(255);
        return out;
    }
    const at::Tensor c = content.contiguous(), s = style.contiguous();
    blend_rgb_into_rgba8(c.data_ptr<std::uint8_t>(), s.data_ptr<std::uint8_t>(), int(wd), int(h), alpha,
                         out.data_ptr<std::uint8_t>(), std::size_t(wd) * 4);
    return out;
}

}  // namespace nt
