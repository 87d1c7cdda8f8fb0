// Patch distribution matching as a whole: its schedule, its progress (every step reported once, in
// order, as many as total_steps says), determinism by seed, cancellation within a step, bad
// parameters refused, the mask, and what it does to a picture (the style's palette and stripes,
// the content's shapes by its weight, the distance to the style going down). CPU/CUDA agreement
// runs where a GPU is.
#include <gtest/gtest.h>

#include <ATen/ATen.h>

#include <atomic>
#include <numeric>
#include <string>
#include <vector>

#include "base/device.h"
#include "base/error.h"
#include "methods/method.h"
#include "image/sizing.h"
#include "stylize/stylize.h"
#include "synthesis/patch_distribution.h"
#include "support/test_images.h"
#include "stylize/registry.h"

using namespace nt;

namespace {

const Method& distribution() { return method_by_name("patch_distribution"); }

ParamValues params(ParamValues overrides = {}) { return resolve_params(distribution().info(), overrides); }

// A content with a bright square on a dark ground, and a striped red/blue style.
at::Tensor square_content(std::int64_t h, std::int64_t w) {
    at::Tensor c = at::full({1, 3, h, w}, 0.2f);
    c.narrow(2, h / 4, h / 2).narrow(3, w / 4, w / 2).fill_(0.8f);
    return c;
}

at::Tensor striped_style(std::int64_t h, std::int64_t w) {
    const at::Tensor x = at::arange(w).reshape({1, 1, 1, w}).expand({1, 1, h, w});
    const at::Tensor stripe = ((x / 3) % 2).to(at::kFloat);
    const at::Tensor red = at::tensor({0.9f, 0.1f, 0.1f}).reshape({1, 3, 1, 1});
    const at::Tensor blue = at::tensor({0.1f, 0.2f, 0.8f}).reshape({1, 3, 1, 1});
    return (red * stripe + blue * (1 - stripe)).contiguous();
}

// Pearson correlation of two pictures' luminance after a box blur (their shapes, not texture).
double shape_correlation(const at::Tensor& a, const at::Tensor& b) {
    auto shapes = [](const at::Tensor& t) { return at::avg_pool2d(t.mean(1, true), 5, 1, 2).flatten(); };
    const at::Tensor x = shapes(a) - shapes(a).mean(), y = shapes(b) - shapes(b).mean();
    return ((x * y).sum() / (x.norm() * y.norm())).item<double>();
}

}  // namespace

TEST(PatchDistributionPlan, SkipsLevelsTooSmallForItsPatches) {
    const DistributionPlan at512 = plan_patch_distribution(512, 512, params());
    ASSERT_EQ(at512.levels.size(), 3u);
    EXPECT_EQ(at512.levels.front().height, 128);
    EXPECT_EQ(at512.levels.back().width, 512);
    // 100 steps at the coarsest level, half as many at each finer one.
    EXPECT_EQ(at512.levels[1].steps, 50);
    EXPECT_EQ(at512.total_steps(), 175);
    EXPECT_EQ(distribution().total_steps(512, 512, {}), 175);
    EXPECT_EQ(distribution_stage(at512, 0), "level 1/3 \xC2\xB7 step 1/100");
    EXPECT_EQ(distribution_stage(at512, 100), "level 2/3 \xC2\xB7 step 1/50");
    EXPECT_EQ(distribution_stage(at512, 174), "level 3/3 \xC2\xB7 step 25/25");
    // 60 px: the quarter (15 px) is under 4 patches of 7, the half (30 px) is not.
    const DistributionPlan small = plan_patch_distribution(60, 80, params({{"steps", 5}}));
    ASSERT_EQ(small.levels.size(), 2u);
    EXPECT_EQ(small.levels.front().level, 1);
    EXPECT_EQ(small.total_steps(), 7);
    // The working size alone runs when it holds one patch; under that, a clear error.
    EXPECT_EQ(plan_patch_distribution(8, 8, params()).levels.size(), 1u);
    EXPECT_THROW(plan_patch_distribution(6, 400, params()), Error);
}

TEST(PatchDistribution, DeclaresItselfIterativeWithAStrengthMix) {
    const MethodInfo& info = distribution().info();
    EXPECT_TRUE(info.iterative);
    EXPECT_FALSE(info.needs_model);
    EXPECT_TRUE(info.uses_style);
    EXPECT_FALSE(info.reads_mask);  // the mask is applied after it, like the colour methods'
    EXPECT_EQ(info.mix_param, "strength");
}

TEST(PatchDistribution, ReportsEveryStepInOrderAndIsDeterministic) {
    const at::Tensor c = square_content(40, 56), s = striped_style(40, 56);
    const ParamValues p = params({{"levels", 2}, {"steps", 4}, {"patch_size", 5}});
    std::vector<StepReport> steps;
    RunContext ctx;
    ctx.on_step = [&](const StepReport& r) { steps.push_back(r); };
    const at::Tensor a = distribution().run(c, s, p, ctx);
    const int total = distribution().total_steps(40, 56, p);
    ASSERT_EQ(total, 6);
    ASSERT_EQ(int(steps.size()), total);
    for (int i = 0; i < total; ++i) {
        EXPECT_EQ(steps[std::size_t(i)].step, i + 1);
        EXPECT_EQ(steps[std::size_t(i)].total, total);
        ASSERT_EQ(steps[std::size_t(i)].values.size(), 1u);
        EXPECT_EQ(steps[std::size_t(i)].values[0].first, "swd");
    }
    EXPECT_EQ(steps.front().estimate.size(3), 28);  // the coarse level
    EXPECT_EQ(steps.back().estimate.size(3), 56);
    // Each report is a picture of its own, not the buffer the next step changes.
    EXPECT_FALSE(at::equal(steps[4].estimate, steps[5].estimate));
    EXPECT_TRUE(at::equal(steps.back().estimate, a));
    EXPECT_TRUE(at::equal(distribution().apply(c, s, p), a));
    ParamValues other = p;
    other["seed"] = 2;
    EXPECT_FALSE(at::equal(distribution().apply(c, s, other), a));
}

TEST(PatchDistribution, CancelsWithinOneStep) {
    const at::Tensor c = square_content(40, 40), s = striped_style(40, 40);
    std::atomic<bool> cancel{false};
    int seen = 0;
    RunContext ctx;
    ctx.cancel = CancelToken(&cancel);
    ctx.on_step = [&](const StepReport&) {
        if (++seen == 3) cancel = true;
    };
    EXPECT_THROW(distribution().run(c, s, params({{"steps", 10}}), ctx), Cancelled);
    EXPECT_EQ(seen, 3);
}

TEST(PatchDistribution, RefusesBadParametersWithTheirNames) {
    const MethodInfo& info = distribution().info();
    auto message = [&](ParamValues v) {
        try {
            resolve_params(info, v);
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    EXPECT_NE(message({{"projections", 0}}).find("Projections must be a number between 4 and 256"), std::string::npos);
    EXPECT_NE(message({{"patch_size", 7.5}}).find("whole number"), std::string::npos);
    EXPECT_NE(message({{"content_weight", -1}}).find("Content weight"), std::string::npos);
    EXPECT_NE(message({{"shape", 1}}).find("no parameter named shape"), std::string::npos);
    // A style of another size is taken with its own aspect (issue 26: it is not stretched to the
    // content's); one that is not an RGB picture is refused.
    EXPECT_EQ(distribution().apply(square_content(20, 20), striped_style(20, 24), params()).sizes(),
              square_content(20, 20).sizes());
    EXPECT_THROW(distribution().apply(square_content(20, 20), striped_style(20, 24).narrow(1, 0, 1), params()), Error);
    EXPECT_THROW(distribution().apply(square_content(5, 40), striped_style(5, 40), params()), Error);
}

TEST(PatchDistribution, TakesTheStylesPaletteAndStripesAndLowersTheDistance) {
    const at::Tensor c = square_content(48, 48), s = striped_style(48, 48);
    std::vector<double> swd;
    RunContext ctx;
    ctx.on_step = [&](const StepReport& r) { swd.push_back(r.values[0].second); };
    const at::Tensor out =
        distribution().run(c, s, params({{"levels", 1}, {"steps", 250}, {"content_weight", 0.0}}), ctx);
    // Each step draws new projections, so single values are noisy: the first and last ten.
    const double first = std::accumulate(swd.begin(), swd.begin() + 10, 0.0);
    const double last = std::accumulate(swd.end() - 10, swd.end(), 0.0);
    EXPECT_LT(last, 0.4 * first);
    // Most pixels are near one of the style's two colours (the grey content is gone) ...
    const at::Tensor red = at::tensor({0.9f, 0.1f, 0.1f}).reshape({1, 3, 1, 1});
    const at::Tensor blue = at::tensor({0.1f, 0.2f, 0.8f}).reshape({1, 3, 1, 1});
    const at::Tensor nearest = at::minimum((out - red).abs().amax(1), (out - blue).abs().amax(1));
    EXPECT_GT((nearest < 0.25).to(at::kFloat).mean().item<float>(), 0.5f);
    // ... in vertical stripes: neighbouring columns differ far more than neighbouring rows.
    const float across = (out.narrow(3, 1, 47) - out.narrow(3, 0, 47)).abs().mean().item<float>();
    const float along = (out.narrow(2, 1, 47) - out.narrow(2, 0, 47)).abs().mean().item<float>();
    EXPECT_GT(across, 2.5f * along);
}

TEST(PatchDistribution, ContentWeightKeepsTheShapes) {
    // Light and dark stripes: the term holds the content's luminance at the style's spread, so a
    // style with no luminance contrast would hold no shapes (docs/PATCH_DISTRIBUTION.md).
    const at::Tensor c = square_content(64, 64);
    const at::Tensor x = at::arange(64).reshape({1, 1, 1, 64}).expand({1, 1, 64, 64});
    const at::Tensor stripe = ((x / 3) % 2).to(at::kFloat);
    const at::Tensor s = (at::tensor({0.9f, 0.9f, 0.2f}).reshape({1, 3, 1, 1}) * stripe +
                          at::tensor({0.1f, 0.1f, 0.5f}).reshape({1, 3, 1, 1}) * (1 - stripe))
                             .contiguous();
    auto correlation = [&](double w) {
        return shape_correlation(
            distribution().apply(c, s, params({{"levels", 2}, {"steps", 60}, {"content_weight", w}})), c);
    };
    const double kept = correlation(10.0);
    EXPECT_GT(kept, 0.8);
    EXPECT_GT(kept, correlation(0.0));
    // Strength 0 is the content itself.
    EXPECT_TRUE(at::equal(distribution().apply(c, s, params({{"steps", 2}, {"strength", 0.0}})), c));
}

// A dark style under a bright photo: the content term holds the photo's shapes at the style's
// brightness, so the result is as dark as the style and grey as it is. Holding the photo's own
// brightness, the optimiser kept it in the green channel (the heaviest luminance weight): a green
// picture (seen on sailboat + en_campo_gris).
TEST(PatchDistribution, ADarkStyleGivesADarkResultNotAColourCast) {
    at::Tensor c = at::full({1, 3, 48, 48}, 0.85f);
    c.narrow(2, 12, 24).narrow(3, 12, 24).fill_(0.3f);
    at::Tensor s = at::full({1, 3, 48, 48}, 0.05f);
    s.narrow(3, 0, 1).fill_(0.9f);
    for (std::int64_t x = 8; x < 48; x += 8) s.narrow(3, x, 1).fill_(0.9f);
    const at::Tensor out = distribution().apply(c, s, params({{"levels", 1}, {"steps", 150}}));
    const at::Tensor means = out.mean({0, 2, 3});
    EXPECT_LT(means.max().item<float>(), 0.35f) << means;
    EXPECT_LT((means.max() - means.min()).item<float>(), 0.08f) << means;
    EXPECT_GT(shape_correlation(out, c), 0.5);  // the square is still there
}

TEST(PatchDistribution, StylizeKeepsTheContentUnderTheMasksBlack) {
    Image content = test::make_pattern(48, 40, 1), style = test::make_pattern(48, 40, 2);
    Image mask(48, 40);
    for (int y = 0; y < 40; ++y)
        for (int x = 0; x < 48; ++x)
            for (int k = 0; k < 3; ++k) mask.pixels[std::size_t((y * 48 + x) * 3 + k)] = x < 24 ? 0 : 255;
    StylizeOptions o;
    o.method = "patch_distribution";
    o.size = parse_size_spec("original");
    o.params = {{"levels", 1}, {"steps", 3}};
    o.device = DeviceChoice::Cpu;
    o.mask = mask;
    int steps = 0;
    const Image out = stylize(content, style, o, nullptr, [&](const StepReport&) { ++steps; });
    EXPECT_EQ(steps, 3);
    int changed = 0;
    for (int y = 0; y < 40; ++y)
        for (int x = 0; x < 48; ++x)
            for (int k = 0; k < 3; ++k) {
                const std::size_t i = std::size_t((y * 48 + x) * 3 + k);
                if (x < 24) ASSERT_EQ(out.pixels[i], content.pixels[i]);
                else changed += out.pixels[i] != content.pixels[i];
            }
    EXPECT_GT(changed, 48 * 40 / 4);
}

TEST(PatchDistribution, CudaEqualsCpuWithinRounding) {
    if (!cuda_available()) GTEST_SKIP() << "no CUDA device: " << cuda_unavailable_reason();
    const at::Tensor c = square_content(48, 64), s = striped_style(48, 64);
    const ParamValues p = params({{"levels", 2}, {"steps", 20}});
    const at::Tensor cpu = distribution().apply(c, s, p);
    const at::Tensor gpu = distribution().apply(c.cuda(), s.cuda(), p).cpu();
    // The same projections and schedule; the sorts break ties differently and convolutions round
    // differently, so pixels drift apart a little over the steps.
    EXPECT_LT((cpu - gpu).abs().mean().item<float>(), 0.03f);
}
