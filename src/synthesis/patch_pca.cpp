#include "synthesis/patch_pca.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <tuple>

namespace nt {

namespace {

// How many of the eigenvalues (descending) it takes to reach `energy` of `total`.
std::int64_t components_for(const at::Tensor& descending, double total, double energy, std::int64_t max_dims) {
    const at::Tensor cumulative = descending.cumsum(0).cpu();
    const auto* c = cumulative.data_ptr<double>();
    const std::int64_t n = std::min<std::int64_t>(cumulative.numel(), max_dims);
    for (std::int64_t k = 0; k < n; ++k)
        if (c[k] >= energy * total) return k + 1;
    return std::max<std::int64_t>(1, n);
}

// Eigenvalues (descending, float64) and eigenvectors (columns, float32) of the covariance.
std::pair<at::Tensor, at::Tensor> exact_components(const at::Tensor& centered) {
    const at::Tensor cov = at::matmul(centered.t(), centered).to(at::kDouble) / double(centered.size(0));
    at::Tensor values, vectors;
    std::tie(values, vectors) = at::linalg_eigh(cov);
    return {values.flip(0).clamp_min(0.0), vectors.flip(1).to(centered.scalar_type())};
}

// The same from a seeded randomized range finder with `width` columns.
std::pair<at::Tensor, at::Tensor> randomized_components(const at::Tensor& centered, std::int64_t width,
                                                        std::uint64_t seed) {
    const std::int64_t d = centered.size(1);
    width = std::min<std::int64_t>({width, d, centered.size(0)});
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    const at::Tensor omega =
        at::randn({d, width}, gen, at::TensorOptions().dtype(centered.scalar_type())).to(centered.device());
    at::Tensor q = std::get<0>(at::linalg_qr(at::matmul(centered, omega), "reduced"));
    // One power iteration sharpens the spectrum's tail (Halko et al., algorithm 4.4).
    q = std::get<0>(at::linalg_qr(at::matmul(centered, at::matmul(centered.t(), q)), "reduced"));
    const at::Tensor b = at::matmul(q.t(), centered).to(at::kDouble);  // [width, d]
    at::Tensor values, small;
    std::tie(values, small) = at::linalg_eigh(at::matmul(b, b.t()));  // ascending
    values = values.flip(0).clamp_min(0.0);
    small = small.flip(1);
    // Right singular vectors of b: b^T u / sigma.
    const at::Tensor sigma = values.sqrt().clamp_min(1e-12);
    const at::Tensor vectors = at::matmul(b.t(), small) / sigma;
    return {values / double(centered.size(0)), vectors.to(centered.scalar_type())};
}

}  // namespace

PatchPca fit_patch_pca(const at::Tensor& patches, double energy, std::int64_t max_dims, std::uint64_t seed) {
    PatchPca pca;
    pca.mean = patches.mean(0);
    const at::Tensor centered = patches - pca.mean;
    const double total = centered.to(at::kDouble).pow(2).sum().item<double>() / double(patches.size(0));
    at::Tensor values, vectors;
    std::tie(values, vectors) = patches.size(1) <= kExactPcaMaxDims
                                    ? exact_components(centered)
                                    : randomized_components(centered, max_dims + 16, seed);
    if (total <= 0.0) {  // a flat database: any direction will do
        pca.basis = vectors.narrow(1, 0, 1).contiguous();
        pca.energy = 1.0;
        return pca;
    }
    const std::int64_t k = components_for(values, total, energy, max_dims);
    pca.basis = vectors.narrow(1, 0, k).contiguous();
    pca.energy = std::min(1.0, values.narrow(0, 0, k).sum().item<double>() / total);
    return pca;
}

at::Tensor project_patches(const PatchPca& pca, const at::Tensor& patches) {
    return at::matmul(patches - pca.mean, pca.basis);
}

}  // namespace nt
