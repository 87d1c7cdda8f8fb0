// The building blocks of patch synthesis, each against a plain reference on small inputs: the
// grid covers every edge, extraction and fold-aggregation against direct loops, the chunked
// nearest-neighbour search (with and without diversity) against brute force, PCA reconstruction
// on both fitting paths, and the domain-transform filter against a straightforward implementation
// of Gastal and Oliveira's recursion.
#include <gtest/gtest.h>

#include <ATen/ATen.h>

#include <array>
#include <cmath>
#include <limits>
#include <vector>

#include "base/error.h"
#include "synthesis/domain_transform.h"
#include "synthesis/patch_grid.h"
#include "synthesis/patch_match.h"
#include "synthesis/patch_pca.h"
#include "synthesis/structure_map.h"

using namespace nt;

namespace {

at::Tensor random_picture(std::int64_t h, std::int64_t w, std::uint64_t seed, std::int64_t c = 3) {
    at::manual_seed(seed);
    return at::rand({1, c, h, w});
}

// The top-left corners of the grid's patches in the padded picture, as the grid defines them.
std::vector<std::pair<std::int64_t, std::int64_t>> corners(const PatchGrid& g) {
    std::vector<std::pair<std::int64_t, std::int64_t>> out;
    for (std::int64_t r = 0; r < g.rows; ++r)
        for (std::int64_t c = 0; c < g.cols; ++c) out.emplace_back(r * g.gap, c * g.gap);
    return out;
}

}  // namespace

TEST(PatchGrid, CoversTheRightAndBottomEdges) {
    for (auto [h, w, n, gap] :
         std::vector<std::array<std::int64_t, 4>>{{37, 50, 9, 5}, {33, 33, 33, 28}, {40, 23, 13, 8}}) {
        const PatchGrid g = make_patch_grid(h, w, n, gap);
        EXPECT_GE(g.padded_height, h);
        EXPECT_GE(g.padded_width, w);
        EXPECT_LT(g.padded_height - h, gap);  // never a whole gap of mirrored margin
        EXPECT_EQ((g.padded_height - n) % gap, 0);
        EXPECT_EQ((g.padded_width - n) % gap, 0);
        // Every pixel of the picture is inside some patch.
        at::Tensor covered = at::zeros({g.padded_height, g.padded_width});
        for (auto [y, x] : corners(g)) covered.narrow(0, y, n).narrow(1, x, n).fill_(1);
        EXPECT_EQ(covered.narrow(0, 0, h).narrow(1, 0, w).min().item<float>(), 1.0f) << h << "x" << w << " n" << n;
    }
}

TEST(PatchGrid, RefusesPatchesThatDoNotFit) {
    EXPECT_THROW(make_patch_grid(8, 20, 9, 5), Error);
    EXPECT_THROW(make_patch_grid(20, 20, 9, 0), Error);
}

TEST(PatchGrid, ExtractionEqualsSlicingTheMirroredPicture) {
    const at::Tensor x = random_picture(19, 26, 1);
    const PatchGrid g = make_patch_grid(19, 26, 7, 4);
    const at::Tensor patches = extract_grid_patches(x, g);
    ASSERT_EQ(patches.sizes(), (at::IntArrayRef{g.count(), 3 * 7 * 7}));
    const at::Tensor padded = at::reflection_pad2d(x, {0, g.padded_width - 26, 0, g.padded_height - 19});
    std::int64_t i = 0;
    for (auto [y, xx] : corners(g)) {
        const at::Tensor expected = padded[0].narrow(1, y, 7).narrow(2, xx, 7).reshape({-1});
        ASSERT_TRUE(at::equal(patches[i], expected)) << "patch " << i;
        ++i;
    }
    const at::Tensor all = extract_all_patches(x, 7, 3);
    EXPECT_EQ(all.size(0), ((19 - 7) / 3 + 1) * ((26 - 7) / 3 + 1));
    EXPECT_TRUE(at::equal(all[1], x[0].narrow(1, 0, 7).narrow(2, 3, 7).reshape({-1})));
}

TEST(PatchGrid, AggregationIsTheWeightedAverageOfADirectLoop) {
    const std::int64_t h = 17, w = 22, n = 6, gap = 4;
    const PatchGrid g = make_patch_grid(h, w, n, gap);
    at::manual_seed(3);
    const at::Tensor patches = at::rand({g.count(), 3 * n * n});
    at::Tensor weights = at::rand({g.count()}) + 0.1;
    const at::Tensor fallback = at::full({1, 3, h, w}, -1.0f);
    const at::Tensor out = aggregate_patches(patches, weights, g, fallback);

    at::Tensor num = at::zeros({3, g.padded_height, g.padded_width}, at::kDouble), den = at::zeros_like(num);
    std::int64_t i = 0;
    for (auto [y, x] : corners(g)) {
        const at::Tensor p = patches[i].to(at::kDouble).reshape({3, n, n});
        const double wi = weights[i].item<double>();
        num.narrow(1, y, n).narrow(2, x, n).add_(p * wi);
        den.narrow(1, y, n).narrow(2, x, n).add_(wi);
        ++i;
    }
    const at::Tensor expected = (num / den).narrow(1, 0, h).narrow(2, 0, w).unsqueeze(0).to(at::kFloat);
    EXPECT_LT((out - expected).abs().max().item<float>(), 1e-5f);

    // A pixel whose weights are all 0 keeps the fallback.
    weights.zero_();
    EXPECT_TRUE(at::equal(aggregate_patches(patches, weights, g, fallback), fallback));
}

// Full resolution takes the grid in bands of rows; any banding must give the whole grid's
// patches and its aggregation (the sums differ only by float rounding where bands overlap).
TEST(PatchGrid, BandsOfRowsEqualTheWholeGrid) {
    const at::Tensor image = random_picture(37, 29, 11);
    const PatchGrid g = make_patch_grid(37, 29, 7, 3, 2, 1);
    const at::Tensor whole = extract_grid_patches(image, g);
    at::manual_seed(12);
    const at::Tensor weights = at::rand({g.count()}) + 0.1;
    const at::Tensor expected = aggregate_patches(whole, weights, g, image);
    const at::Tensor padded = pad_for_grid(image, g);
    for (const std::int64_t band : {std::int64_t(1), std::int64_t(2), std::int64_t(5), g.rows}) {
        GridSums sums = make_grid_sums(image, g);
        std::vector<at::Tensor> parts;
        for (std::int64_t first = 0; first < g.rows; first += band) {
            const std::int64_t rows = std::min(band, g.rows - first);
            parts.push_back(extract_grid_rows(padded, g, first, rows));
            accumulate_grid_rows(parts.back(), weights.narrow(0, first * g.cols, rows * g.cols), g, first, sums);
        }
        EXPECT_TRUE(at::equal(at::cat(parts), whole)) << band;
        EXPECT_TRUE(at::allclose(finish_aggregate(sums, g, image), expected, 1e-5, 1e-6)) << band;
    }
    // A band budget of one row's patch matrix gives one row; a huge one, every row.
    const std::int64_t row_bytes = g.cols * 3 * 7 * 7 * 4;
    EXPECT_EQ(grid_band_rows(g, 3, row_bytes), 1);
    EXPECT_EQ(grid_band_rows(g, 3, 3 * row_bytes + 5), 3);
    EXPECT_EQ(grid_band_rows(g, 3, std::int64_t(1) << 40), g.rows);
}

TEST(PatchMatch, NearestEqualsBruteForceAcrossChunks) {
    at::manual_seed(4);
    // Enough keys that the queries are split into several chunks.
    const std::int64_t keys_count = kMatchBlockBytes / 4 / 300 + 17;
    const at::Tensor keys = at::rand({keys_count, 5});
    const at::Tensor queries = at::rand({700, 5});
    const at::Tensor found = nearest_patches(queries, keys);
    const at::Tensor brute = at::cdist(queries.to(at::kDouble), keys.to(at::kDouble)).argmin(1);
    // Distances equal (an index may differ only on an exact tie).
    const at::Tensor d_found = (queries - keys.index_select(0, found)).pow(2).sum(1);
    const at::Tensor d_brute = (queries - keys.index_select(0, brute)).pow(2).sum(1);
    EXPECT_LT((d_found - d_brute).abs().max().item<float>(), 1e-5f);
    EXPECT_GE(at::eq(found, brute).to(at::kFloat).mean().item<float>(), 0.999f);
}

TEST(PatchMatch, DiversityFollowsItsDefinition) {
    at::manual_seed(5);
    const at::Tensor keys = at::rand({60, 4}), queries = at::rand({90, 4});
    const double alpha = 0.01;
    const at::Tensor d = (queries.unsqueeze(1) - keys.unsqueeze(0)).pow(2).mean(2).to(at::kDouble);  // [Q, M]
    const at::Tensor expected = (d / (std::get<0>(d.min(0)) + alpha).unsqueeze(0)).argmin(1);
    // Equal up to float rounding on near ties.
    EXPECT_GE(at::eq(nearest_patches(queries, keys, alpha), expected).to(at::kFloat).mean().item<float>(), 0.97f);
    // And it spreads the matches: a crowd of queries at one key, with a second key close by,
    // no longer all pick the first once the distances are normalised (small alpha: strongest).
    at::Tensor near = keys.clone();
    near[1] = near[0] + 0.05;
    const at::Tensor crowd = near[0].unsqueeze(0) + 0.01 * at::rand({40, 4});
    const auto distinct = [](const at::Tensor& idx) { return std::get<0>(at::_unique(idx)).numel(); };
    EXPECT_EQ(distinct(nearest_patches(crowd, near)), 1);
    EXPECT_GT(distinct(nearest_patches(crowd, near, 1e-8)), 1);
}

TEST(PatchPca, ExactFitReconstructsLowRankDataAndKeepsTheEnergy) {
    at::manual_seed(6);
    const at::Tensor data = at::matmul(at::randn({500, 6}), at::randn({6, 75})) + 3.0;  // rank 6 plus a mean
    const PatchPca pca = fit_patch_pca(data, 0.999, 64);
    EXPECT_LE(pca.basis.size(1), 6);
    EXPECT_GE(pca.energy, 0.999);
    const at::Tensor back = at::matmul(project_patches(pca, data), pca.basis.t()) + pca.mean;
    EXPECT_LT((back - data).abs().max().item<float>(), 2e-3f * data.abs().max().item<float>());
    // The basis is orthonormal.
    const at::Tensor gram = at::matmul(pca.basis.t(), pca.basis);
    EXPECT_LT((gram - at::eye(gram.size(0))).abs().max().item<float>(), 1e-4f);
}

TEST(PatchPca, KeepsTheRequestedShareOfTheEnergy) {
    at::manual_seed(7);
    const at::Tensor scales = at::pow(0.8, at::arange(48, at::kFloat));  // a decaying spectrum
    const at::Tensor data = at::randn({4000, 48}) * scales;
    const PatchPca pca = fit_patch_pca(data, 0.95, 64);
    EXPECT_GE(pca.energy, 0.95);
    const PatchPca fewer = fit_patch_pca(data, 0.95, 3);
    EXPECT_EQ(fewer.basis.size(1), 3);  // capped
    EXPECT_LT(fewer.energy, 0.95);
    // Residual energy after projection is what the fit says it left.
    const at::Tensor centered = data - pca.mean;
    const at::Tensor residual = centered - at::matmul(project_patches(pca, data), pca.basis.t());
    const double left = residual.pow(2).sum().item<double>() / centered.pow(2).sum().item<double>();
    EXPECT_NEAR(left, 1.0 - pca.energy, 1e-3);
}

TEST(PatchPca, RandomizedFitOfWidePatchesFindsTheirSubspace) {
    at::manual_seed(8);
    const std::int64_t d = kExactPcaMaxDims + 100;  // past the exact path
    const at::Tensor data = at::matmul(at::randn({300, 10}), at::randn({10, d})) + 0.5;
    const PatchPca pca = fit_patch_pca(data, 0.99, 64, 42);
    EXPECT_LE(pca.basis.size(1), 10);
    const at::Tensor back = at::matmul(project_patches(pca, data), pca.basis.t()) + pca.mean;
    EXPECT_LT((back - data).abs().max().item<float>(), 1e-2f * data.abs().max().item<float>());
    // Seeded: the same seed gives the same basis.
    EXPECT_TRUE(at::equal(fit_patch_pca(data, 0.99, 64, 42).basis, pca.basis));
}

namespace {

// Gastal and Oliveira's recursive filter written out as in RF.m, in double precision, pixel by pixel.
at::Tensor reference_rf(const at::Tensor& image, double ss, double sr, int iterations) {
    const std::int64_t c = image.size(1), h = image.size(2), w = image.size(3);
    at::Tensor in = image[0].to(at::kDouble).contiguous();
    auto I = in.accessor<double, 3>();
    std::vector<double> dx(std::size_t(h * w), 1.0), dy(std::size_t(h * w), 1.0);
    for (std::int64_t y = 0; y < h; ++y)
        for (std::int64_t x = 0; x < w; ++x) {
            double sx = 0, sy = 0;
            for (std::int64_t k = 0; k < c; ++k) {
                if (x > 0) sx += std::abs(I[k][y][x] - I[k][y][x - 1]);
                if (y > 0) sy += std::abs(I[k][y][x] - I[k][y - 1][x]);
            }
            dx[std::size_t(y * w + x)] = 1 + ss / sr * sx;
            dy[std::size_t(y * w + x)] = 1 + ss / sr * sy;
        }
    at::Tensor out = in.clone();
    auto F = out.accessor<double, 3>();
    for (int i = 0; i < iterations; ++i) {
        const double sigma =
            ss * std::sqrt(3.0) * std::pow(2.0, iterations - (i + 1)) / std::sqrt(std::pow(4.0, iterations) - 1);
        const double a = std::exp(-std::sqrt(2.0) / sigma);
        for (std::int64_t k = 0; k < c; ++k)
            for (std::int64_t y = 0; y < h; ++y) {
                for (std::int64_t x = 1; x < w; ++x)
                    F[k][y][x] += std::pow(a, dx[std::size_t(y * w + x)]) * (F[k][y][x - 1] - F[k][y][x]);
                for (std::int64_t x = w - 2; x >= 0; --x)
                    F[k][y][x] += std::pow(a, dx[std::size_t(y * w + x + 1)]) * (F[k][y][x + 1] - F[k][y][x]);
            }
        for (std::int64_t k = 0; k < c; ++k)
            for (std::int64_t x = 0; x < w; ++x) {
                for (std::int64_t y = 1; y < h; ++y)
                    F[k][y][x] += std::pow(a, dy[std::size_t(y * w + x)]) * (F[k][y - 1][x] - F[k][y][x]);
                for (std::int64_t y = h - 2; y >= 0; --y)
                    F[k][y][x] += std::pow(a, dy[std::size_t((y + 1) * w + x)]) * (F[k][y + 1][x] - F[k][y][x]);
            }
    }
    return out.unsqueeze(0).to(at::kFloat);
}

}  // namespace

TEST(DomainTransform, EqualsTheReferenceRecursion) {
    const at::Tensor x = random_picture(13, 21, 9);
    const at::Tensor expected = reference_rf(x, 5.0, 0.2, 3);
    EXPECT_LT((domain_transform_filter(x, 5.0, 0.2, 3) - expected).abs().max().item<float>(), 1e-5f);
    // Double precision goes through the same float loops and comes back as double.
    const at::Tensor twice = domain_transform_filter(x.to(at::kDouble), 5.0, 0.2, 3);
    EXPECT_EQ(twice.scalar_type(), at::kDouble);
    EXPECT_LT((twice.to(at::kFloat) - expected).abs().max().item<float>(), 1e-5f);
    const at::Tensor one = reference_rf(x, 2.0, 0.5, 1);
    EXPECT_LT((domain_transform_filter(x, 2.0, 0.5, 1) - one).abs().max().item<float>(), 1e-5f);
}

TEST(DomainTransform, SmoothsFlatRegionsAndKeepsEdges) {
    // Left half 0.2, right half 0.8, plus small noise.
    at::manual_seed(10);
    at::Tensor x = at::full({1, 3, 24, 24}, 0.2f);
    x.narrow(3, 12, 12).fill_(0.8f);
    const at::Tensor noisy = x + 0.01 * at::randn({1, 3, 24, 24});
    const at::Tensor out = domain_transform_filter(noisy, 5.0, 0.2, 3);
    EXPECT_LT(out.narrow(3, 2, 8).std().item<float>(), noisy.narrow(3, 2, 8).std().item<float>() * 0.5f);
    // The step stays a step: the two columns beside it are still far apart.
    EXPECT_GT((out.select(3, 12) - out.select(3, 11)).mean().item<float>(), 0.5f);
    // Off: unchanged.
    EXPECT_TRUE(at::equal(domain_transform_filter(noisy, 0.0, 0.2, 3), noisy));
}

TEST(StructureMap, IsHighOnEdgesAndZeroOnFlatPictures) {
    at::Tensor x = at::full({1, 3, 32, 32}, 0.3f);
    EXPECT_EQ(structure_map(x, 2.0).abs().max().item<float>(), 0.0f);
    x.narrow(3, 16, 16).fill_(0.9f);
    const at::Tensor m = structure_map(x, 2.0);
    EXPECT_FLOAT_EQ(m.max().item<float>(), 1.0f);
    EXPECT_GT(m[0][0][10][15].item<float>(), 0.8f);
    EXPECT_LT(m[0][0][10][2].item<float>(), 0.05f);
}
