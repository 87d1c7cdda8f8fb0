#include "synthesis/patch_match.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <vector>

namespace nt {

namespace {

std::int64_t chunk_rows(std::int64_t keys) {
    return std::max<std::int64_t>(1,
                                  kMatchBlockBytes / (std::int64_t(sizeof(float)) * std::max<std::int64_t>(1, keys)));
}

// ||k||^2 - 2 q.k for a chunk of queries: the distance up to the per-query constant ||q||^2.
at::Tensor partial_distances(const at::Tensor& q, const at::Tensor& keys, const at::Tensor& key_norms) {
    return at::addmm(key_norms.unsqueeze(0), q, keys.t(), 1.0, -2.0);
}

}  // namespace

at::Tensor nearest_patches(const at::Tensor& queries, const at::Tensor& keys, double diversity_alpha,
                           const CancelToken& cancel) {
    const std::int64_t count = queries.size(0), step = chunk_rows(keys.size(0));
    const at::Tensor key_norms = keys.pow(2).sum(1);
    const double dims = double(std::max<std::int64_t>(1, queries.size(1)));
    std::vector<at::Tensor> parts;
    if (diversity_alpha <= 0.0) {
        for (std::int64_t start = 0; start < count; start += step) {
            cancel.check();
            const at::Tensor q = queries.narrow(0, start, std::min(step, count - start));
            parts.push_back(partial_distances(q, keys, key_norms).argmin(1));
        }
        return at::cat(parts);
    }
    // Full distances (mean squared per dimension) twice: once for each key's best query, then
    // the normalised argmin.
    const at::Tensor query_norms = queries.pow(2).sum(1);
    auto distances = [&](std::int64_t start, std::int64_t rows) {
        const at::Tensor q = queries.narrow(0, start, rows);
        return (partial_distances(q, keys, key_norms) + query_norms.narrow(0, start, rows).unsqueeze(1))
            .clamp_min_(0.0)
            .div_(dims);
    };
    at::Tensor best = at::full({keys.size(0)}, INFINITY, keys.options());
    for (std::int64_t start = 0; start < count; start += step) {
        cancel.check();
        best = at::minimum(best, std::get<0>(distances(start, std::min(step, count - start)).min(0)));
    }
    const at::Tensor scale = (best + diversity_alpha).reciprocal_().unsqueeze(0);
    for (std::int64_t start = 0; start < count; start += step) {
        cancel.check();
        parts.push_back(distances(start, std::min(step, count - start)).mul_(scale).argmin(1));
    }
    return at::cat(parts);
}

}  // namespace nt
