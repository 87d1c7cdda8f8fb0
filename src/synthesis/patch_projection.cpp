#include "synthesis/patch_projection.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <cstring>

namespace nt {

namespace {

// A band holds about this many patches: its patch matrix (147 x 16384 floats at p = 7, 9.4 MB)
// is large enough for OpenBLAS to split the GEMM across the cores, small enough to stay far from
// the whole matrix. The bands run one after the other and only the copies between picture and
// patch matrix run in at::parallel_for: OpenBLAS called from inside an OpenMP team serialises on
// its own thread pool (measured: 20x slower with the machine loaded).
constexpr std::int64_t kBandPatches = 16384;

struct Geometry {
    std::int64_t height, width, patch, out_h, out_w, dims, band_rows, bands;
    Geometry(std::int64_t h, std::int64_t w, std::int64_t p)
        : height(h), width(w), patch(p), out_h(h - p + 1), out_w(w - p + 1), dims(3 * p * p) {
        band_rows = std::max<std::int64_t>(1, kBandPatches / out_w);
        bands = (out_h + band_rows - 1) / band_rows;
    }
    std::int64_t rows_of(std::int64_t band) const { return std::min(band_rows, out_h - band * band_rows); }
};

// The patch matrix of output rows [y0, y0 + rows): cols[(c p + dy) p + dx][r out_w + i] =
// x[c][y0 + r + dy][i + dx]; each run of out_w values is contiguous in the picture. One matrix
// row per task.
void band_to_columns(const float* x, const Geometry& g, std::int64_t y0, std::int64_t rows, float* cols) {
    const std::int64_t n = rows * g.out_w, pp = g.patch * g.patch;
    at::parallel_for(0, g.dims, 8, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t j = begin; j < end; ++j) {
            const std::int64_t c = j / pp, dy = j % pp / g.patch, dx = j % g.patch;
            for (std::int64_t r = 0; r < rows; ++r)
                std::memcpy(cols + j * n + r * g.out_w, x + (c * g.height + y0 + r + dy) * g.width + dx,
                            std::size_t(g.out_w) * sizeof(float));
        }
    });
}

// The adjoint of band_to_columns: each column value added back onto its pixel. One picture row
// per task, so no two tasks add onto the same pixel.
void columns_to_band(const float* cols, const Geometry& g, std::int64_t y0, std::int64_t rows, float* out) {
    const std::int64_t n = rows * g.out_w;
    at::parallel_for(y0, y0 + rows + g.patch - 1, 4, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t y = begin; y < end; ++y)
            for (std::int64_t dy = std::max<std::int64_t>(0, y - y0 - rows + 1); dy < g.patch && dy <= y - y0; ++dy) {
                const std::int64_t r = y - y0 - dy;  // the patch row whose row dy lands on y
                for (std::int64_t c = 0; c < 3; ++c)
                    for (std::int64_t dx = 0; dx < g.patch; ++dx) {
                        const float* s = cols + ((c * g.patch + dy) * g.patch + dx) * n + r * g.out_w;
                        float* d = out + (c * g.height + y) * g.width + dx;
                        for (std::int64_t i = 0; i < g.out_w; ++i) d[i] += s[i];
                    }
            }
    });
}

}  // namespace

at::Tensor project_all_patches(const at::Tensor& picture, const at::Tensor& projections, std::int64_t patch) {
    const at::Tensor x = picture.contiguous();
    const at::Tensor p = projections.contiguous();
    const Geometry g(x.size(2), x.size(3), patch);
    at::Tensor out = at::empty({p.size(0), g.out_h * g.out_w}, x.options());
    at::Tensor cols = at::empty({g.dims * g.band_rows * g.out_w}, x.options());
    for (std::int64_t band = 0; band < g.bands; ++band) {
        const std::int64_t y0 = band * g.band_rows, rows = g.rows_of(band), n = rows * g.out_w;
        band_to_columns(x.data_ptr<float>(), g, y0, rows, cols.data_ptr<float>());
        out.narrow(1, y0 * g.out_w, n).copy_(at::mm(p, cols.narrow(0, 0, g.dims * n).view({g.dims, n})));
    }
    return out;
}

at::Tensor fold_projected_patches(const at::Tensor& grad, const at::Tensor& projections, std::int64_t patch,
                                  std::int64_t height, std::int64_t width) {
    const Geometry g(height, width, patch);
    const at::Tensor pt = projections.t().contiguous();  // [3 p^2, K]
    at::Tensor out = at::zeros({1, 3, height, width}, grad.options());
    for (std::int64_t band = 0; band < g.bands; ++band) {
        const std::int64_t y0 = band * g.band_rows, rows = g.rows_of(band);
        const at::Tensor cols = at::mm(pt, grad.narrow(1, y0 * g.out_w, rows * g.out_w)).contiguous();
        columns_to_band(cols.data_ptr<float>(), g, y0, rows, out.data_ptr<float>());
    }
    return out;
}

}  // namespace nt
