#include "synthesis/correlation_kernel.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cstring>

#include "base/cpu_kernel.h"

namespace nt {

namespace {

using i64 = std::int64_t;

// Vectors of W floats, one register of the instruction set each width is built for
// (base/cpu_kernel.h). Never passed to or returned from a function (that would change the ABI
// between widths); only local variables.

// Outputs [o0, o0 + OB) at output row y, pixels [x0, x0 + W NV): OB x NV accumulators stay in
// registers while the I p^2 taps run; each tap loads NV input vectors and OB weights.
template <int W, int OB, int NV>
NT_INLINE void correlate_block(const float* __restrict in, const float* __restrict w, const CorrelationShape& s, i64 o0,
                               i64 y, i64 x0, float* __restrict out) {
    using Lanes = typename FloatLanes<W>::type;
    const i64 p = s.patch, w_stride = s.in_channels * p * p, plane = s.out_height() * s.out_width();
    Lanes acc[OB][NV];
#pragma GCC unroll 8
    for (int o = 0; o < OB; ++o)
#pragma GCC unroll 4
        for (int n = 0; n < NV; ++n) acc[o][n] = Lanes{};
    for (i64 i = 0; i < s.in_channels; ++i)
        for (i64 dy = 0; dy < p; ++dy) {
            const float* row = in + (i * s.height + y + dy) * s.width + x0;
            const float* taps = w + o0 * w_stride + (i * p + dy) * p;
            for (i64 dx = 0; dx < p; ++dx) {
                Lanes v[NV];
#pragma GCC unroll 4
                for (int n = 0; n < NV; ++n) std::memcpy(&v[n], row + dx + n * W, sizeof(Lanes));
#pragma GCC unroll 8
                for (int o = 0; o < OB; ++o) {
                    const float c = taps[o * w_stride + dx];
#pragma GCC unroll 4
                    for (int n = 0; n < NV; ++n) acc[o][n] += c * v[n];
                }
            }
        }
    float* dst = out + o0 * plane + y * s.out_width() + x0;
#pragma GCC unroll 8
    for (int o = 0; o < OB; ++o)
#pragma GCC unroll 4
        for (int n = 0; n < NV; ++n) std::memcpy(dst + o * plane + n * W, &acc[o][n], sizeof(Lanes));
}

// One output at one pixel, for rows narrower than a block.
NT_INLINE void correlate_pixel(const float* in, const float* w, const CorrelationShape& s, i64 o, i64 y, i64 x,
                               float* out) {
    const i64 p = s.patch;
    const float* taps = w + o * s.in_channels * p * p;
    float sum = 0.0f;
    for (i64 i = 0; i < s.in_channels; ++i)
        for (i64 dy = 0; dy < p; ++dy)
            for (i64 dx = 0; dx < p; ++dx)
                sum += taps[(i * p + dy) * p + dx] * in[(i * s.height + y + dy) * s.width + x + dx];
    out[(o * s.out_height() + y) * s.out_width() + x] = sum;
}

// Outputs [o0, o0 + OB) along output row y, pixels [x_begin, x_end). The last block is moved back
// to end at x_end (it recomputes a few pixels, with the same result), so no pixel needs a
// narrower block; a span narrower than one block runs pixel by pixel.
template <int W, int OB, int NV>
NT_INLINE void correlate_outputs(const float* in, const float* w, const CorrelationShape& s, i64 o0, i64 y, i64 x_begin,
                                 i64 x_end, float* out) {
    constexpr i64 span = NV * W;
    if (x_end - x_begin < span) {
        for (i64 o = o0; o < o0 + OB; ++o)
            for (i64 x = x_begin; x < x_end; ++x) correlate_pixel(in, w, s, o, y, x, out);
        return;
    }
    for (i64 x = x_begin; x < x_end; x += span)
        correlate_block<W, OB, NV>(in, w, s, o0, y, std::min(x, x_end - span), out);
}

// With AVX-512 (32 registers of 16 floats): eight outputs at a time, 16 accumulators; the last 1
// to 7 with wider blocks.
NT_INLINE void correlate_span_32_registers(const float* in, const float* w, const CorrelationShape& s, i64 y,
                                           i64 x_begin, i64 x_end, float* out) {
    i64 o0 = 0;
    for (; o0 + 8 <= s.out_channels; o0 += 8) correlate_outputs<16, 8, 2>(in, w, s, o0, y, x_begin, x_end, out);
    switch (s.out_channels - o0) {
        case 7: correlate_outputs<16, 7, 2>(in, w, s, o0, y, x_begin, x_end, out); break;
        case 6: correlate_outputs<16, 6, 2>(in, w, s, o0, y, x_begin, x_end, out); break;
        case 5: correlate_outputs<16, 5, 2>(in, w, s, o0, y, x_begin, x_end, out); break;
        case 4: correlate_outputs<16, 4, 4>(in, w, s, o0, y, x_begin, x_end, out); break;
        case 3: correlate_outputs<16, 3, 4>(in, w, s, o0, y, x_begin, x_end, out); break;
        case 2: correlate_outputs<16, 2, 4>(in, w, s, o0, y, x_begin, x_end, out); break;
        case 1: correlate_outputs<16, 1, 4>(in, w, s, o0, y, x_begin, x_end, out); break;
        default: break;
    }
}

// With AVX2 or SSE (16 registers): six outputs at a time, 12 accumulators, two input vectors
// and a weight; the last 1 to 5 with wider blocks.
template <int W>
NT_INLINE void correlate_span_16_registers(const float* in, const float* w, const CorrelationShape& s, i64 y,
                                           i64 x_begin, i64 x_end, float* out) {
    i64 o0 = 0;
    for (; o0 + 6 <= s.out_channels; o0 += 6) correlate_outputs<W, 6, 2>(in, w, s, o0, y, x_begin, x_end, out);
    switch (s.out_channels - o0) {
        case 5: correlate_outputs<W, 5, 2>(in, w, s, o0, y, x_begin, x_end, out); break;
        case 4: correlate_outputs<W, 4, 3>(in, w, s, o0, y, x_begin, x_end, out); break;
        case 3: correlate_outputs<W, 3, 4>(in, w, s, o0, y, x_begin, x_end, out); break;
        case 2: correlate_outputs<W, 2, 4>(in, w, s, o0, y, x_begin, x_end, out); break;
        case 1: correlate_outputs<W, 1, 4>(in, w, s, o0, y, x_begin, x_end, out); break;
        default: break;
    }
}

template <int W>
NT_INLINE void correlate_span_lanes(const float* in, const float* w, const CorrelationShape& s, i64 y, i64 x_begin,
                                    i64 x_end, float* out) {
    if constexpr (W == 16) correlate_span_32_registers(in, w, s, y, x_begin, x_end, out);
    else correlate_span_16_registers<W>(in, w, s, y, x_begin, x_end, out);
}
NT_LANE_DISPATCH(correlate_span,
                 (const float* in, const float* w, const CorrelationShape& s, i64 y, i64 x_begin, i64 x_end,
                  float* out),
                 (in, w, s, y, x_begin, x_end, out))

}  // namespace

void correlate_valid(const float* in, const float* weights, const CorrelationShape& shape, float* out) {
    // Tasks are row pieces of at least kPiece pixels (a row of 32 outputs over 512 pixels at
    // p = 7 is about 5 MFLOP, some 25 us), so a single long row (a patch matrix seen as one row,
    // p = 1) is split too. Pieces never share a pixel: each is at least one block wide.
    constexpr i64 kPiece = 512;
    const i64 width = shape.out_width(), pieces = std::max<i64>(1, width / kPiece);
    at::parallel_for(0, shape.out_height() * pieces, 4, [&](i64 begin, i64 end) {
        for (i64 task = begin; task < end; ++task) {
            const i64 y = task / pieces, piece = task % pieces;
            correlate_span(in, weights, shape, y, piece * width / pieces, (piece + 1) * width / pieces, out);
        }
    });
}

}  // namespace nt
