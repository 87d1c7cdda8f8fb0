#include "synthesis/copy_metrics.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numeric>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/error.h"
#include "synthesis/patch_grid.h"
#include "synthesis/patch_match.h"
#include "synthesis/patch_pca.h"

namespace nt {

namespace {

// Union-find with path halving over the NNF's positions.
struct Regions {
    std::vector<std::int64_t> parent;
    explicit Regions(std::int64_t n) : parent(std::size_t(n)) { std::iota(parent.begin(), parent.end(), 0); }
    std::int64_t root(std::int64_t i) {
        while (parent[std::size_t(i)] != i) i = parent[std::size_t(i)] = parent[std::size_t(parent[std::size_t(i)])];
        return i;
    }
    void join(std::int64_t a, std::int64_t b) { parent[std::size_t(root(a))] = root(b); }
};

void check_picture(const at::Tensor& t, std::int64_t patch, const char* what) {
    if (t.dim() != 4 || t.size(0) != 1 || t.size(1) != 3 || t.size(2) < patch || t.size(3) < patch)
        throw Error("copy measure", std::string(what) + " must be [1, 3, H, W] with at least " + std::to_string(patch) +
                                        " pixels a side");
}

}  // namespace

at::Tensor dense_nnf(const at::Tensor& result, const at::Tensor& style, std::int64_t patch) {
    check_picture(result, patch, "the result");
    check_picture(style, patch, "the style");
    const at::Tensor keys_raw = extract_all_patches(style.to(at::kCPU, at::kFloat), patch, 1).contiguous();
    const at::Tensor queries_raw = extract_all_patches(result.to(at::kCPU, at::kFloat), patch, 1).contiguous();
    const PatchPca pca = fit_patch_pca(keys_raw, kCopyPcaEnergy, kCopyPcaMaxDims, 0);
    const at::Tensor keys = project_patches(pca, keys_raw).contiguous();
    const at::Tensor queries = project_patches(pca, queries_raw).contiguous();
    const at::Tensor index = nearest_patches(queries, keys);  // exact: no diversity term
    const at::Tensor detailed = (keys_raw.std(1) >= kCopyMinDetail).to(at::kLong).index_select(0, index);
    const std::int64_t style_cols = style.size(3) - patch + 1;
    return at::stack({index.div(style_cols, "floor"), index.remainder(style_cols), detailed}, 1)
        .reshape({result.size(2) - patch + 1, result.size(3) - patch + 1, 3})
        .contiguous();
}

CopyMeasure measure_nnf(const at::Tensor& nnf, std::int64_t style_rows, std::int64_t style_cols,
                        std::int64_t tolerance) {
    const at::Tensor field = nnf.to(at::kCPU, at::kLong).contiguous();
    const std::int64_t h = field.size(0), w = field.size(1), n = h * w;
    const std::int64_t* f = field.data_ptr<std::int64_t>();
    CopyMeasure m;
    m.result_patches = n;
    m.style_patches = style_rows * style_cols;
    // Usage of each style patch.
    std::unordered_map<std::int64_t, std::int64_t> usage;
    for (std::int64_t i = 0; i < n; ++i) ++usage[f[3 * i] * style_cols + f[3 * i + 1]];
    std::int64_t most = 0;
    for (const auto& [key, uses] : usage) {
        most = std::max(most, uses);
        const double share = double(uses) / double(n);
        m.entropy_bits -= share * std::log2(share);
    }
    m.max_patch_share = double(most) / double(n);
    m.used_fraction = double(usage.size()) / double(std::max<std::int64_t>(1, m.style_patches));
    const double best = std::log2(double(std::max<std::int64_t>(2, std::min(n, m.style_patches))));
    m.entropy_ratio = m.entropy_bits / best;
    // Coherent regions: a position joins its right and lower neighbours when the NNF moves with it
    // and both take detailed style patches.
    auto coherent = [&](std::int64_t a, std::int64_t b, std::int64_t dy, std::int64_t dx) {
        const std::int64_t my = f[3 * b] - f[3 * a], mx = f[3 * b + 1] - f[3 * a + 1];
        const bool moves = my != 0 || mx != 0;  // one patch repeated is not a piece copied
        return moves && f[3 * a + 2] != 0 && f[3 * b + 2] != 0 && std::llabs(my - dy) <= tolerance &&
               std::llabs(mx - dx) <= tolerance;
    };
    Regions regions(n);
    for (std::int64_t y = 0; y < h; ++y)
        for (std::int64_t x = 0; x < w; ++x) {
            const std::int64_t i = y * w + x;
            if (x + 1 < w && coherent(i, i + 1, 0, 1)) regions.join(i, i + 1);
            if (y + 1 < h && coherent(i, i + w, 1, 0)) regions.join(i, i + w);
        }
    std::unordered_map<std::int64_t, std::int64_t> sizes;
    for (std::int64_t i = 0; i < n; ++i) ++sizes[regions.root(i)];
    double squares = 0.0;
    std::int64_t largest = 0;
    for (const auto& [root, size] : sizes) {
        largest = std::max(largest, size);
        squares += double(size) * double(size);
    }
    m.regions = std::int64_t(sizes.size());
    m.largest_region_share = double(largest) / double(n);
    m.mean_region_share = squares / (double(n) * double(n));
    m.mean_region_patches = double(n) / double(m.regions);
    return m;
}

CopyMeasure measure_copying(const at::Tensor& result, const at::Tensor& style, std::int64_t patch,
                            std::int64_t tolerance) {
    const at::Tensor nnf = dense_nnf(result, style, patch);
    return measure_nnf(nnf, style.size(2) - patch + 1, style.size(3) - patch + 1, tolerance);
}

}  // namespace nt
