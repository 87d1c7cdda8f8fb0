#pragma once
// Style transfer by patch distribution matching, with no model file: Elnekave and Weiss, ECCV 2022,
// "Generating Natural Images with Direct Patch Distributions Matching" (GPDM), with a content term.
// The picture starts as the content at the coarsest pyramid level and is optimised by Adam so that
// the distribution of its small RGB patches matches the style's, measured by the sliced
// Wasserstein distance (synthesis/sliced_wasserstein.h: new random projections each step,
// both sides sorted and compared). A content term, the squared difference of the low-passed
// luminance of picture and content, keeps the photo's shapes; the style's patches bring palette
// and brush strokes everywhere. Coarse to fine: each level's result, upsampled, starts the next,
// and the style is resized to each level, so coarse levels lay big strokes and fine levels small
// ones. Every step is reported (RunContext::on_step), so viewers show it converge. The mask and
// preserve-colours are applied after the method, as for the colour methods (stylize/stylize.h).
// Same seed, same device: same pixels.
#include <ATen/Tensor.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "methods/method.h"

namespace nt {

// The style's patches per level: at most this many (seeded random positions), which bounds the
// style's projection and sort whatever the working size and the style scale.
inline constexpr std::int64_t kStylePatchesMax = std::int64_t(1) << 15;
// A level's short side is at least this many patch sizes; smaller levels are skipped.
inline constexpr std::int64_t kLevelMinPatches = 4;
// The content term's Gaussian low pass: sigma is the level's long side over this.
inline constexpr double kContentBlurDivisor = 160.0;
// Adam's moment decays (Kingma and Ba's defaults, as GPDM uses them).
inline constexpr double kAdamBeta1 = 0.9;
inline constexpr double kAdamBeta2 = 0.999;
inline constexpr double kAdamEpsilon = 1e-8;

struct DistributionLevel {
    int level = 0;  // 0 = the working size; level l is 2^l times smaller
    std::int64_t height = 0, width = 0;
    int steps = 0;
};

// The coarsest level runs the "steps" parameter's steps and each finer level half as many as the
// one before (at least 1): the shapes and big strokes form at the cheap coarse levels, a finer
// level (4x the pixels) only refines the texture.
struct DistributionPlan {
    std::vector<DistributionLevel> levels;  // coarse to fine
    int total_steps() const;
};

// The schedule for a working size and resolved parameters. Throws nt::Error when even the working
// size is too small for the patch size.
DistributionPlan plan_patch_distribution(std::int64_t height, std::int64_t width, const ParamValues& params);

// "level 2/3 · step 40/50" for step `index` (0-based) of the plan.
std::string distribution_stage(const DistributionPlan& plan, int index);

// The resolved parameters one step needs.
struct DistributionSettings {
    std::int64_t patch = 7, projections = 32;
    double content_weight = 1.0, learning_rate = 0.02, style_scale = 1.0;
    std::uint64_t seed = 1;
};
DistributionSettings distribution_settings(const ParamValues& params);

// One pyramid level of the optimisation: the content term's target, the style's patches at the
// level's size, the picture and Adam's moments. The method runs one per level; the benchmarks
// time its step alone.
class LevelOptimizer {
public:
    // `start`: the previous level's picture (resized here), or undefined to start from the content.
    LevelOptimizer(const at::Tensor& content, const at::Tensor& style, const at::Tensor& start,
                   const DistributionLevel& level, const DistributionSettings& settings);
    // One Adam step with projections drawn from `projection_seed`; returns the sliced Wasserstein
    // loss before it.
    double step(std::uint64_t projection_seed);
    const at::Tensor& picture() const { return x_; }

private:
    DistributionSettings settings_;
    at::Tensor content_low_, style_patches_;
    double sigma_ = 1.0;
    at::Tensor x_, m_, v_;  // the picture and Adam's moments
    int t_ = 0;
};

// content, style: float [1, 3, H, W] in 0..1, same shape and device; `params` resolved. Returns
// [1, 3, H, W] in 0..1 on the same device. Throws nt::Error (bad inputs) or nt::Cancelled.
at::Tensor patch_distribution(const at::Tensor& content, const at::Tensor& style, const ParamValues& params,
                              const RunContext& context = {});

std::unique_ptr<Method> make_patch_distribution_method();

}  // namespace nt
