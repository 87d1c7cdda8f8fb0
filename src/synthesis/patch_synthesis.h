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

// Full resolution. Patch sizes are in the style's own pixels: the published sizes scale with the
// smaller of the content's and the style's long sides (over 400), so a photo larger than its
// painting takes the painting's strokes at their own size instead of stretching the painting
// (whose pixels are all it has). A pass whose patch would pass kMaxPassPatch pixels (a large
// painting) runs at the resolution where it is that size, content and style alike: its cost and
// database stay those of a 96-pixel patch (the largest that working sizes up to 1163 pixels ever
// had, which therefore run as before), and the passes after it, with smaller patches, work at
// up to the full size. No pass holds all its patches at once: on the CPU the kernels of
// synthesis_kernels.h read them from the pictures, elsewhere they are taken in bands of grid rows
// whose patch matrices stay within kBandBytes; a pass needs a few pictures of its size.
inline constexpr std::int64_t kMaxPassPatch = 96;
inline constexpr std::int64_t kBandBytes = std::int64_t(64) << 20;
// The structure map is computed at most at this long side and resized to the working size (it is
// a blur of the gradient 20/400 of the picture wide: a 4000-pixel picture needs no 1200-tap blur).
inline constexpr std::int64_t kStructureMapMaxSide = 1024;

// The penalties against copying (synthesis/patch_assign.h), in mean squared error per value.
inline constexpr double kDefaultUniformity = 0.01;
// Weight of the colour-matched content in the matching (patch_synthesis.cpp, guided matching).
inline constexpr double kDefaultGuidance = 0.5;
inline constexpr double kDefaultCopyPenalty = 0.01;

enum class SynthesisColor { None = 0, Histogram = 1, Reinhard = 2, MongeKantorovich = 3 };

// One (level, patch size) of the schedule; it runs `updates` times.
struct SynthesisPass {
    int level = 0;                       // 0 = the working size; level l is 2^l times smaller
    std::int64_t height = 0, width = 0;  // the pass's size: the level's, times `resolution`
    std::int64_t patch = 0, gap = 0;
    double resolution = 1.0;  // below 1 where the patch would pass kMaxPassPatch at the level's size
};

struct SynthesisPlan {
    int levels = 0;
    int updates = 0;
    double scale = 1.0;          // the content's long side / kSynthesisReferenceSide (the structure map's blur)
    double texture_scale = 1.0;  // the smaller long side, content's or style's, over it (patches, gaps, smoothing)
    std::vector<SynthesisPass> passes;  // coarse to fine, large patches to small
    int total_steps() const { return int(passes.size()) * updates; }
};

// The schedule for a working size, the style's long side (0: as large as the content's) and
// resolved parameters. Which passes run depends on the working size alone (a level runs a patch
// size when it fits at the content's scale), so the step count is known before the style is.
// Throws nt::Error when no patch size fits (a picture under a few pixels a side).
SynthesisPlan plan_patch_synthesis(std::int64_t height, std::int64_t width, const ParamValues& params,
                                   std::int64_t style_long_side = 0);

// The style's patch database stride for a pass: the smallest >= 2 that keeps it within
// kDatabaseMaxPatches and kDatabaseMaxBytes.
std::int64_t database_stride(std::int64_t height, std::int64_t width, std::int64_t patch);

// "level 2/3 · patch 13 · update 2/3" for step `index` (0-based) of the plan.
std::string synthesis_stage(const SynthesisPlan& plan, int index);

// content, style: float [1, 3, H, W] in 0..1 on one device, the style of any size and aspect
// (each level takes it at its own pixels' scale, halved per level); `params` resolved. Returns
// [1, 3, H, W] in 0..1 on the same device. Throws nt::Error (bad inputs) or nt::Cancelled.
at::Tensor patch_synthesis(const at::Tensor& content, const at::Tensor& style, const ParamValues& params,
                           const RunContext& context = {});

std::unique_ptr<Method> make_patch_synthesis_method();

}  // namespace nt
