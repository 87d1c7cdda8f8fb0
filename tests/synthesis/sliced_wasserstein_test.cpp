// The sliced Wasserstein step of patch distribution matching (synthesis/sliced_wasserstein.h)
// against plain references: the radix argsort against std::stable_sort, the patch matrix against
// at::im2col, the quantile resampling against hand-computed values, and the hand-written gradient
// (sort, scatter, P^T, fold) against autograd through unfold, matmul and at::sort.
#include <gtest/gtest.h>

#include <ATen/ATen.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "synthesis/patch_projection.h"
#include "synthesis/sliced_wasserstein.h"

using namespace nt;

namespace {

// The loss as the paper's code writes it, differentiated by autograd.
std::pair<double, at::Tensor> autograd_swd(const at::Tensor& picture, const at::Tensor& projections,
                                           const at::Tensor& sorted_style, std::int64_t patch) {
    at::Tensor x = picture.clone().set_requires_grad(true);
    const at::Tensor patches = at::im2col(x, {patch, patch}, {1, 1}, {0, 0}, {1, 1})[0];  // [D, L]
    const at::Tensor sorted = std::get<0>(at::sort(at::matmul(projections, patches), 1));
    const at::Tensor target = resample_sorted(sorted_style, sorted.size(1));
    const at::Tensor loss = (sorted - target).pow(2).mean();
    loss.backward();
    return {loss.item<double>(), x.grad()};
}

at::Tensor random_picture(std::int64_t h, std::int64_t w, std::uint64_t seed) {
    at::manual_seed(seed);
    return at::rand({1, 3, h, w});
}

}  // namespace

TEST(RadixArgsort, SortsLikeAStableSortWithItsPermutation) {
    std::mt19937 rng(3);
    std::normal_distribution<float> normal(0.0f, 10.0f);
    std::vector<float> keys(5000);
    for (float& k : keys) k = normal(rng);
    for (std::size_t i = 0; i < 200; ++i) keys[i * 7] = 1.5f;  // ties keep their order
    keys[1] = -std::numeric_limits<float>::infinity();
    keys[2] = std::numeric_limits<float>::max();
    keys[3] = 0.0f;
    std::vector<std::int32_t> expected(keys.size());
    std::iota(expected.begin(), expected.end(), 0);
    std::stable_sort(expected.begin(), expected.end(),
                     [&](int a, int b) { return keys[std::size_t(a)] < keys[std::size_t(b)]; });
    std::vector<float> sorted(keys.size());
    std::vector<std::int32_t> order(keys.size());
    radix_argsort(keys.data(), std::int64_t(keys.size()), sorted.data(), order.data());
    EXPECT_EQ(order, expected);
    for (std::size_t i = 0; i < keys.size(); ++i) ASSERT_EQ(sorted[i], keys[std::size_t(order[i])]) << i;
    // One value throughout: every pass is skipped, the order stays.
    std::vector<float> same(100, -2.0f);
    radix_argsort(same.data(), 100, sorted.data(), order.data());
    for (int i = 0; i < 100; ++i) EXPECT_EQ(order[std::size_t(i)], i);
}

TEST(SlicedWasserstein, PatchMatrixIsIm2colOrASubsetOfItsColumns) {
    const at::Tensor picture = random_picture(11, 13, 1);
    const at::Tensor all = at::im2col(picture, {3, 3}, {1, 1}, {0, 0}, {1, 1})[0];
    EXPECT_TRUE(at::equal(sample_patch_matrix(picture, 3, 1000, 1), all));
    const at::Tensor some = sample_patch_matrix(picture, 3, 20, 1);
    ASSERT_EQ(some.size(0), 27);
    ASSERT_EQ(some.size(1), 20);
    for (std::int64_t j = 0; j < 20; ++j) {
        const at::Tensor column = some.select(1, j).unsqueeze(1);
        EXPECT_TRUE((all - column).abs().amax(0).min().item<float>() == 0.0f) << j;
    }
    EXPECT_TRUE(at::equal(some, sample_patch_matrix(picture, 3, 20, 1)));  // seeded
}

TEST(SlicedWasserstein, ResamplesSortedRowsByQuantiles) {
    const at::Tensor rows = at::tensor({0.0f, 1.0f, 2.0f, 3.0f}).view({1, 4});
    EXPECT_TRUE(at::equal(resample_sorted(rows, 4), rows));
    EXPECT_TRUE(at::allclose(resample_sorted(rows, 2), at::tensor({0.5f, 2.5f}).view({1, 2})));
    // Upsampled: the ends clamp, the middle interpolates.
    EXPECT_TRUE(at::allclose(resample_sorted(rows, 8),
                             at::tensor({0.0f, 0.25f, 0.75f, 1.25f, 1.75f, 2.25f, 2.75f, 3.0f}).view({1, 8})));
    const at::Tensor p = random_projections(5, 3, 9, at::kCPU);
    EXPECT_TRUE(at::allclose(p.norm(2, {1}), at::ones({5})));
    EXPECT_TRUE(at::equal(p, random_projections(5, 3, 9, at::kCPU)));
}

TEST(SlicedWasserstein, HandWrittenGradientMatchesAutograd) {
    const std::int64_t patch = 3;
    const at::Tensor x = random_picture(10, 12, 2);
    const at::Tensor projections = random_projections(6, patch, 4, at::kCPU);
    // A style of another size: the sorted rows are resampled to the picture's 80 patches.
    for (const at::Tensor& style : {random_picture(15, 9, 5).pow(2), random_picture(10, 12, 6)}) {
        const at::Tensor sorted_style = sorted_projections(projections, sample_patch_matrix(style, patch, 1 << 16, 1));
        const auto [loss, grad] = autograd_swd(x, projections, sorted_style, patch);
        for (const SwdGradient& ours : {patch_swd_gradient(x, projections, sorted_style, patch),
                                        patch_swd_gradient_generic(x, projections, sorted_style, patch)}) {
            EXPECT_NEAR(ours.loss, loss, 1e-5 * loss);
            ASSERT_EQ(ours.grad.sizes(), x.sizes());
            const float scale = grad.abs().max().item<float>();
            EXPECT_GT(scale, 0.0f);
            EXPECT_LT((ours.grad - grad).abs().max().item<float>(), 1e-4f * scale);
        }
    }
}

TEST(SlicedWasserstein, SortedStyleRowsAscendAndMatchAtSort) {
    const at::Tensor style = random_picture(20, 20, 8);
    const at::Tensor projections = random_projections(4, 5, 2, at::kCPU);
    const at::Tensor matrix = sample_patch_matrix(style, 5, 1 << 16, 1);
    const at::Tensor expected = std::get<0>(at::sort(at::matmul(projections, matrix), 1));
    const at::Tensor sorted = sorted_projections(projections, matrix);
    ASSERT_EQ(sorted.sizes(), expected.sizes());
    EXPECT_TRUE((sorted.slice(1, 1) >= sorted.slice(1, 0, -1)).all().item<bool>());
    EXPECT_LT((sorted - expected).abs().max().item<float>(), 1e-5f);
}

TEST(PatchProjection, APatchMatrixProjectsAsTheGemm) {
    // 2,500 patches: a row of 1 x 1 "pixels" long enough to be split into pieces between threads
    // (at least 512 each), 11 directions (a block of 8 and a tail of 3).
    at::manual_seed(4);
    const at::Tensor matrix = at::rand({147, 2500});
    const at::Tensor p = random_projections(11, 7, 5, at::kCPU);
    const at::Tensor ours = project_patch_matrix(p, matrix);
    ASSERT_EQ(ours.sizes(), (std::vector<std::int64_t>{11, 2500}));
    EXPECT_LT((ours - at::matmul(p, matrix)).abs().max().item<float>(), 1e-4f);
}

TEST(PatchProjection, IsTheGemmOverIm2colAndItsAdjoint) {
    // The kernel's paths: blocks of 8 directions and a tail of 1 to 7 (K = 8, 11, 5), rows wider
    // than a block with a last block moved back (294 and 37 patches), and rows narrower than one
    // block, done pixel by pixel (10 patches).
    const std::int64_t patch = 7;
    for (const auto& [k, h, w] :
         {std::tuple<std::int64_t, std::int64_t, std::int64_t>{8, 40, 300}, {11, 12, 43}, {5, 9, 16}}) {
        SCOPED_TRACE(std::to_string(k) + " directions, " + std::to_string(w) + "x" + std::to_string(h));
        const at::Tensor x = random_picture(h, w, 11);
        const at::Tensor p = random_projections(k, patch, 3, at::kCPU);
        const at::Tensor cols = at::im2col(x, {patch, patch}, {1, 1}, {0, 0}, {1, 1})[0];
        const at::Tensor projected = project_all_patches(x, p, patch);
        EXPECT_LT((projected - at::matmul(p, cols)).abs().max().item<float>(), 1e-4f);
        const at::Tensor g = at::randn({k, (h - patch + 1) * (w - patch + 1)});
        const at::Tensor expected =
            at::col2im(at::matmul(p.t(), g).unsqueeze(0), {h, w}, {patch, patch}, {1, 1}, {0, 0}, {1, 1});
        const at::Tensor folded = fold_projected_patches(g, p, patch, h, w);
        ASSERT_EQ(folded.sizes(), x.sizes());
        EXPECT_LT((folded - expected).abs().max().item<float>(), 1e-3f);
    }
}
