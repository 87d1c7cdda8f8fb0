#pragma once
// Style transfer by texture synthesis, with no model file: Elad and Milanfar 2017, "Style
// Transfer via Texture Synthesis" (IEEE TIP), on Kwatra et al. 2005's texture optimisation. The
// estimate starts as the colour-matched content plus strong noise at the coarsest pyramid level
// and is refined coarse to fine, large patches to small; each update
//   1. finds, for every patch of the estimate on a sub-sampled grid, the nearest style patch (in
//      the style patches' PCA space, synthesis/patch_pca.h and patch_match.h),
//   2. aggregates those style patches robustly (IRLS, weights (||x - z|| + eps)^(r - 2), r = 0.8),
//   3. fuses the content back, x = (x + W c) / (1 + W), W = content weight x structure map
//      (synthesis/structure_map.h; black mask regions keep the content),
//   4. matches the colours to the style's (histogram matching by default),
//   5. smooths with the domain-transform filter (synthesis/domain_transform.h),
// and is reported to the caller (RunContext::on_step), so viewers show it converge. The defaults
// are the values the public reimplementations agree on (docs/PATCH_SYNTHESIS.md), scaled from
// their 400-pixel working size to the one used, except where copying is fought: the matching is
// guided by the content, penalises reused and continued style patches (patch_assign.h), the grid
// moves each update, and the colour step is Reinhard's rather than per-channel histogram
// matching (which leaves a strip of false colour along the edge where a smooth sky is darkest or
// brightest). Same seed, same device: same pixels.
#include <ATen/Tensor.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "methods/method.h"

namespace nt {

// The reference working size of the published parameters (patch sizes, gaps, blur and filter
// sigmas are given for a 400-pixel picture and scale with the long side).
inline constexpr double kSynthesisReferenceSide = 400.0;
inline constexpr std::int64_t kSynthesisPatchSizes[] = {33, 21, 13, 9};
inline constexpr std::int64_t kSynthesisGaps[] = {28, 18, 8, 5};
// Coarse levels run only this many of the largest sizes (as the MATLAB ports do); the finest runs all.
inline constexpr int kCoarseLevelSizes = 2;
inline constexpr double kRobustExponent = 0.8;  // r of the IRLS weights
inline constexpr double kIrlsEpsilon = 1e-4;
inline constexpr double kInitialNoiseSigma = 50.0 / 255.0;
inline constexpr double kPcaEnergy = 0.95;
inline constexpr std::int64_t kPcaMaxDims = 64;
// The style's patch database per pass: at most this many patches and bytes (its stride grows
// to fit), which bounds both memory and the matrix products of the search.
inline constexpr std::int64_t kDatabaseMaxPatches = 40000;
inline constexpr std::int64_t kDatabaseMaxBytes = std::int64_t(64) << 20;
// Where the mask is black the content weight is at least this (the slider's maximum), so the
// synthesis already keeps the content there and the mask's edge does not cut through texture.
inline constexpr double kMaskedContentWeight = 5.0;

// The penalties against copying (synthesis/patch_assign.h), in mean squared error per value.
inline constexpr double kDefaultUniformity = 0.01;
// Weight of the colour-matched content in the matching (patch_synthesis.cpp, guided matching).
inline constexpr double kDefaultGuidance = 0.5;
inline constexpr double kDefaultCopyPenalty = 0.01;

enum class SynthesisColor { None = 0, Histogram = 1, Reinhard = 2, MongeKantorovich = 3 };

// One (level, patch size) of the schedule; it runs `updates` times.
struct SynthesisPass {
    int level = 0;                       // 0 = the working size; level l is 2^l times smaller
    std::int64_t height = 0, width = 0;  // the level's size
    std::int64_t patch = 0, gap = 0;
};

struct SynthesisPlan {
    int levels = 0;
    int updates = 0;
    double scale = 1.0;                 // long side / kSynthesisReferenceSide, times the patch scale for patches
    std::vector<SynthesisPass> passes;  // coarse to fine, large patches to small
    int total_steps() const { return int(passes.size()) * updates; }
};

// The schedule for a working size and resolved parameters. Throws nt::Error when no patch size
// fits (a picture under a few pixels a side).
SynthesisPlan plan_patch_synthesis(std::int64_t height, std::int64_t width, const ParamValues& params);

// The style's patch database stride for a pass: the smallest >= 2 that keeps it within
// kDatabaseMaxPatches and kDatabaseMaxBytes.
std::int64_t database_stride(std::int64_t height, std::int64_t width, std::int64_t patch);

// "level 2/3 · patch 13 · update 2/3" for step `index` (0-based) of the plan.
std::string synthesis_stage(const SynthesisPlan& plan, int index);

// content, style: float [1, 3, H, W] in 0..1 on one device, the style of any size and aspect
// (each level takes it at the content's scale); `params` resolved. Returns
// [1, 3, H, W] in 0..1 on the same device. Throws nt::Error (bad inputs) or nt::Cancelled.
at::Tensor patch_synthesis(const at::Tensor& content, const at::Tensor& style, const ParamValues& params,
                           const RunContext& context = {});

std::unique_ptr<Method> make_patch_synthesis_method();

}  // namespace nt
