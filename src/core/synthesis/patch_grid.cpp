#include "core/synthesis/patch_grid.h"

#include <ATen/ATen.h>

#include <string>

#include "core/error.h"

namespace nt {

namespace {

std::int64_t steps_to_cover(std::int64_t side, std::int64_t n, std::int64_t gap) {
    return (side - n + gap - 1) / gap;  // ceil((side - n) / gap): the last patch ends at or past the edge
}

// Mirrors `image` past its right and bottom edges to the grid's padded size (replicating when
// the margin is wider than the picture, which a reflection cannot do).
at::Tensor pad_to_grid(const at::Tensor& image, const PatchGrid& g) {
    const std::int64_t ph = g.padded_height - g.height, pw = g.padded_width - g.width;
    if (ph == 0 && pw == 0) return image;
    if (ph < g.height && pw < g.width) return at::reflection_pad2d(image, {0, pw, 0, ph});
    return at::replication_pad2d(image, {0, pw, 0, ph});
}

}  // namespace

PatchGrid make_patch_grid(std::int64_t height, std::int64_t width, std::int64_t n, std::int64_t gap) {
    if (gap < 1 || n < 1 || n > height || n > width)
        throw Error("patch grid", "a " + std::to_string(n) + " px patch with gap " + std::to_string(gap) +
                                      " does not fit a " + std::to_string(width) + "x" + std::to_string(height) +
                                      " picture");
    PatchGrid g;
    g.n = n;
    g.gap = gap;
    g.height = height;
    g.width = width;
    const std::int64_t row_steps = steps_to_cover(height, n, gap), col_steps = steps_to_cover(width, n, gap);
    g.rows = row_steps + 1;
    g.cols = col_steps + 1;
    g.padded_height = n + row_steps * gap;
    g.padded_width = n + col_steps * gap;
    return g;
}

at::Tensor extract_grid_patches(const at::Tensor& image, const PatchGrid& g) {
    const at::Tensor cols = at::im2col(pad_to_grid(image, g), {g.n, g.n}, {1, 1}, {0, 0}, {g.gap, g.gap});
    return cols[0].t();  // [count, C*n*n]
}

at::Tensor extract_all_patches(const at::Tensor& image, std::int64_t n, std::int64_t stride) {
    return at::im2col(image, {n, n}, {1, 1}, {0, 0}, {stride, stride})[0].t();
}

at::Tensor aggregate_patches(const at::Tensor& patches, const at::Tensor& weights, const PatchGrid& g,
                             const at::Tensor& fallback) {
    const at::Tensor w = weights.reshape({-1, 1});
    // Numerator over every channel; the denominator needs one plane (the weights are per patch).
    const at::Tensor num = at::col2im((patches * w).t().unsqueeze(0), {g.padded_height, g.padded_width},
                                      {g.n, g.n}, {1, 1}, {0, 0}, {g.gap, g.gap});
    const at::Tensor ones = w.expand({w.size(0), g.n * g.n});
    const at::Tensor den = at::col2im(ones.t().unsqueeze(0), {g.padded_height, g.padded_width}, {g.n, g.n}, {1, 1},
                                      {0, 0}, {g.gap, g.gap});
    const at::Tensor num_c = num.narrow(2, 0, g.height).narrow(3, 0, g.width);
    const at::Tensor den_c = den.narrow(2, 0, g.height).narrow(3, 0, g.width);
    return at::where(den_c > 0, num_c / den_c.clamp_min(1e-30), fallback);
}

}  // namespace nt
