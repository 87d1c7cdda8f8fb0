#include "synthesis/patch_assign.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <vector>

#include "synthesis/patch_match.h"
#include "synthesis/synthesis_kernels.h"

namespace nt {

namespace {

constexpr std::int64_t kNeighbours = 4, kKeysAround = 4;

// The state of one assignment: the matches so far and how often each key was taken.
struct Assignment {
    at::Tensor grid;   // [rows, cols] int64, -1 before a match
    at::Tensor usage;  // [M] float
};

// One chunk's choices with the fused CPU kernel; targets/present undefined without coherence.
at::Tensor fused_chunk(const at::Tensor& q, const at::Tensor& keys_t, const at::Tensor& costs,
                       const at::Tensor& targets, const at::Tensor& present, std::int64_t start) {
    at::Tensor chosen = at::empty({q.size(0)}, q.options().dtype(at::kLong));
    AssignChunk chunk{q.data_ptr<float>(),     q.size(0),     q.size(1), keys_t.data_ptr<float>(),
                      costs.data_ptr<float>(), keys_t.size(1)};
    if (targets.defined()) {
        chunk.targets = targets.data_ptr<std::int64_t>() + start * targets.size(1);
        chunk.penalties = present.data_ptr<float>() + start * present.size(1);
        chunk.per_row = targets.size(1);
    }
    assign_chunk_cpu(chunk, chosen.data_ptr<std::int64_t>());
    return chosen;
}

// Assigns the queries at `positions` (int64 indices into the grid), chunk by chunk.
void assign_half(const at::Tensor& queries, const at::Tensor& keys, const at::Tensor& key_norms,
                 const at::Tensor& positions, const KeyLayout& layout, const PatchGrid& grid, double usage_cost,
                 double coherence_cost, double fair_share, Assignment& state, const CancelToken& cancel) {
    at::Tensor targets, present;
    if (coherence_cost > 0.0) {
        std::tie(targets, present) = coherent_keys(state.grid, layout, grid.gap);
        targets = targets.index_select(0, positions);
        present = present.index_select(0, positions).mul_(coherence_cost);
    }
    at::Tensor flat = state.grid.view({-1});
    const std::int64_t count = positions.size(0);
    const std::int64_t by_bytes =
        kMatchBlockBytes / (std::int64_t(sizeof(float)) * std::max<std::int64_t>(1, keys.size(0)));
    const std::int64_t step = std::clamp<std::int64_t>(by_bytes, 1, kAssignChunkRows);
    // On the CPU the block is costed and searched in one pass (synthesis_kernels.h).
    const bool fused = keys.is_cpu() && keys.scalar_type() == at::kFloat && queries.scalar_type() == at::kFloat;
    const at::Tensor keys_t = fused ? keys.t().contiguous() : at::Tensor();
    for (std::int64_t start = 0; start < count; start += step) {
        cancel.check();
        const std::int64_t rows = std::min(step, count - start);
        const at::Tensor at_rows = positions.narrow(0, start, rows);
        at::Tensor chosen;
        if (fused) {
            const at::Tensor costs =
                usage_cost > 0.0 ? key_norms + ((state.usage / fair_share) - 1.0).clamp_min_(0.0).mul_(usage_cost)
                                 : key_norms;
            chosen = fused_chunk(queries.index_select(0, at_rows).contiguous(), keys_t, costs, targets, present, start);
        } else {
            at::Tensor block = at::addmm(key_norms.unsqueeze(0), queries.index_select(0, at_rows), keys.t(), 1.0, -2.0);
            if (usage_cost > 0.0)
                block.add_(((state.usage / fair_share) - 1.0).clamp_min_(0.0).mul_(usage_cost).unsqueeze(0));
            if (coherence_cost > 0.0)
                block.scatter_add_(1, targets.narrow(0, start, rows), present.narrow(0, start, rows));
            chosen = block.argmin(1);
        }
        flat.index_copy_(0, at_rows, chosen);
        state.usage.index_add_(0, chosen, at::ones({rows}, state.usage.options()));
    }
}

}  // namespace

std::pair<at::Tensor, at::Tensor> coherent_keys(const at::Tensor& assignment, const KeyLayout& layout,
                                                std::int64_t gap) {
    const std::int64_t rows = assignment.size(0), cols = assignment.size(1);
    const at::Tensor padded = at::constant_pad_nd(assignment, {1, 1, 1, 1}, -1);
    const std::int64_t offsets[kNeighbours][2] = {{-1, 0}, {1, 0}, {0, -1}, {0, 1}};
    std::vector<at::Tensor> keys, present;
    for (const auto& d : offsets) {
        // The neighbour at (i + dy, j + dx) sits one grid step away, so the style patch that would
        // continue it here lies one step back from the neighbour's match.
        const at::Tensor nb = padded.narrow(0, 1 + d[0], rows).narrow(1, 1 + d[1], cols);
        const at::Tensor matched = nb.clamp_min(0);
        const at::Tensor y = matched.div(layout.cols, "floor").mul(layout.stride).sub(d[0] * gap);
        const at::Tensor x = matched.remainder(layout.cols).mul(layout.stride).sub(d[1] * gap);
        const at::Tensor ky = y.div(layout.stride, "floor"), kx = x.div(layout.stride, "floor");
        for (std::int64_t a = 0; a < 2; ++a)
            for (std::int64_t b = 0; b < 2; ++b) {
                const at::Tensor r = ky + a, c = kx + b;
                const at::Tensor ok = (nb >= 0) & (r >= 0) & (r < layout.rows) & (c >= 0) & (c < layout.cols);
                keys.push_back(at::where(ok, r * layout.cols + c, at::zeros_like(r)));
                present.push_back(ok);
            }
    }
    return {at::stack(keys, 2).reshape({rows * cols, kNeighbours * kKeysAround}),
            at::stack(present, 2).reshape({rows * cols, kNeighbours * kKeysAround}).to(at::kFloat)};
}

at::Tensor assign_patches(const at::Tensor& queries, const at::Tensor& keys, const KeyLayout& layout,
                          const PatchGrid& grid, std::int64_t values_per_patch, const AssignPenalties& penalties,
                          const CancelToken& cancel) {
    if (!penalties.any()) return nearest_patches(queries, keys, 0.0, cancel);
    const at::TensorOptions index_options = keys.options().dtype(at::kLong);
    Assignment state{at::full({grid.rows, grid.cols}, -1, index_options), at::zeros({keys.size(0)}, keys.options())};
    const at::Tensor key_norms = keys.pow(2).sum(1);
    const double fair_share = std::max(1.0, double(grid.count()) / double(std::max<std::int64_t>(1, keys.size(0))));
    const at::Tensor i = at::arange(grid.rows, index_options).unsqueeze(1);
    const at::Tensor j = at::arange(grid.cols, index_options).unsqueeze(0);
    const at::Tensor parity = ((i + j).remainder(2)).reshape({-1});
    for (std::int64_t half = 0; half < 2; ++half) {
        const at::Tensor positions = (parity == half).nonzero().reshape({-1});
        assign_half(queries, keys, key_norms, positions, layout, grid, penalties.usage * double(values_per_patch),
                    penalties.coherence * double(values_per_patch), fair_share, state, cancel);
    }
    return state.grid.reshape({-1});
}

}  // namespace nt
