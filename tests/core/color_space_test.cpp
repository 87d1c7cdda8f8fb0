// Colour-space conversions: exact round trips and the defining values of each space.
#include <gtest/gtest.h>

#include <ATen/ATen.h>

#include "image/color_space.h"

namespace nt {
namespace {

float max_diff(const at::Tensor& a, const at::Tensor& b) { return (a - b).abs().max().item<float>(); }

TEST(ColorSpace, YcbcrRoundTripsToFloatPrecision) {
    at::manual_seed(1);
    const at::Tensor rgb = at::rand({1, 3, 17, 23});
    EXPECT_LT(max_diff(ycbcr_to_rgb(rgb_to_ycbcr(rgb)), rgb), 1e-6f);
}

TEST(ColorSpace, YcbcrOfPrimariesIsBt601) {
    const at::Tensor colors = at::tensor({1.f, 1.f, 1.f, 0.f, 1.f, 0.f}).view({1, 3, 1, 2});  // white, red
    const at::Tensor ycc = rgb_to_ycbcr(colors);
    EXPECT_NEAR(ycc[0][0][0][0].item<float>(), 1.0, 1e-6);
    EXPECT_NEAR(ycc[0][1][0][0].item<float>(), 0.0, 1e-6);
    EXPECT_NEAR(ycc[0][2][0][0].item<float>(), 0.0, 1e-6);
    EXPECT_NEAR(ycc[0][0][0][1].item<float>(), 0.299, 1e-6);
    EXPECT_NEAR(ycc[0][2][0][1].item<float>(), 0.5, 1e-6);
}

TEST(ColorSpace, LumaIsTheYChannel) {
    at::manual_seed(2);
    const at::Tensor rgb = at::rand({2, 3, 5, 7});
    EXPECT_LT(max_diff(luma(rgb), rgb_to_ycbcr(rgb).narrow(1, 0, 1)), 1e-6f);
}

TEST(ColorSpace, LalphabetaRoundTripsAboveTheFloor) {
    at::manual_seed(3);
    const at::Tensor rgb = at::rand({1, 3, 19, 11}) * 0.9 + 0.05;
    EXPECT_LT(max_diff(lalphabeta_to_rgb(rgb_to_lalphabeta(rgb)), rgb), 2e-5f);
}

TEST(ColorSpace, LalphabetaLuminanceAxisGrowsWithBrightness) {
    const at::Tensor dark = at::full({1, 3, 1, 1}, 0.2), light = at::full({1, 3, 1, 1}, 0.8);
    EXPECT_LT(rgb_to_lalphabeta(dark)[0][0].item<float>(), rgb_to_lalphabeta(light)[0][0].item<float>());
    // Black is floored, not -inf.
    EXPECT_TRUE(at::isfinite(rgb_to_lalphabeta(at::zeros({1, 3, 2, 2}))).all().item<bool>());
}

}  // namespace
}  // namespace nt
