#pragma once
// Patches of a picture on a regular grid, and their aggregation back into a picture (the two
// halves of Kwatra et al.'s texture optimisation). The grid always covers the picture: the
// picture is mirrored past its edges, by the grid's offset above and to the left, and past its
// right and bottom edges until the last row and column of patches reach the edge (no unfilled
// bars), and aggregation crops the mirrored margins off again. The offset (0..gap-1 each way)
// moves the grid: patch synthesis draws a new one each update, so the seams between grid patches
// are never twice in the same place (a fixed grid prints them into the picture as squares), and
// the edge rows and columns lie under as many patches as the inside. im2col / col2im (unfold / fold) do the work: fold is the
// scatter-add of overlapping patches. CPU or CUDA.
#include <ATen/Tensor.h>

#include <cstdint>

namespace nt {

struct PatchGrid {
    std::int64_t n = 0;                                // patch side
    std::int64_t gap = 0;                              // grid step
    std::int64_t height = 0, width = 0;                // the picture
    std::int64_t offset_y = 0, offset_x = 0;           // mirrored rows above and columns to the left
    std::int64_t padded_height = 0, padded_width = 0;  // after mirroring, offsets included
    std::int64_t rows = 0, cols = 0;                   // patch positions per column and per row
    std::int64_t count() const { return rows * cols; }
};

// Throws nt::Error unless 1 <= gap and n <= height, width. Offsets are taken modulo the gap.
PatchGrid make_patch_grid(std::int64_t height, std::int64_t width, std::int64_t n, std::int64_t gap,
                          std::int64_t offset_y = 0, std::int64_t offset_x = 0);

// The grid's patches of `image` [1, C, height, width] as rows [count, C*n*n], ordered by row then
// column of the grid, each patch flattened channel, then y, then x.
at::Tensor extract_grid_patches(const at::Tensor& image, const PatchGrid& grid);

// Every n x n patch at `stride` (no mirroring: the last ones may stop short of the edge), as rows
// [count, C*n*n]: the style's patch database.
at::Tensor extract_all_patches(const at::Tensor& image, std::int64_t n, std::int64_t stride);

// The same in bands of grid rows, so that a picture of any size never needs all its patches at
// once (patch synthesis at full resolution): the picture mirrored to the grid once, the patches of
// grid rows [first, first + count) from it, and their weighted sums added into the padded
// accumulators, which finish_aggregate divides. One band of every row gives exactly
// extract_grid_patches and aggregate_patches.
at::Tensor pad_for_grid(const at::Tensor& image, const PatchGrid& grid);
at::Tensor extract_grid_rows(const at::Tensor& padded, const PatchGrid& grid, std::int64_t first, std::int64_t count);
struct GridSums {
    at::Tensor weighted;  // [1, C, padded_height, padded_width]: sum of w z
    at::Tensor weights;   // [1, 1, padded_height, padded_width]: sum of w
};
GridSums make_grid_sums(const at::Tensor& like, const PatchGrid& grid);
void accumulate_grid_rows(const at::Tensor& patches, const at::Tensor& weights, const PatchGrid& grid,
                          std::int64_t first, GridSums& sums);
at::Tensor finish_aggregate(const GridSums& sums, const PatchGrid& grid, const at::Tensor& fallback);
// How many grid rows a band holds so that its patch matrix ([rows * cols, C*n*n] floats) stays
// within `bytes` (at least 1).
std::int64_t grid_band_rows(const PatchGrid& grid, std::int64_t channels, std::int64_t bytes);

// The weighted average of overlapping patches: pixel p becomes sum_i w_i z_i(p) / sum_i w_i over
// the patches i that cover it; pixels no patch covers (or whose weights sum to 0) keep
// `fallback`'s value. patches [count, C*n*n], weights [count], fallback [1, C, height, width].
at::Tensor aggregate_patches(const at::Tensor& patches, const at::Tensor& weights, const PatchGrid& grid,
                             const at::Tensor& fallback);

}  // namespace nt
