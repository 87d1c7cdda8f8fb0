#include "synthesis/patch_grid.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <string>

#include "base/error.h"

namespace nt {

namespace {

std::int64_t steps_to_cover(std::int64_t side, std::int64_t n, std::int64_t gap) {
    return (side - n + gap - 1) / gap;  // ceil((side - n) / gap): the last patch ends at or past the edge
}

}  // namespace

// Mirrors `image` past its edges to the grid's padded size (replicating when a margin is as
// wide as the picture, which a reflection cannot do).
at::Tensor pad_for_grid(const at::Tensor& image, const PatchGrid& g) {
    const std::int64_t bottom = g.padded_height - g.height - g.offset_y, right = g.padded_width - g.width - g.offset_x;
    if (bottom == 0 && right == 0 && g.offset_y == 0 && g.offset_x == 0) return image;
    const bool reflects = std::max(bottom, g.offset_y) < g.height && std::max(right, g.offset_x) < g.width;
    if (reflects) return at::reflection_pad2d(image, {g.offset_x, right, g.offset_y, bottom});
    return at::replication_pad2d(image, {g.offset_x, right, g.offset_y, bottom});
}

PatchGrid make_patch_grid(std::int64_t height, std::int64_t width, std::int64_t n, std::int64_t gap,
                          std::int64_t offset_y, std::int64_t offset_x) {
    if (gap < 1 || n < 1 || n > height || n > width)
        throw Error("patch grid", "a " + std::to_string(n) + " px patch with gap " + std::to_string(gap) +
                                      " does not fit a " + std::to_string(width) + "x" + std::to_string(height) +
                                      " picture");
    PatchGrid g;
    g.n = n;
    g.gap = gap;
    g.height = height;
    g.width = width;
    g.offset_y = ((offset_y % gap) + gap) % gap;
    g.offset_x = ((offset_x % gap) + gap) % gap;
    const std::int64_t row_steps = steps_to_cover(g.offset_y + height, n, gap);
    const std::int64_t col_steps = steps_to_cover(g.offset_x + width, n, gap);
    g.rows = row_steps + 1;
    g.cols = col_steps + 1;
    g.padded_height = n + row_steps * gap;
    g.padded_width = n + col_steps * gap;
    return g;
}

at::Tensor extract_grid_rows(const at::Tensor& padded, const PatchGrid& g, std::int64_t first, std::int64_t count) {
    // Grid row r starts at padded row r * gap; rows [first, first + count) span this strip.
    const at::Tensor strip = padded.narrow(2, first * g.gap, (count - 1) * g.gap + g.n);
    return at::im2col(strip, {g.n, g.n}, {1, 1}, {0, 0}, {g.gap, g.gap})[0].t();
}

at::Tensor extract_grid_patches(const at::Tensor& image, const PatchGrid& g) {
    return extract_grid_rows(pad_for_grid(image, g), g, 0, g.rows);  // [count, C*n*n]
}

at::Tensor extract_all_patches(const at::Tensor& image, std::int64_t n, std::int64_t stride) {
    return at::im2col(image, {n, n}, {1, 1}, {0, 0}, {stride, stride})[0].t();
}

GridSums make_grid_sums(const at::Tensor& like, const PatchGrid& g) {
    return {at::zeros({1, like.size(1), g.padded_height, g.padded_width}, like.options()),
            at::zeros({1, 1, g.padded_height, g.padded_width}, like.options())};
}

void accumulate_grid_rows(const at::Tensor& patches, const at::Tensor& weights, const PatchGrid& g, std::int64_t first,
                          GridSums& sums) {
    const std::int64_t count = patches.size(0) / g.cols;
    const std::int64_t strip_height = (count - 1) * g.gap + g.n;
    const at::Tensor w = weights.reshape({-1, 1});
    // Numerator over every channel; the denominator needs one plane (the weights are per patch).
    const at::Tensor num = at::col2im((patches * w).t().unsqueeze(0), {strip_height, g.padded_width}, {g.n, g.n},
                                      {1, 1}, {0, 0}, {g.gap, g.gap});
    const at::Tensor ones = w.expand({w.size(0), g.n * g.n});
    const at::Tensor den =
        at::col2im(ones.t().unsqueeze(0), {strip_height, g.padded_width}, {g.n, g.n}, {1, 1}, {0, 0}, {g.gap, g.gap});
    sums.weighted.narrow(2, first * g.gap, strip_height).add_(num.view({1, -1, strip_height, g.padded_width}));
    sums.weights.narrow(2, first * g.gap, strip_height).add_(den.view({1, 1, strip_height, g.padded_width}));
}

at::Tensor finish_aggregate(const GridSums& sums, const PatchGrid& g, const at::Tensor& fallback) {
    const at::Tensor num_c = sums.weighted.narrow(2, g.offset_y, g.height).narrow(3, g.offset_x, g.width);
    const at::Tensor den_c = sums.weights.narrow(2, g.offset_y, g.height).narrow(3, g.offset_x, g.width);
    return at::where(den_c > 0, num_c / den_c.clamp_min(1e-30), fallback);
}

std::int64_t grid_band_rows(const PatchGrid& g, std::int64_t channels, std::int64_t bytes) {
    const std::int64_t row_bytes = g.cols * channels * g.n * g.n * std::int64_t(sizeof(float));
    return std::clamp<std::int64_t>(bytes / std::max<std::int64_t>(1, row_bytes), 1, g.rows);
}

at::Tensor aggregate_patches(const at::Tensor& patches, const at::Tensor& weights, const PatchGrid& g,
                             const at::Tensor& fallback) {
    GridSums sums = make_grid_sums(fallback, g);
    accumulate_grid_rows(patches, weights, g, 0, sums);
    return finish_aggregate(sums, g, fallback);
}

}  // namespace nt
