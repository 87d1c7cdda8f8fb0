#pragma once
// The two inner loops of patch synthesis on the CPU, straight from the pictures: at full
// resolution (a 12 MP finest pass has 120 k grid patches against 16 k style patches) the tensor
// formulation spent its time in per-chunk framework calls and in patch matrices through memory.
//
//   assign_chunk_cpu: for a chunk of queries, the cost of every key, ||k||^2 - 2 q.k plus a
//     per-key cost (the usage penalty) plus per-query penalties on a few keys (coherence), and
//     the cheapest key (the first on ties): patch_assign's [chunk, keys] block and argmin, with
//     the block never leaving the cache.
//   project_grid_cpu: every grid patch of a picture projected on the PCA basis, read from the
//     picture: im2col, the centring and the GEMM of patch_pca's projection. Each value is
//     centred before it is multiplied, as there: x.b - mean.b, cheaper, loses digits to
//     cancellation, and in the tests that changed which of a painting's near-equal patches won
//     (fewer, wavier stripes from a striped style).
//   robust_aggregate_cpu: one IRLS pass of patch synthesis: for every grid patch of x, the
//     distance to its matched style patch read from the style picture, the robust weight
//     (distance + eps)^(r - 2), and the weighted patch added into the sums: patch_grid's
//     extraction, the residual norms and col2im, with no patch matrix at all.
// Both equal their tensor formulations up to float rounding (tests/synthesis/synthesis_kernels_test).
// Work is split over LibTorch's intra-op threads. Each loop is built for vectors of 16, 8 and 4
// floats and runs the widest this CPU has natively (base/cpu_kernel.h: NT_LANE_DISPATCH).
#include <cstdint>

namespace nt {

struct AssignChunk {
    const float* queries = nullptr;  // [rows, dims]
    std::int64_t rows = 0, dims = 0;
    const float* keys_t = nullptr;     // [dims, keys]: the keys transposed, so a vector of keys loads at once
    const float* key_costs = nullptr;  // [keys]: ||k||^2 plus the usage penalty
    std::int64_t keys = 0;
    const std::int64_t* targets = nullptr;  // [rows, per_row] keys with a penalty, or null
    const float* penalties = nullptr;       // [rows, per_row], added to those keys' costs
    std::int64_t per_row = 0;
};

// chosen[i]: the cheapest key for query i.
void assign_chunk_cpu(const AssignChunk& chunk, std::int64_t* chosen);

struct RobustAggregate {
    const float* padded = nullptr;  // x mirrored to the grid: [channels, padded_height, padded_width]
    std::int64_t channels = 0, padded_height = 0, padded_width = 0;
    const float* style = nullptr;  // the database's picture: [channels, style_height, style_width]
    std::int64_t style_height = 0, style_width = 0;
    std::int64_t n = 0, gap = 0, rows = 0, cols = 0;  // the grid
    std::int64_t key_cols = 0, key_stride = 1;        // key m is at ((m / key_cols) stride, (m % key_cols) stride)
    const std::int64_t* index = nullptr;              // [rows * cols] the matched key of each grid patch
    float exponent = 0.8f, epsilon = 1e-4f;
};

// Adds the weighted style patches into weighted [channels, padded_height, padded_width] and their
// weights into weights [padded_height, padded_width] (both zeroed by the caller).
void robust_aggregate_cpu(const RobustAggregate& a, float* weighted, float* weights);

struct GridProjection {
    const float* padded = nullptr;  // the picture mirrored to the grid: [channels, padded_height, padded_width]
    std::int64_t channels = 0, padded_height = 0, padded_width = 0;
    std::int64_t n = 0, gap = 0, rows = 0, cols = 0;  // the grid
    const float* basis = nullptr;             // [channels n n, basis_stride]: the PCA basis, columns padded with zeros
    std::int64_t dims = 0, basis_stride = 0;  // dims <= kMaxProjectionDims; basis_stride: dims rounded up to 16
    const float* mean = nullptr;              // [channels n n]: subtracted from each patch first
};
inline constexpr std::int64_t kMaxProjectionDims = 64;

// out [rows * cols, dims]: (patch - mean) . basis for every grid patch, read from the picture (the
// grid's patch matrix, 3 n^2 floats a patch, is never formed).
void project_grid_cpu(const GridProjection& p, float* out);

}  // namespace nt
