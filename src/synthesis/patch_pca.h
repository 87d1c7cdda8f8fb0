#pragma once
// Principal components of a patch database, to compare patches in fewer dimensions (Elad and
// Milanfar compare patches in a PCA space keeping 95 % of the energy). Queries are projected with
// the *database's* mean (some reimplementations centre queries on their own mean, which shifts
// every distance).
//
// Up to kExactPcaMaxDims dimensions (16 x 16 x 3) the covariance is decomposed exactly (eigh in
// float64: float32 LAPACK rounds its workspace size and fails above ~3000 wide, and float64 keeps
// small eigenvalues exact). Wider patches cost a quarter of a second (21 x 21 x 3 = 1323) to
// seconds (33 x 33 x 3 = 3267) per exact fit, so their subspace comes from a seeded randomized
// range finder (Halko, Martinsson and Tropp 2011, one power iteration) that only multiplies
// matrices; the energy kept is measured against the exact total (the squared Frobenius norm)
// either way.
#include <ATen/Tensor.h>

#include <cstdint>

namespace nt {

inline constexpr std::int64_t kExactPcaMaxDims = 768;

struct PatchPca {
    at::Tensor mean;      // [D]
    at::Tensor basis;     // [D, k], orthonormal columns, strongest first
    double energy = 1.0;  // fraction of the database's variance the basis keeps
};

// Fits on `patches` [M, D] (float): the fewest components that keep `energy` of the variance,
// at most `max_dims` (and at least 1). `seed` drives the randomized path only.
PatchPca fit_patch_pca(const at::Tensor& patches, double energy = 0.95, std::int64_t max_dims = 64,
                       std::uint64_t seed = 0);

// (patches - mean) @ basis: [M, k].
at::Tensor project_patches(const PatchPca& pca, const at::Tensor& patches);

}  // namespace nt
