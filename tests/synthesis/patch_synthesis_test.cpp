// Patch synthesis as a whole: its schedule, its progress (every step reported once, in order,
// as many as total_steps says), determinism by seed, cancellation within a step, bad parameters
// refused, the mask, and what it does to a picture (the style's texture and colours, the
// content's structure by its weight). CPU/CUDA agreement runs where a GPU is.
#include <gtest/gtest.h>

#include <ATen/ATen.h>

#include <atomic>
#include <string>
#include <vector>

#include "base/device.h"
#include "base/error.h"
#include "methods/method.h"
#include "image/sizing.h"
#include "stylize/stylize.h"
#include "synthesis/patch_synthesis.h"
#include "support/test_images.h"
#include "stylize/registry.h"

using namespace nt;

namespace {

const Method& synthesis() { return method_by_name("patch_synthesis"); }

ParamValues params(ParamValues overrides = {}) { return resolve_params(synthesis().info(), overrides); }

// A smooth content (a diagonal gradient with a bright disc) and a striped two-colour style.
at::Tensor gradient_content(std::int64_t h, std::int64_t w) {
    const at::Tensor y = at::linspace(0, 1, h).reshape({1, 1, h, 1}), x = at::linspace(0, 1, w).reshape({1, 1, 1, w});
    at::Tensor c = at::cat({(x + y) / 2, 0.5 * at::ones_like(x + y), 1 - (x + y) / 2}, 1);
    const at::Tensor disc = ((x - 0.5).pow(2) + (y - 0.5).pow(2) < 0.04).to(at::kFloat);
    return (c * (1 - disc) + disc).contiguous();
}

at::Tensor striped_style(std::int64_t h, std::int64_t w) {
    const at::Tensor x = at::arange(w).reshape({1, 1, 1, w}).expand({1, 1, h, w});
    const at::Tensor stripe = ((x / 6) % 2).to(at::kFloat);
    const at::Tensor red = at::tensor({0.9f, 0.1f, 0.1f}).reshape({1, 3, 1, 1});
    const at::Tensor blue = at::tensor({0.1f, 0.2f, 0.8f}).reshape({1, 3, 1, 1});
    return (red * stripe + blue * (1 - stripe)).contiguous();
}

}  // namespace

TEST(PatchSynthesisPlan, ScalesThePublishedScheduleWithTheWorkingSize) {
    const SynthesisPlan at400 = plan_patch_synthesis(400, 400, params());
    // Coarse levels run the two largest sizes, the finest all four: 2 + 2 + 4 passes of 3 updates.
    ASSERT_EQ(at400.passes.size(), 8u);
    EXPECT_EQ(at400.total_steps(), 24);
    EXPECT_EQ(at400.passes.front().level, 2);
    EXPECT_EQ(at400.passes.front().height, 100);
    EXPECT_EQ(at400.passes.back().patch, 9);
    EXPECT_EQ(at400.passes.back().gap, 5);
    EXPECT_EQ(at400.passes[4].patch, 33);
    const SynthesisPlan at800 = plan_patch_synthesis(600, 800, params());
    EXPECT_EQ(at800.passes.back().patch, 18);
    EXPECT_EQ(at800.passes.back().gap, 10);
    EXPECT_EQ(at800.passes.front().width, 200);
    // Patches that do not fit a level are skipped; the stroke size scales them.
    // At 4 levels with strokes twice as large (66, 42, ...) the 50-pixel level only fits 42.
    const SynthesisPlan big = plan_patch_synthesis(400, 400, params({{"patch_scale", 2.0}, {"levels", 4}}));
    for (const SynthesisPass& p : big.passes) EXPECT_LE(p.patch, p.height);
    ASSERT_EQ(big.passes.front().level, 3);
    EXPECT_EQ(big.passes.front().patch, 42);
    EXPECT_EQ(big.passes[1].level, 2);
    EXPECT_EQ(synthesis().total_steps(400, 400, {}), 24);
    EXPECT_EQ(synthesis_stage(at400, 0), "level 1/3 \xC2\xB7 patch 33 \xC2\xB7 update 1/3");
    EXPECT_THROW(plan_patch_synthesis(2, 400, params()), Error);
}

// Full resolution: a 4000x3000 photo with a 768-pixel painting takes patches in the painting's
// pixels (the published sizes times 768/400), not stretched to the photo (times 4000/400, which
// made 330-pixel patches of a database of a few dozen: square blocks); and a painting as large as
// the photo runs its large patches at a lower resolution, never over kMaxPassPatch.
TEST(PatchSynthesisPlan, PatchSizesAreInTheStylesPixels) {
    const SynthesisPlan plan = plan_patch_synthesis(3000, 4000, params(), 768);
    EXPECT_DOUBLE_EQ(plan.texture_scale, 768.0 / 400.0);
    EXPECT_EQ(plan.total_steps(), plan_patch_synthesis(3000, 4000, params()).total_steps());
    ASSERT_EQ(plan.passes.size(), 8u);
    EXPECT_EQ(plan.passes.back().patch, 17);  // 9 x 1.92
    EXPECT_EQ(plan.passes.back().gap, 10);
    EXPECT_EQ(plan.passes.back().height, 3000);
    EXPECT_EQ(plan.passes[4].patch, 63);  // 33 x 1.92, within kMaxPassPatch: full resolution
    EXPECT_EQ(plan.passes[4].width, 4000);
    // A style larger than the content changes nothing: the content's scale, as before.
    const SynthesisPlan small = plan_patch_synthesis(400, 400, params(), 1200);
    EXPECT_EQ(small.passes.back().patch, 9);
    EXPECT_EQ(small.passes[4].patch, 33);

    const SynthesisPlan huge = plan_patch_synthesis(3000, 4000, params(), 4000);
    ASSERT_EQ(huge.passes.size(), 8u);
    for (const SynthesisPass& p : huge.passes) {
        EXPECT_LE(p.patch, kMaxPassPatch);
        EXPECT_LE(p.height, 3000 >> p.level);
    }
    const SynthesisPass& big = huge.passes[4];  // 330 px at the level's size: at 96/330 of it
    EXPECT_EQ(big.patch, kMaxPassPatch);
    EXPECT_NEAR(big.resolution, 96.0 / 330.0, 1e-9);
    EXPECT_EQ(big.width, std::lround(4000 * 96.0 / 330.0));
    EXPECT_EQ(big.gap, std::lround(280 * 96.0 / 330.0));
    // The finest pass (9 x 10 = 90 px) fits: the full size. The passes only grow in size.
    EXPECT_EQ(huge.passes.back().patch, 90);
    EXPECT_EQ(huge.passes.back().width, 4000);
    for (std::size_t i = 1; i < huge.passes.size(); ++i)
        EXPECT_GE(huge.passes[i].height, huge.passes[i - 1].height) << i;
}

TEST(PatchSynthesisPlan, DatabaseStrideBoundsItsSize) {
    for (std::int64_t n : {9, 13, 21, 33, 84}) {
        const std::int64_t s = database_stride(1024, 1024, n);
        const std::int64_t count = ((1024 - n) / s + 1) * ((1024 - n) / s + 1);
        EXPECT_LE(count, kDatabaseMaxPatches) << n;
        EXPECT_LE(count * 3 * n * n * 4, kDatabaseMaxBytes) << n;
        EXPECT_GE(s, 2);
    }
}

TEST(PatchSynthesis, DeclaresItselfIterativeInTheRegistry) {
    const MethodInfo& info = synthesis().info();
    EXPECT_TRUE(info.iterative);
    EXPECT_FALSE(info.needs_model);
    EXPECT_TRUE(info.uses_style);
    EXPECT_TRUE(info.reads_mask);
    EXPECT_EQ(info.mix_param, "strength");
    // Of the methods without a model only the two texture methods improve step by step.
    for (const auto& m : method_registry())
        if (m->info().name != "patch_synthesis" && m->info().name != "patch_distribution" && !m->info().needs_model) {
            EXPECT_FALSE(m->info().iterative) << m->info().name;
        }
}

TEST(PatchSynthesis, ReportsEveryStepInOrderAndIsDeterministic) {
    const at::Tensor c = gradient_content(48, 64), s = striped_style(48, 64);
    const ParamValues p = params({{"levels", 2}, {"updates", 2}});
    std::vector<StepReport> steps;
    RunContext ctx;
    ctx.on_step = [&](const StepReport& r) { steps.push_back(r); };
    const at::Tensor a = synthesis().run(c, s, p, ctx);
    const int total = synthesis().total_steps(48, 64, p);
    ASSERT_EQ(int(steps.size()), total);
    for (int i = 0; i < total; ++i) {
        EXPECT_EQ(steps[std::size_t(i)].step, i + 1);
        EXPECT_EQ(steps[std::size_t(i)].total, total);
        EXPECT_FALSE(steps[std::size_t(i)].stage.empty());
    }
    EXPECT_EQ(steps.front().estimate.size(3), 32);  // the coarse level
    EXPECT_EQ(steps.back().estimate.size(3), 64);
    ASSERT_EQ(a.sizes(), c.sizes());
    EXPECT_GE(a.min().item<float>(), 0.0f);
    EXPECT_LE(a.max().item<float>(), 1.0f);
    // The last estimate is the result (strength 1).
    EXPECT_TRUE(at::equal(steps.back().estimate.clamp(0.0, 1.0), a));
    // Same seed, same pixels; another seed, another picture.
    EXPECT_TRUE(at::equal(synthesis().apply(c, s, p), a));
    ParamValues other = p;
    other["seed"] = 2;
    EXPECT_FALSE(at::equal(synthesis().apply(c, s, other), a));
}

TEST(PatchSynthesis, CancelsWithinOneStep) {
    const at::Tensor c = gradient_content(48, 64), s = striped_style(48, 64);
    std::atomic<bool> cancel{false};
    int seen = 0;
    RunContext ctx;
    ctx.cancel = CancelToken(&cancel);
    ctx.on_step = [&](const StepReport&) {
        if (++seen == 2) cancel = true;
    };
    EXPECT_THROW(synthesis().run(c, s, params(), ctx), Cancelled);
    EXPECT_EQ(seen, 2);  // no step was reported after the cancel
}

TEST(PatchSynthesis, RefusesBadParametersWithTheirNames) {
    const MethodInfo& info = synthesis().info();
    auto message = [&](ParamValues v) {
        try {
            resolve_params(info, v);
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    EXPECT_NE(message({{"levels", 0}}).find("Levels must be a number between 1 and 4"), std::string::npos);
    EXPECT_NE(message({{"levels", 2.5}}).find("whole number"), std::string::npos);
    EXPECT_NE(message({{"color", 4}}).find("Colour step"), std::string::npos);
    EXPECT_NE(message({{"content_weight", -1}}).find("Content weight"), std::string::npos);
    const ParamSpec& color = info.params[4];
    EXPECT_EQ(color.name, "color");
    EXPECT_DOUBLE_EQ(parse_param_value(color, "reinhard"), 2.0);
    EXPECT_THROW(parse_param_value(color, "sepia"), Error);
    // A style of another size is taken with its own aspect (issue 26: it is not stretched to the
    // content's); one that is not an RGB picture is refused.
    EXPECT_EQ(synthesis().apply(gradient_content(20, 20), striped_style(20, 24), params()).sizes(),
              gradient_content(20, 20).sizes());
    EXPECT_THROW(synthesis().apply(gradient_content(20, 20), striped_style(20, 24).narrow(1, 0, 1), params()), Error);
    // Tensors that are not pictures.
    EXPECT_THROW(synthesis().apply(gradient_content(20, 20), at::rand({3, 20, 20}), params()), Error);
}

TEST(PatchSynthesis, TakesTheStylesTextureAndColours) {
    const at::Tensor c = gradient_content(96, 96), s = striped_style(96, 96);
    const at::Tensor out =
        synthesis().apply(c, s, params({{"content_weight", 0.0}, {"denoise", 0.0}, {"color", 0}, {"guidance", 0.0}}));
    // Every pixel is near one of the style's two colours (the content's gradient is gone) ...
    const at::Tensor red = at::tensor({0.9f, 0.1f, 0.1f}).reshape({1, 3, 1, 1});
    const at::Tensor blue = at::tensor({0.1f, 0.2f, 0.8f}).reshape({1, 3, 1, 1});
    const at::Tensor nearest = at::minimum((out - red).abs().amax(1), (out - blue).abs().amax(1));
    // (0.75 before the penalties and the moving grid, which average more patches of differing
    // phase where stripes meet; 0.72 after. Guidance is off: the content's colours are not the style's here.)
    EXPECT_GT((nearest < 0.2).to(at::kFloat).mean().item<float>(), 0.7f);
    // ... and in vertical stripes: neighbouring columns often differ, rows of a column hardly.
    const float across = (out.narrow(3, 1, 95) - out.narrow(3, 0, 95)).abs().mean().item<float>();
    const float along = (out.narrow(2, 1, 95) - out.narrow(2, 0, 95)).abs().mean().item<float>();
    EXPECT_GT(across, 0.03f);
    EXPECT_GT(across, 20.0f * along);
}

TEST(PatchSynthesis, ContentWeightKeepsMoreOfTheContent) {
    const at::Tensor c = gradient_content(64, 64), s = striped_style(64, 64);
    auto distance = [&](double w) {
        return (synthesis().apply(c, s, params({{"content_weight", w}, {"color", 0}})) - c).abs().mean().item<float>();
    };
    EXPECT_LT(distance(5.0), distance(0.0));
    // Strength 0 is the content itself.
    EXPECT_TRUE(at::equal(synthesis().apply(c, s, params({{"strength", 0.0}})), c));
}

TEST(PatchSynthesis, StylizeKeepsTheContentUnderTheMasksBlack) {
    Image content = test::make_pattern(48, 40, 1), style = test::make_pattern(48, 40, 2);
    Image mask(48, 40);
    for (int y = 0; y < 40; ++y)
        for (int x = 0; x < 48; ++x)
            for (int k = 0; k < 3; ++k) mask.pixels[std::size_t((y * 48 + x) * 3 + k)] = x < 24 ? 0 : 255;
    StylizeOptions o;
    o.method = "patch_synthesis";
    o.size = parse_size_spec("original");
    o.params = {{"levels", 2}, {"updates", 1}};
    o.device = DeviceChoice::Cpu;
    o.mask = mask;
    int steps = 0;
    const Image out = stylize(content, style, o, nullptr, [&](const StepReport&) { ++steps; });
    EXPECT_EQ(steps, synthesis().total_steps(40, 48, o.params));
    for (int y = 0; y < 40; ++y)
        for (int x = 0; x < 24; ++x)
            for (int k = 0; k < 3; ++k)
                ASSERT_EQ(out.pixels[std::size_t((y * 48 + x) * 3 + k)],
                          content.pixels[std::size_t((y * 48 + x) * 3 + k)]);
}

TEST(PatchSynthesis, CudaEqualsCpuWithinRounding) {
    if (!cuda_available()) GTEST_SKIP() << "no CUDA device: " << cuda_unavailable_reason();
    const at::Tensor c = gradient_content(48, 64), s = striped_style(48, 64);
    const ParamValues p = params({{"levels", 2}, {"updates", 2}});
    const at::Tensor cpu = synthesis().apply(c, s, p);
    const at::Tensor gpu = synthesis().apply(c.cuda(), s.cuda(), p).cpu();
    // The same noise and schedule; GEMM and reduction order differ, so a few patch choices may.
    EXPECT_LT((cpu - gpu).abs().mean().item<float>(), 0.02f);
}
