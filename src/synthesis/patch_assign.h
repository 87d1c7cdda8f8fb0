#pragma once
// Which style patch each grid patch of the estimate takes, with two penalties on top of the
// nearest-neighbour distance, so patch synthesis rebuilds the photo from the painting's strokes
// rather than pasting its objects:
//   - usage (Kaspar et al. 2015, "Self Tuning Texture Optimization", the occurrence penalty;
//     StyLit's uniformity and G'MIC's repetition penalty aim at the same): every time a style patch
//     has been taken beyond its fair share (grid patches / style patches, at least 1), taking it
//     again costs `usage` more, so one patch (a face, a flat blob) is not tiled across the picture;
//   - coherence: a style patch that continues a grid neighbour's match (the neighbour's style
//     position moved by the grid step, within the database's stride) costs `coherence` more, so
//     neighbouring grid patches do not join into a larger piece of the painting copied whole.
// Both are in mean squared error per value (colours 0..1): a penalty of 0.01 lets a patch win
// against a better-matching one only when it is worse by an RMS of 0.1 or less.
//
// The grid is assigned in two checkerboard halves: the first, then the second against the
// first's new matches, so every pair of grid neighbours is checked once, with the final matches.
// Within a half, queries go in chunks (at most kAssignChunkRows, and the [chunk, keys] block
// under kMatchBlockBytes) and the usage counts are updated after each chunk, so queries of one
// chunk can still share a patch. CPU or CUDA; on the CPU each chunk is costed and searched in one
// pass by synthesis_kernels.h (the block never leaves the cache).
#include <ATen/Tensor.h>

#include <cstdint>

#include "base/cancel.h"
#include "synthesis/patch_grid.h"

namespace nt {

inline constexpr std::int64_t kAssignChunkRows = 32;

struct AssignPenalties {
    double usage = 0.0;
    double coherence = 0.0;
    bool any() const { return usage > 0.0 || coherence > 0.0; }
};

// Where the keys come from: key m is the style patch at row (m / cols) * stride, column
// (m % cols) * stride (extract_all_patches' order).
struct KeyLayout {
    std::int64_t rows = 0, cols = 0, stride = 1;
};

// queries [grid.count(), d] (the grid's patches, projected), keys [M, d] (projected), and
// values_per_patch (3 n^2: what the penalties scale by, the PCA distances being sums over about
// that many values). Returns int64 [grid.count()] indices into the keys. No penalty: exactly
// nearest_patches(queries, keys).
at::Tensor assign_patches(const at::Tensor& queries, const at::Tensor& keys, const KeyLayout& layout,
                          const PatchGrid& grid, std::int64_t values_per_patch, const AssignPenalties& penalties,
                          const CancelToken& cancel = {});

// For each grid position, the keys whose style positions continue a grid neighbour's match
// (4 neighbours x up to 4 keys around the continued position): int64 [count, 16] and a float
// mask [count, 16] (1 where the key exists and the neighbour has a match). `assignment` [rows,
// cols] int64, -1 where no match yet.
std::pair<at::Tensor, at::Tensor> coherent_keys(const at::Tensor& assignment, const KeyLayout& layout,
                                                std::int64_t gap);

}  // namespace nt
