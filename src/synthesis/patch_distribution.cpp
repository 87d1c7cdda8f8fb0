#include "synthesis/patch_distribution.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "base/error.h"
#include "methods/strength.h"
#include "synthesis/sliced_wasserstein.h"
#include "image/tensor_resize.h"

namespace nt {

namespace {

std::int64_t level_side(std::int64_t side, int level) {
    return std::max<std::int64_t>(1, std::int64_t(std::lround(double(side) / double(1 << level))));
}

// Separable Gaussian with zero padding on [1, 1, H, W]: its matrix is symmetric, so the same
// filter is its own adjoint in the content term's gradient.
at::Tensor low_pass(const at::Tensor& gray, double sigma) {
    const auto radius = std::max<std::int64_t>(1, std::int64_t(std::ceil(3.0 * sigma)));
    const at::Tensor t = at::arange(-radius, radius + 1, gray.options());
    const at::Tensor kernel = at::exp(-t * t / (2.0 * sigma * sigma));
    const at::Tensor k = kernel / kernel.sum();
    const std::int64_t n = 2 * radius + 1;
    const at::Tensor rows =
        at::conv2d(gray, k.view({1, 1, 1, n}), at::Tensor(), at::IntArrayRef{1, 1}, at::IntArrayRef{0, radius});
    return at::conv2d(rows, k.view({1, 1, n, 1}), at::Tensor(), at::IntArrayRef{1, 1}, at::IntArrayRef{radius, 0});
}

at::Tensor luma_weights(const at::Tensor& like) {
    return at::tensor({0.299f, 0.587f, 0.114f}, like.options()).view({1, 3, 1, 1});
}

at::Tensor luma(const at::Tensor& rgb) { return (rgb * luma_weights(rgb)).sum(1, true); }

// The content's luminance with the style's mean and spread (Hertzmann et al.'s luminance
// remapping in Image Analogies): the content term holds the photo's shapes, not its brightness.
// Without it a dark style under a bright photo fights the term, and the optimiser keeps the
// brightness in the channel that costs the style least (green, the heaviest luma weight).
at::Tensor remapped_luma(const at::Tensor& content, const at::Tensor& style) {
    const at::Tensor y = luma(content), ys = luma(style);
    return (y - y.mean()) * (ys.std() / (y.std() + 1e-6)) + ys.mean();
}

// The gradient of weight * mean((low_pass(luma(x)) - target)^2).
at::Tensor content_gradient(const at::Tensor& x, const at::Tensor& target, double sigma, double weight) {
    const at::Tensor residual = low_pass(luma(x), sigma) - target;
    const double scale = 2.0 * weight / double(residual.numel());
    return low_pass(residual, sigma).mul_(scale) * luma_weights(x);
}

void check_inputs(const at::Tensor& content, const at::Tensor& style) {
    check_method_inputs("patch_distribution", content, style);
    if (content.scalar_type() != at::kFloat) throw Error("patch_distribution: expects float32 tensors");
}

}  // namespace

int DistributionPlan::total_steps() const {
    int total = 0;
    for (const DistributionLevel& l : levels) total += l.steps;
    return total;
}

DistributionPlan plan_patch_distribution(std::int64_t height, std::int64_t width, const ParamValues& params) {
    DistributionPlan plan;
    const auto patch = std::int64_t(params.at("patch_size"));
    const int levels = int(params.at("levels"));
    int steps = int(params.at("steps"));
    for (int level = levels - 1; level >= 0; --level) {
        const std::int64_t h = level_side(height, level), w = level_side(width, level);
        if (std::min(h, w) < kLevelMinPatches * patch && !(level == 0 && std::min(h, w) >= patch)) continue;
        plan.levels.push_back({level, h, w, steps});
        steps = std::max(1, steps / 2);
    }
    if (plan.levels.empty())
        throw Error("patch_distribution", "a " + std::to_string(width) + "x" + std::to_string(height) +
                                              " working size is smaller than a " + std::to_string(patch) +
                                              "-pixel patch");
    return plan;
}

std::string distribution_stage(const DistributionPlan& plan, int index) {
    int level = 0;
    while (level + 1 < int(plan.levels.size()) && index >= plan.levels[std::size_t(level)].steps)
        index -= plan.levels[std::size_t(level++)].steps;
    char text[64];
    std::snprintf(text, sizeof text, "level %d/%d \xC2\xB7 step %d/%d", level + 1, int(plan.levels.size()), index + 1,
                  plan.levels[std::size_t(level)].steps);
    return text;
}

DistributionSettings distribution_settings(const ParamValues& params) {
    DistributionSettings s;
    s.patch = std::int64_t(params.at("patch_size"));
    s.projections = std::int64_t(params.at("projections"));
    s.content_weight = params.at("content_weight");
    s.learning_rate = params.at("learning_rate");
    s.style_scale = params.at("style_scale");
    s.seed = static_cast<std::uint64_t>(params.at("seed"));
    return s;
}

LevelOptimizer::LevelOptimizer(const at::Tensor& content, const at::Tensor& style, const at::Tensor& start,
                               const DistributionLevel& level, const DistributionSettings& settings)
    : settings_(settings) {
    const at::Tensor level_content = resize_tensor(content, level.height, level.width);
    const std::int64_t patch = settings.patch;
    // The style (its own size and aspect) at this level as the content, times style_scale.
    const std::int64_t sh = std::lround(double(level_side(style.size(2), level.level)) * settings.style_scale);
    const std::int64_t sw = std::lround(double(level_side(style.size(3), level.level)) * settings.style_scale);
    const at::Tensor level_style =
        resize_to_at_least(resize_tensor(style, std::max<std::int64_t>(1, sh), std::max<std::int64_t>(1, sw)), patch);
    style_patches_ =
        sample_patch_matrix(level_style, patch, kStylePatchesMax, settings.seed + 7919u * std::uint64_t(level.level));
    sigma_ = double(std::max(level.height, level.width)) / kContentBlurDivisor;
    content_low_ = low_pass(remapped_luma(level_content, level_style), sigma_);
    // The coarsest level starts from the content; the others from the last level's result.
    x_ = (start.defined() ? resize_tensor(start, level.height, level.width) : level_content).clone().contiguous();
    m_ = at::zeros_like(x_);
    v_ = at::zeros_like(x_);
}

double LevelOptimizer::step(std::uint64_t projection_seed) {
    const DistributionSettings& s = settings_;
    const at::Tensor projections = random_projections(s.projections, s.patch, projection_seed, x_.device());
    // Mirrored borders: without them a pixel at an edge lies in a single patch, not p^2, and Adam
    // (which scales each pixel's step alike) streaks the edges with noise.
    const std::int64_t pad = s.patch / 2;
    const at::Tensor padded = at::reflection_pad2d(x_, {pad, pad, pad, pad});
    const SwdGradient swd =
        patch_swd_gradient(padded, projections, sorted_projections(projections, style_patches_), s.patch);
    const at::Tensor grad = at::reflection_pad2d_backward(swd.grad, x_, {pad, pad, pad, pad}) +
                            content_gradient(x_, content_low_, sigma_, s.content_weight);
    // Adam (Kingma and Ba), on the picture itself, kept in 0..1.
    ++t_;
    m_.mul_(kAdamBeta1).add_(grad, 1.0 - kAdamBeta1);
    v_.mul_(kAdamBeta2).addcmul_(grad, grad, 1.0 - kAdamBeta2);
    const double m_hat = 1.0 - std::pow(kAdamBeta1, t_), v_hat = 1.0 - std::pow(kAdamBeta2, t_);
    const at::Tensor denom = (v_ / v_hat).sqrt_().add_(kAdamEpsilon);
    x_.addcdiv_(m_, denom, -s.learning_rate / m_hat).clamp_(0.0, 1.0);
    return swd.loss;
}

at::Tensor patch_distribution(const at::Tensor& content, const at::Tensor& style, const ParamValues& params,
                              const RunContext& context) {
    check_inputs(content, style);
    const DistributionPlan plan = plan_patch_distribution(content.size(2), content.size(3), params);
    const DistributionSettings settings = distribution_settings(params);
    at::Tensor x;
    int step = 0;
    for (const DistributionLevel& level : plan.levels) {
        context.cancel.check();
        LevelOptimizer optimizer(content, style, x, level, settings);
        for (int k = 0; k < level.steps; ++k) {
            context.cancel.check();
            const double swd = optimizer.step(settings.seed * 1000003u + std::uint64_t(step));
            ++step;
            if (context.on_step)
                context.on_step({step,
                                 plan.total_steps(),
                                 distribution_stage(plan, step - 1),
                                 optimizer.picture().clone(),
                                 {{"swd", swd}}});
        }
        x = optimizer.picture();
    }
    x = resize_tensor(x, content.size(2), content.size(3));
    return mix_by_strength(content, x, params.at("strength"));
}

namespace {

class PatchDistributionMethod final : public Method {
public:
    PatchDistributionMethod() {
        info_ = MethodInfo{
            "patch_distribution",
            "Patch distribution (no model)",
            "Elnekave and Weiss 2022 (GPDM): the photo is optimised until its small patches are distributed as "
            "the style's, so palette and brush strokes cover it while a content term keeps its shapes; no model "
            "file.",
            {{"content_weight",
              "Content weight",
              "How strongly the photo's low-passed luminance is kept: 0 lets the style take over, 10 keeps the "
              "shapes nearly as they are.",
              0.0,
              10.0,
              1.0,
              false,
              {},
              false},
             {"steps", "Steps", "Adam steps at the coarsest level; each finer level runs half as many.", 1, 1000, 100,
              true},
             {"levels", "Levels", "Pyramid levels (coarse to fine, each twice the size of the last).", 1, 5, 3, true},
             {"patch_size", "Patch size", "Side of the compared patches in pixels: the stroke scale.", 3, 15, 7, true},
             {"projections", "Projections",
              "Random directions per step: more is a finer estimate of the distance, and slower.", 4, 256, 32, true},
             {"style_scale", "Style scale",
              "Resizes the style before its patches are taken: above 1 its strokes look larger.", 0.25, 2.0, 1.0},
             {"learning_rate",
              "Step size",
              "Adam's learning rate, in 0..1 colour units.",
              0.001,
              0.1,
              0.02,
              false,
              {},
              true},
             {"seed", "Seed", "The random projections: the same seed gives the same picture.", 0, 9999, 1, true},
             strength_param("How far to go from the content (0) to the optimised picture (1).")},
            false,
            "strength"};
        info_.iterative = true;
    }
    const MethodInfo& info() const override { return info_; }
    at::Tensor apply(const at::Tensor& content, const at::Tensor& style, const ParamValues& params) const override {
        return patch_distribution(content, style, params);
    }
    at::Tensor run(const at::Tensor& content, const at::Tensor& style, const ParamValues& params,
                   const RunContext& context) const override {
        return patch_distribution(content, style, params, context);
    }
    int total_steps(int height, int width, const ParamValues& params) const override {
        return plan_patch_distribution(height, width, resolve_params(info_, params)).total_steps();
    }

private:
    MethodInfo info_;
};

}  // namespace

std::unique_ptr<Method> make_patch_distribution_method() { return std::make_unique<PatchDistributionMethod>(); }

}  // namespace nt
