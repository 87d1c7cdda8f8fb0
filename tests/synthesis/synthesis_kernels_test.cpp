// The CPU kernels of patch synthesis (synthesis/synthesis_kernels.h) against the tensor
// formulations they replace: the fused assignment against addmm + penalties + argmin, and the
// IRLS pass straight from the pictures against extraction, residual norms and col2im.
#include <gtest/gtest.h>

#include <ATen/ATen.h>

#include <cstdint>
#include <string>
#include <tuple>

#include "support/vector_widths.h"
#include "synthesis/patch_grid.h"
#include "synthesis/patch_pca.h"
#include "synthesis/synthesis_kernels.h"

using namespace nt;

namespace {

// The cost of key k for query q as the tensor formulation defines it, in double.
double cost_of(const at::Tensor& q, const at::Tensor& keys, const at::Tensor& extra, std::int64_t k) {
    const at::Tensor qd = q.to(at::kDouble), kd = keys[k].to(at::kDouble);
    return (kd.dot(kd) - 2.0 * qd.dot(kd)).item<double>() + extra[k].item<double>();
}

void expect_assignment_matches(std::int64_t rows, std::int64_t dims, std::int64_t keys, bool penalties) {
    at::manual_seed(rows * 1000 + dims * 10 + keys);
    const at::Tensor queries = at::randn({rows, dims}), key_rows = at::randn({keys, dims});
    const at::Tensor usage = at::rand({keys}) * 0.5;
    const at::Tensor norms = key_rows.pow(2).sum(1);
    const at::Tensor costs = (norms + usage).contiguous();
    // Four penalised keys a query, one of them twice (scatter_add adds both).
    at::Tensor targets = at::randint(keys, {rows, 4}, at::kLong);
    targets.select(1, 3).copy_(targets.select(1, 0));
    const at::Tensor present = at::rand({rows, 4}) * 3.0;

    at::Tensor block = at::addmm((norms + usage).unsqueeze(0), queries, key_rows.t(), 1.0, -2.0);
    if (penalties) block.scatter_add_(1, targets, present);
    const at::Tensor expected = block.argmin(1);

    const at::Tensor keys_t = key_rows.t().contiguous();
    at::Tensor chosen = at::empty({rows}, at::kLong);
    AssignChunk chunk{queries.data_ptr<float>(), rows, dims, keys_t.data_ptr<float>(), costs.data_ptr<float>(), keys};
    if (penalties) {
        chunk.targets = targets.data_ptr<std::int64_t>();
        chunk.penalties = present.data_ptr<float>();
        chunk.per_row = 4;
    }
    assign_chunk_cpu(chunk, chosen.data_ptr<std::int64_t>());
    for (std::int64_t i = 0; i < rows; ++i) {
        const std::int64_t got = chosen[i].item<std::int64_t>(), want = expected[i].item<std::int64_t>();
        if (got == want) continue;
        // A different key only where the two are equally cheap up to float rounding.
        at::Tensor extra = usage.to(at::kDouble).clone();
        if (penalties) extra.index_add_(0, targets[i], present[i].to(at::kDouble));
        EXPECT_NEAR(cost_of(queries[i], key_rows, extra, got), cost_of(queries[i], key_rows, extra, want), 1e-4)
            << rows << " " << dims << " " << keys << " query " << i;
    }
}

// Every test runs with vectors of 4, 8 and 16 floats at most (base/cpu_kernel.h); a width this
// CPU lacks runs as its widest.
using SynthesisKernels = EachVectorWidth;

}  // namespace

TEST_P(SynthesisKernels, FusedAssignmentEqualsTheCostBlocksArgmin) {
    for (bool penalties : {false, true}) {
        expect_assignment_matches(32, 10, 1000, penalties);  // whole vectors of keys, four queries at once
        expect_assignment_matches(7, 3, 37, penalties);      // tails of both
        expect_assignment_matches(1, 64, 15, penalties);     // fewer keys than a vector
    }
}

// A painting's flat areas give identical patches: of equally cheap keys the first is taken, as a
// plain scan (and argmin) takes it, whatever vector lane the later copies fall in.
TEST_P(SynthesisKernels, EquallyCheapKeysGiveTheFirstOfThem) {
    const std::int64_t kinds = 7, keys = 1000, dims = 5;
    at::manual_seed(7);
    const at::Tensor kinds_rows = at::randn({kinds, dims});
    const at::Tensor key_rows = kinds_rows.index_select(0, at::arange(keys, at::kLong).remainder(kinds)).contiguous();
    const at::Tensor keys_t = key_rows.t().contiguous();
    const at::Tensor costs = key_rows.pow(2).sum(1).contiguous();
    for (std::int64_t kind = 0; kind < kinds; ++kind) {
        // Each query sits next to the key of one kind, so that kind's copies are all equally cheap.
        const at::Tensor queries = (kinds_rows[kind] + 1e-3).unsqueeze(0).repeat({5, 1}).contiguous();
        at::Tensor chosen = at::empty({5}, at::kLong);
        const AssignChunk chunk{queries.data_ptr<float>(), 5,   dims, keys_t.data_ptr<float>(),
                                costs.data_ptr<float>(),   keys};
        assign_chunk_cpu(chunk, chosen.data_ptr<std::int64_t>());
        for (std::int64_t i = 0; i < 5; ++i) EXPECT_EQ(chosen[i].item<std::int64_t>(), kind) << "query " << i;
    }
}

TEST_P(SynthesisKernels, IrlsPassEqualsExtractionNormsAndFold) {
    for (const auto& [n, gap] : {std::pair<std::int64_t, std::int64_t>{7, 3}, {20, 6}, {5, 5}}) {
        at::manual_seed(n * 100 + gap);
        const at::Tensor x = at::rand({1, 3, 53, 47});
        const at::Tensor style = at::rand({1, 3, 41, 45});
        const std::int64_t stride = 2;
        const std::int64_t key_rows = (41 - n) / stride + 1, key_cols = (45 - n) / stride + 1;
        const PatchGrid grid = make_patch_grid(53, 47, n, gap, 1, 2);
        const at::Tensor index = at::randint(key_rows * key_cols, {grid.count()}, at::kLong);

        const at::Tensor patches = extract_grid_patches(x, grid);
        const at::Tensor matched = extract_all_patches(style, n, stride).index_select(0, index);
        const at::Tensor weights = ((patches - matched).norm(2, {1}) + 1e-4).pow(0.8 - 2.0);
        const at::Tensor expected = aggregate_patches(matched, weights, grid, x);

        const at::Tensor padded = pad_for_grid(x, grid).contiguous();
        GridSums sums = make_grid_sums(x, grid);
        RobustAggregate a;
        a.padded = padded.data_ptr<float>();
        a.channels = 3;
        a.padded_height = grid.padded_height;
        a.padded_width = grid.padded_width;
        a.style = style.data_ptr<float>();
        a.style_height = 41;
        a.style_width = 45;
        a.n = n;
        a.gap = gap;
        a.rows = grid.rows;
        a.cols = grid.cols;
        a.key_cols = key_cols;
        a.key_stride = stride;
        a.index = index.data_ptr<std::int64_t>();
        robust_aggregate_cpu(a, sums.weighted.data_ptr<float>(), sums.weights.data_ptr<float>());
        const at::Tensor got = finish_aggregate(sums, grid, x);
        EXPECT_TRUE(at::allclose(got, expected, 1e-4, 1e-5))
            << n << " " << gap << ": max difference " << (got - expected).abs().max().item<float>();
    }
}

TEST_P(SynthesisKernels, GridProjectionEqualsExtractionAndPca) {
    for (const auto& [n, gap, dims] :
         {std::tuple<std::int64_t, std::int64_t, std::int64_t>{7, 3, 5}, {9, 4, 16}, {13, 6, 40}, {5, 2, 64}}) {
        at::manual_seed(n * 100 + dims);
        const at::Tensor x = at::rand({1, 3, 45, 52});
        const PatchGrid grid = make_patch_grid(45, 52, n, gap, 2, 1);
        const std::int64_t values = 3 * n * n;
        PatchPca pca;
        pca.mean = at::rand({values});
        pca.basis = std::get<0>(at::linalg_qr(at::randn({values, std::min(dims, values)}), "reduced")).contiguous();
        const at::Tensor expected = project_patches(pca, extract_grid_patches(x, grid));

        const std::int64_t d = pca.basis.size(1), stride = (d + 15) / 16 * 16;
        const at::Tensor lanes = at::constant_pad_nd(pca.basis, {0, stride - d}).contiguous();
        const at::Tensor padded = pad_for_grid(x, grid).contiguous();
        at::Tensor got = at::empty({grid.count(), d});
        GridProjection p;
        p.padded = padded.data_ptr<float>();
        p.channels = 3;
        p.padded_height = grid.padded_height;
        p.padded_width = grid.padded_width;
        p.n = n;
        p.gap = gap;
        p.rows = grid.rows;
        p.cols = grid.cols;
        p.basis = lanes.data_ptr<float>();
        p.dims = d;
        p.basis_stride = stride;
        p.mean = pca.mean.data_ptr<float>();
        project_grid_cpu(p, got.data_ptr<float>());
        EXPECT_TRUE(at::allclose(got, expected, 1e-4, 1e-4))
            << n << " " << dims << ": max difference " << (got - expected).abs().max().item<float>();
    }
}

NT_FOR_EACH_VECTOR_WIDTH(SynthesisKernels);
