#include "synthesis/synthesis_kernels.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "base/cpu_kernel.h"

namespace nt {

namespace {

using i64 = std::int64_t;

// Vectors of W floats (base/cpu_kernel.h): local variables only, never across a function call.
// Queries costed together, so each key vector loaded feeds this many of them.
constexpr int kQueriesAtOnce = 4;

// cost[q][k] = key_costs[k] + sum_j (-2 q_j) keys_t[j][k] for NQ queries, W keys at a time.
template <int W, int NQ>
NT_INLINE void key_costs(const AssignChunk& c, const float* minus_two_q, float* cost) {
    using Lanes = typename FloatLanes<W>::type;
    const i64 m = c.keys, d = c.dims;
    i64 k = 0;
    for (; k + W <= m; k += W) {
        Lanes acc[NQ];
        Lanes base;
        std::memcpy(&base, c.key_costs + k, sizeof(Lanes));
#pragma GCC unroll 4
        for (int q = 0; q < NQ; ++q) acc[q] = base;
        for (i64 j = 0; j < d; ++j) {
            Lanes kv;
            std::memcpy(&kv, c.keys_t + j * m + k, sizeof(Lanes));
#pragma GCC unroll 4
            for (int q = 0; q < NQ; ++q) acc[q] += minus_two_q[q * d + j] * kv;
        }
#pragma GCC unroll 4
        for (int q = 0; q < NQ; ++q) std::memcpy(cost + q * m + k, &acc[q], sizeof(Lanes));
    }
    for (; k < m; ++k)
        for (int q = 0; q < NQ; ++q) {
            float s = c.key_costs[k];
            for (i64 j = 0; j < d; ++j) s += minus_two_q[q * d + j] * c.keys_t[j * m + k];
            cost[q * m + k] = s;
        }
}

// The index of the first smallest of m costs. Each lane keeps the first minimum of its keys (a
// strict <), then the lanes are joined by value and, on a tie, by the lower index: the same
// index as a plain scan, W keys a step (the plain scan was most of the assignment's time).
template <int W>
NT_INLINE i64 first_minimum(const float* cost, i64 m) {
    using Lanes = typename FloatLanes<W>::type;
    using Indices = typename FloatLanes<W>::index_type;
    i64 best = 0, k = 1;
    if (m >= 2 * W) {
        Lanes best_cost;
        std::memcpy(&best_cost, cost, sizeof(Lanes));
        Indices at;
        for (int l = 0; l < W; ++l) at[l] = l;
        Indices best_at = at;
        for (k = W; k + W <= m; k += W) {
            at += W;
            Lanes v;
            std::memcpy(&v, cost + k, sizeof(Lanes));
            const Indices less = v < best_cost;
            best_cost = less ? v : best_cost;
            best_at = less ? at : best_at;
        }
        best = best_at[0];
        for (int l = 1; l < W; ++l)
            if (best_cost[l] < cost[best] || (best_cost[l] == cost[best] && best_at[l] < best)) best = best_at[l];
    }
    for (; k < m; ++k)
        if (cost[k] < cost[best]) best = k;
    return best;
}

template <int W, int NQ>
NT_INLINE void assign_queries(const AssignChunk& c, i64 q0, std::vector<float>& cost, std::vector<float>& minus_two_q,
                              i64* chosen) {
    for (int q = 0; q < NQ; ++q)
        for (i64 j = 0; j < c.dims; ++j)
            minus_two_q[std::size_t(q * c.dims + j)] = -2.0f * c.queries[(q0 + q) * c.dims + j];
    key_costs<W, NQ>(c, minus_two_q.data(), cost.data());
    for (int q = 0; q < NQ; ++q) {
        float* row = cost.data() + q * c.keys;
        if (c.targets)
            for (i64 t = 0; t < c.per_row; ++t)
                row[c.targets[(q0 + q) * c.per_row + t]] += c.penalties[(q0 + q) * c.per_row + t];
        chosen[q0 + q] = first_minimum<W>(row, c.keys);
    }
}

template <int W>
NT_INLINE void assign_range_lanes(const AssignChunk& c, i64 begin, i64 end, i64* chosen) {
    std::vector<float> cost(std::size_t(kQueriesAtOnce * c.keys));
    std::vector<float> minus_two_q(std::size_t(kQueriesAtOnce * c.dims));
    i64 q = begin;
    for (; q + kQueriesAtOnce <= end; q += kQueriesAtOnce)
        assign_queries<W, kQueriesAtOnce>(c, q, cost, minus_two_q, chosen);
    for (; q < end; ++q) assign_queries<W, 1>(c, q, cost, minus_two_q, chosen);
}
NT_LANE_DISPATCH(assign_range, (const AssignChunk& c, i64 begin, i64 end, i64* chosen), (c, begin, end, chosen))

// Squared distance between two rows of `count` floats.
template <int W>
NT_INLINE float row_distance(const float* a, const float* b, i64 count) {
    using Lanes = typename FloatLanes<W>::type;
    Lanes acc{};
    i64 i = 0;
    for (; i + W <= count; i += W) {
        Lanes va, vb;
        std::memcpy(&va, a + i, sizeof(Lanes));
        std::memcpy(&vb, b + i, sizeof(Lanes));
        const Lanes diff = va - vb;
        acc += diff * diff;
    }
    float s = 0.0f;
    for (int l = 0; l < W; ++l) s += acc[l];
    for (; i < count; ++i) s += (a[i] - b[i]) * (a[i] - b[i]);
    return s;
}

// Grid row r: every patch's robust weight and its weighted style patch into the sums.
template <int W>
NT_INLINE void aggregate_row_lanes(const RobustAggregate& a, i64 r, float* weighted, float* weights) {
    const i64 n = a.n, plane = a.padded_height * a.padded_width, style_plane = a.style_height * a.style_width;
    for (i64 col = 0; col < a.cols; ++col) {
        const i64 key = a.index[r * a.cols + col];
        const i64 sy = (key / a.key_cols) * a.key_stride, sx = (key % a.key_cols) * a.key_stride;
        const i64 y0 = r * a.gap, x0 = col * a.gap;
        float squared = 0.0f;
        for (i64 ch = 0; ch < a.channels; ++ch)
            for (i64 dy = 0; dy < n; ++dy)
                squared += row_distance<W>(a.padded + ch * plane + (y0 + dy) * a.padded_width + x0,
                                           a.style + ch * style_plane + (sy + dy) * a.style_width + sx, n);
        const float w = std::pow(std::sqrt(squared) + a.epsilon, a.exponent - 2.0f);
        for (i64 ch = 0; ch < a.channels; ++ch)
            for (i64 dy = 0; dy < n; ++dy) {
                float* dst = weighted + ch * plane + (y0 + dy) * a.padded_width + x0;
                const float* src = a.style + ch * style_plane + (sy + dy) * a.style_width + sx;
                for (i64 dx = 0; dx < n; ++dx) dst[dx] += w * src[dx];
            }
        for (i64 dy = 0; dy < n; ++dy) {
            float* dst = weights + (y0 + dy) * a.padded_width + x0;
            for (i64 dx = 0; dx < n; ++dx) dst[dx] += w;
        }
    }
}
NT_LANE_DISPATCH(aggregate_row, (const RobustAggregate& a, i64 r, float* weighted, float* weights),
                 (a, r, weighted, weights))

// Basis columns [first, first + NV W) of one grid patch's projection: every pixel value feeds NV
// vectors of columns. Each column's sum runs over the values in the same order whatever W is.
template <int W, int NV>
NT_INLINE void project_columns(const GridProjection& p, i64 y0, i64 x0, i64 first, float* out) {
    using Lanes = typename FloatLanes<W>::type;
    const i64 plane = p.padded_height * p.padded_width;
    Lanes acc[NV];
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) acc[v] = Lanes{};
    const float* basis = p.basis + first;
    const float* mean = p.mean;
    for (i64 ch = 0; ch < p.channels; ++ch)
        for (i64 dy = 0; dy < p.n; ++dy) {
            const float* row = p.padded + ch * plane + (y0 + dy) * p.padded_width + x0;
            for (i64 dx = 0; dx < p.n; ++dx, basis += p.basis_stride, ++mean) {
                const float value = row[dx] - *mean;
#pragma GCC unroll 4
                for (int v = 0; v < NV; ++v) {
                    Lanes b;
                    std::memcpy(&b, basis + v * W, sizeof(Lanes));
                    acc[v] += value * b;
                }
            }
        }
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v)
        for (int l = 0; l < W; ++l)
            if (first + v * W + l < p.dims) out[first + v * W + l] = acc[v][l];
}

// Up to four vectors of columns a pass over the patch (at most 64 dimensions: one pass with
// AVX-512, two with AVX2).
template <int W>
NT_INLINE void project_range_lanes(const GridProjection& p, i64 begin, i64 end, float* out) {
    for (i64 r = begin; r < end; ++r)
        for (i64 c = 0; c < p.cols; ++c) {
            float* dst = out + (r * p.cols + c) * p.dims;
            for (i64 first = 0; first < p.dims; first += 4 * W)
                switch ((std::min<i64>(p.dims - first, 4 * W) + W - 1) / W) {
                    case 1: project_columns<W, 1>(p, r * p.gap, c * p.gap, first, dst); break;
                    case 2: project_columns<W, 2>(p, r * p.gap, c * p.gap, first, dst); break;
                    case 3: project_columns<W, 3>(p, r * p.gap, c * p.gap, first, dst); break;
                    default: project_columns<W, 4>(p, r * p.gap, c * p.gap, first, dst); break;
                }
        }
}
NT_LANE_DISPATCH(project_range, (const GridProjection& p, i64 begin, i64 end, float* out), (p, begin, end, out))

}  // namespace

void project_grid_cpu(const GridProjection& p, float* out) {
    at::parallel_for(0, p.rows, 1, [&](i64 begin, i64 end) { project_range(p, begin, end, out); });
}

void assign_chunk_cpu(const AssignChunk& chunk, std::int64_t* chosen) {
    if (chunk.rows <= 0 || chunk.keys <= 0) return;
    at::parallel_for(0, chunk.rows, kQueriesAtOnce,
                     [&](i64 begin, i64 end) { assign_range(chunk, begin, end, chosen); });
}

void robust_aggregate_cpu(const RobustAggregate& a, float* weighted, float* weights) {
    // Grid rows B apart never overlap (B gap >= n), so the groups of B rows of one parity run in
    // parallel, then those of the other.
    const i64 group = (a.n + a.gap - 1) / a.gap, groups = (a.rows + group - 1) / group;
    for (i64 parity = 0; parity < 2; ++parity) {
        const i64 count = (groups - parity + 1) / 2;
        at::parallel_for(0, count, 1, [&](i64 begin, i64 end) {
            for (i64 i = begin; i < end; ++i) {
                const i64 g = 2 * i + parity;
                for (i64 r = g * group; r < std::min(a.rows, (g + 1) * group); ++r)
                    aggregate_row(a, r, weighted, weights);
            }
        });
    }
}

}  // namespace nt
