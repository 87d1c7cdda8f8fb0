// Histogram matching: the matched channels follow the style's distribution (small
// Kolmogorov-Smirnov distance), 8-bit pictures matched to themselves are unchanged, order is kept.
#include <gtest/gtest.h>

#include <ATen/ATen.h>

#include "methods/histogram_match.h"
#include "image/tensor_convert.h"
#include "support/test_images.h"

namespace nt {
namespace {

// The two-sample Kolmogorov-Smirnov statistic: the largest gap between the empirical CDFs,
// evaluated at every sample (where the gap can peak).
double ks_distance(const at::Tensor& a, const at::Tensor& b) {
    const at::Tensor sa = std::get<0>(a.reshape({-1}).sort()), sb = std::get<0>(b.reshape({-1}).sort());
    const at::Tensor at_points = at::cat({sa, sb});
    const at::Tensor fa = at::searchsorted(sa, at_points, false, true).to(at::kDouble) / double(sa.numel());
    const at::Tensor fb = at::searchsorted(sb, at_points, false, true).to(at::kDouble) / double(sb.numel());
    return (fa - fb).abs().max().item<double>();
}

TEST(HistogramMatch, MatchedChannelsFollowTheStylesDistribution) {
    at::manual_seed(11);
    // Differently shaped distributions per channel: skewed low, skewed high, two bumps.
    const at::Tensor content = at::rand({1, 3, 48, 64}).pow(at::tensor({2.0f, 0.5f, 1.0f}).view({1, 3, 1, 1}));
    const at::Tensor bumps = at::where(at::rand({1, 3, 48, 64}) < 0.5, 0.2 + 0.1 * at::rand({1, 3, 48, 64}),
                                       0.7 + 0.2 * at::rand({1, 3, 48, 64}));
    const at::Tensor style = bumps;
    const at::Tensor result = histogram_match(content, style);
    for (int c = 0; c < 3; ++c) {
        EXPECT_GT(ks_distance(content[0][c], style[0][c]), 0.2) << "channel " << c << " already matched";
        EXPECT_LT(ks_distance(result[0][c], style[0][c]), 0.015) << "channel " << c;
    }
}

TEST(HistogramMatch, EightBitPictureMatchedToItselfIsUnchanged) {
    const at::Tensor image = image_to_tensor(test::make_pattern(40, 30, 3));
    EXPECT_LT((histogram_match(image, image) - image).abs().max().item<float>(), 1e-5f);
}

TEST(HistogramMatch, KeepsTheOrderOfValues) {
    at::manual_seed(12);
    const at::Tensor content = at::rand({1, 3, 20, 20}), style = at::rand({1, 3, 20, 20}).pow(3);
    const at::Tensor result = histogram_match(content, style).reshape({3, -1});
    const at::Tensor order = std::get<1>(content.reshape({3, -1}).sort(1));
    const at::Tensor sorted_result = result.gather(1, order);
    EXPECT_TRUE((sorted_result.diff(1, 1) >= -1e-6).all().item<bool>());
}

TEST(HistogramMatch, ResultSpansTheStylesRange) {
    at::manual_seed(13);
    const at::Tensor content = at::rand({1, 3, 16, 16}), style = 0.3 + 0.2 * at::rand({1, 3, 16, 16});
    EXPECT_EQ(histogram_match_table(content, style).sizes(), (at::IntArrayRef{3, kHistogramBins, 2}));
    const at::Tensor result = histogram_match(content, style);
    // Within the style's range, give or take the half bin each end value is spread over.
    EXPECT_GT(result.min().item<float>(), 0.3f - 0.5f / 1020);
    EXPECT_LT(result.max().item<float>(), 0.5f + 0.5f / 1020);
    EXPECT_LT(result.min().item<float>(), 0.31f);
    EXPECT_GT(result.max().item<float>(), 0.49f);
}

}  // namespace
}  // namespace nt
