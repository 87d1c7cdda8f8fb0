// Reinhard and Monge-Kantorovich colour transfer: the result takes the style's statistics in the
// method's colour space, strength interpolates, and the registry declares both.
#include <gtest/gtest.h>

#include <ATen/ATen.h>

#include "image/color_space.h"
#include "methods/color_transfer.h"
#include "methods/method.h"
#include "stylize/registry.h"

namespace nt {
namespace {

// Correlated colours around a mean, like a photograph: a shared brightness plus per-channel noise.
at::Tensor colourful(double seed_mean, const std::vector<double>& mean, double spread, int h = 64, int w = 96) {
    at::manual_seed(std::uint64_t(seed_mean * 1000));
    const at::Tensor shared = at::rand({1, 1, h, w}) - 0.5;
    const at::Tensor own = at::rand({1, 3, h, w}) - 0.5;
    const at::Tensor m = at::tensor(std::vector<float>(mean.begin(), mean.end())).view({1, 3, 1, 1});
    return m + spread * (shared + 0.5 * own);
}

void expect_in_gamut(const at::Tensor& t) {
    // Otherwise the final clamp would move the statistics and the checks below would test nothing.
    ASSERT_GT(t.min().item<float>(), 0.0f);
    ASSERT_LT(t.max().item<float>(), 1.0f);
}

TEST(Reinhard, ResultHasTheStylesMeanAndStdInLalphabeta) {
    const at::Tensor content = colourful(0.1, {0.45, 0.5, 0.4}, 0.5);
    const at::Tensor style = colourful(0.2, {0.6, 0.45, 0.35}, 0.3);
    const at::Tensor result = reinhard_transfer(content, style);
    expect_in_gamut(result);
    const auto [std_r, mean_r] = at::std_mean(rgb_to_lalphabeta(result), {2, 3}, false);
    const auto [std_s, mean_s] = at::std_mean(rgb_to_lalphabeta(style), {2, 3}, false);
    EXPECT_TRUE(at::allclose(mean_r, mean_s, 0, 1e-4)) << mean_r << mean_s;
    EXPECT_TRUE(at::allclose(std_r, std_s, 1e-3, 1e-5)) << std_r << std_s;
}

TEST(Reinhard, FlatContentStaysFinite) {
    const at::Tensor content = at::full({1, 3, 8, 8}, 0.5), style = colourful(0.3, {0.5, 0.5, 0.5}, 0.5, 8, 8);
    const at::Tensor result = reinhard_transfer(content, style);
    EXPECT_TRUE(at::isfinite(result).all().item<bool>());
}

TEST(MongeKantorovich, ResultHasTheStylesMeanAndCovariance) {
    const at::Tensor content = colourful(0.4, {0.45, 0.5, 0.45}, 0.5);
    const at::Tensor style = colourful(0.5, {0.55, 0.45, 0.4}, 0.35);
    const at::Tensor result = monge_kantorovich_transfer(content, style);
    expect_in_gamut(result);
    const ColorStats r = color_stats(result), s = color_stats(style);
    EXPECT_TRUE(at::allclose(r.mean, s.mean, 0, 1e-4)) << r.mean << s.mean;
    // The regularisation moves the covariance by at most about 1e-4 (its size); entries are ~1e-2.
    EXPECT_TRUE(at::allclose(r.covariance, s.covariance, 0, 2e-4)) << r.covariance << s.covariance;
}

TEST(MongeKantorovich, MatrixMapsOneCovarianceOntoTheOther) {
    at::manual_seed(5);
    const at::Tensor a = at::rand({3, 3}, at::kDouble), b = at::rand({3, 3}, at::kDouble);
    const at::Tensor cov_c = at::mm(a, a.t()) + at::eye(3, at::kDouble) * 0.01;
    const at::Tensor cov_s = at::mm(b, b.t()) + at::eye(3, at::kDouble) * 0.01;
    const at::Tensor t = monge_kantorovich_matrix(cov_c, cov_s);
    EXPECT_TRUE(at::allclose(t, t.t(), 0, 1e-12));
    // T (Σc + εI) T = Σs + εI exactly, with ε the regularisation.
    const at::Tensor eps = at::eye(3, at::kDouble) * kMongeKantorovichRegularization;
    EXPECT_TRUE(at::allclose(at::matmul(at::matmul(t, cov_c + eps), t), cov_s + eps, 0, 1e-10));
    EXPECT_TRUE(at::allclose(monge_kantorovich_matrix(cov_c, cov_c), at::eye(3, at::kDouble), 0, 1e-10));
}

TEST(MongeKantorovich, GreyContentStaysFinite) {
    const at::Tensor grey = colourful(0.6, {0.5, 0.5, 0.5}, 0.5).mean(1, true).expand({1, 3, 64, 96}).contiguous();
    const at::Tensor result = monge_kantorovich_transfer(grey, colourful(0.7, {0.6, 0.4, 0.3}, 0.3));
    EXPECT_TRUE(at::isfinite(result).all().item<bool>());
}

TEST(ColorMethods, AreRegisteredWithAStrengthParameter) {
    for (const char* name : {"reinhard", "monge_kantorovich", "histogram"}) {
        const Method* m = find_method(name);
        ASSERT_NE(m, nullptr) << name;
        EXPECT_FALSE(m->info().needs_model);
        ASSERT_EQ(m->info().params.size(), 1u);
        const ParamSpec& p = m->info().params[0];
        EXPECT_EQ(p.name, "strength");
        EXPECT_DOUBLE_EQ(p.min_value, 0.0);
        EXPECT_DOUBLE_EQ(p.max_value, 1.0);
        EXPECT_DOUBLE_EQ(p.default_value, 1.0);
    }
}

TEST(ColorMethods, StrengthZeroGivesTheContentAndHalfIsHalfway) {
    const at::Tensor content = colourful(0.8, {0.4, 0.5, 0.6}, 0.5, 16, 16);
    const at::Tensor style = colourful(0.9, {0.6, 0.4, 0.3}, 0.4, 16, 16);
    for (const char* name : {"reinhard", "monge_kantorovich", "histogram"}) {
        const Method& m = method_by_name(name);
        EXPECT_TRUE(at::equal(m.apply(content, style, {{"strength", 0.0}}), content)) << name;
        const at::Tensor full = m.apply(content, style, {{"strength", 1.0}});
        const at::Tensor half = m.apply(content, style, {{"strength", 0.5}});
        EXPECT_TRUE(at::allclose(half, (content + full) * 0.5, 0, 1e-6)) << name;
        EXPECT_EQ(full.sizes(), content.sizes()) << name;
        EXPECT_GE(full.min().item<float>(), 0.0f) << name;
        EXPECT_LE(full.max().item<float>(), 1.0f) << name;
        EXPECT_GT((full - content).abs().mean().item<float>(), 0.01f) << name << " changed nothing";
    }
}

}  // namespace
}  // namespace nt
