#pragma once
// Exact nearest-neighbour search between patch sets by squared Euclidean distance, as matrix
// products: ||q - k||^2 = ||q||^2 - 2 q.k + ||k||^2, so one GEMM per chunk of queries and an
// argmin. Queries are taken in chunks so the [chunk, keys] distance block stays under
// kMatchBlockBytes whatever the sizes (1024^2 pictures never need more). CPU or CUDA.
//
// Optional diversity (Granot et al.'s GPNN "completeness" normalisation): each distance is divided
// by (alpha + the smallest distance any query has to that key), so a key that some query already
// matches well becomes costlier for the others and fewer queries pile onto the same flat patch.
// Distances are then mean squared errors per dimension of the space searched.
#include <ATen/Tensor.h>

#include <cstdint>

#include "base/cancel.h"

namespace nt {

inline constexpr std::int64_t kMatchBlockBytes = std::int64_t(8) << 20;

// For each row of `queries` [Q, d], the index (int64 [Q]) of its nearest row of `keys` [M, d];
// ties go to the lowest index. diversity_alpha <= 0: plain nearest neighbours. `cancel` is
// checked between chunks.
at::Tensor nearest_patches(const at::Tensor& queries, const at::Tensor& keys, double diversity_alpha = 0.0,
                           const CancelToken& cancel = {});

}  // namespace nt
