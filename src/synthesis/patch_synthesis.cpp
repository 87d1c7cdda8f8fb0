#include "synthesis/patch_synthesis.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "base/error.h"
#include "methods/color_transfer.h"
#include "methods/histogram_match.h"
#include "methods/strength.h"
#include "synthesis/domain_transform.h"
#include "synthesis/patch_assign.h"
#include "synthesis/patch_grid.h"
#include "synthesis/patch_match.h"
#include "synthesis/patch_pca.h"
#include "synthesis/structure_map.h"
#include "synthesis/synthesis_kernels.h"
#include "image/tensor_resize.h"

namespace nt {

namespace {

// Published values at 400 px (see the header), scaled.
constexpr double kStructureBlurSigma = 20.0;
constexpr double kDenoiseSigmaS = 5.0;
constexpr double kDenoiseSigmaR = 0.2;
constexpr int kDenoiseIterations = 3;

std::int64_t level_side(std::int64_t side, int level) {
    return std::max<std::int64_t>(1, std::int64_t(std::lround(double(side) / double(1 << level))));
}

// The style may differ from x in size and aspect. The transfers take its statistics, which hardly
// depend on its size: a style larger than x is resized down to x's shape (fewer pixels to count),
// a smaller one is taken as it is (resizing it up would only add memory at full resolution).
at::Tensor color_step(SynthesisColor color, const at::Tensor& x, const at::Tensor& style_any_size) {
    if (color == SynthesisColor::None) return x;
    const bool larger = style_any_size.size(2) * style_any_size.size(3) >= x.size(2) * x.size(3);
    const at::Tensor style = larger ? resize_tensor(style_any_size, x.size(2), x.size(3)) : style_any_size;
    switch (color) {
        case SynthesisColor::Histogram: return histogram_match(x, style);
        case SynthesisColor::Reinhard: return reinhard_transfer(x, style);
        case SynthesisColor::MongeKantorovich: return monge_kantorovich_transfer(x, style);
        case SynthesisColor::None: break;
    }
    return x;
}

// The seeded starting noise, drawn on the CPU so every device starts from the same numbers.
at::Tensor initial_noise(const at::Tensor& like, std::uint64_t seed) {
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    return at::randn(like.sizes(), gen, at::TensorOptions().dtype(like.scalar_type()))
        .mul_(kInitialNoiseSigma)
        .to(like.device());
}

// The per-pixel content weight W at the working size; the structure map from at most
// kStructureMapMaxSide (it is a wide blur: computed smaller and resized, it is the same map).
at::Tensor content_weight(const at::Tensor& content, const RunContext& context, double gain, double scale) {
    const std::int64_t h = content.size(2), w_ = content.size(3), side = std::max(h, w_);
    at::Tensor w;
    if (side <= kStructureMapMaxSide) {
        w = structure_map(content, kStructureBlurSigma * scale);
    } else {
        const double f = double(kStructureMapMaxSide) / double(side);
        const at::Tensor small = resize_tensor(content, std::max<std::int64_t>(1, std::lround(double(h) * f)),
                                               std::max<std::int64_t>(1, std::lround(double(w_) * f)));
        w = resize_tensor(structure_map(small, kStructureBlurSigma * scale * f), h, w_);
    }
    w.mul_(gain);
    if (context.mask.defined()) w = at::maximum(w, (1.0 - context.mask) * kMaskedContentWeight);
    return w;
}

// One pass's pictures: the colour-matched content, the style and the content weight at its size.
struct Level {
    at::Tensor content, style, weight;
};

// The pass's pictures, resized from the working size's (and the style's own pixels, halved per
// level and scaled by the pass's resolution, never enlarged past them).
Level pass_level(const SynthesisPass& pass, const at::Tensor& matched, const at::Tensor& weight,
                 const at::Tensor& style) {
    const auto style_side = [&](std::int64_t side) {
        return std::max<std::int64_t>(1, std::lround(double(level_side(side, pass.level)) * pass.resolution));
    };
    return {resize_tensor(matched, pass.height, pass.width),
            resize_tensor(style, style_side(style.size(2)), style_side(style.size(3))),
            resize_tensor(weight, pass.height, pass.width)};
}

// The database of one pass: the style's patches, raw (to aggregate; on the CPU they are read
// from the style picture itself and not kept) and projected (to search).
struct PatchDatabase {
    at::Tensor style;  // the picture the keys are taken from
    at::Tensor raw;
    at::Tensor projected;
    PatchPca pca;
    at::Tensor basis_lanes;  // for project_grid_cpu: the basis padded to whole vectors
    KeyLayout layout;
    std::int64_t values_per_patch = 0;
};

bool aggregates_on_cpu(const at::Tensor& t) { return t.is_cpu() && t.scalar_type() == at::kFloat; }

// The n x n patches of `picture` (contiguous [1, C, H, W]) at rows x cols positions `gap` apart,
// projected with the CPU kernel (synthesis_kernels.h). The style's keys and the estimate's queries
// both go through it, so a query equal to a key projects to exactly the key (a matrix product
// sums in another order: equal patches would be a rounding error apart, and ties among a
// painting's repeated patches would go another way).
at::Tensor project_on_cpu(const at::Tensor& picture, std::int64_t n, std::int64_t gap, std::int64_t rows,
                          std::int64_t cols, const PatchDatabase& db) {
    at::Tensor out = at::empty({rows * cols, db.pca.basis.size(1)}, picture.options());
    GridProjection p;
    p.padded = picture.data_ptr<float>();
    p.channels = picture.size(1);
    p.padded_height = picture.size(2);
    p.padded_width = picture.size(3);
    p.n = n;
    p.gap = gap;
    p.rows = rows;
    p.cols = cols;
    p.basis = db.basis_lanes.data_ptr<float>();
    p.dims = db.pca.basis.size(1);
    p.basis_stride = db.basis_lanes.size(1);
    p.mean = db.pca.mean.data_ptr<float>();
    project_grid_cpu(p, out.data_ptr<float>());
    return out;
}

PatchDatabase make_database(const at::Tensor& level_style, std::int64_t patch, std::uint64_t seed) {
    PatchDatabase db;
    db.style = resize_to_at_least(level_style, patch).contiguous();  // a style too thin for a patch
    const std::int64_t stride = database_stride(db.style.size(2), db.style.size(3), patch);
    db.layout = {(db.style.size(2) - patch) / stride + 1, (db.style.size(3) - patch) / stride + 1, stride};
    db.raw = extract_all_patches(db.style, patch, stride).contiguous();
    db.values_per_patch = db.raw.size(1);
    db.pca = fit_patch_pca(db.raw, kPcaEnergy, kPcaMaxDims, seed);
    const std::int64_t dims = db.pca.basis.size(1);
    if (!aggregates_on_cpu(db.style) || dims > kMaxProjectionDims) {
        db.projected = project_patches(db.pca, db.raw).contiguous();
        return db;
    }
    db.raw = at::Tensor();
    db.basis_lanes = at::constant_pad_nd(db.pca.basis, {0, (dims + 15) / 16 * 16 - dims}).contiguous();
    db.pca.mean = db.pca.mean.contiguous();
    db.projected = project_on_cpu(db.style, patch, stride, db.layout.rows, db.layout.cols, db);
    return db;
}

struct UpdateSettings {
    int irls = 3;
    double diversity = 0.0;
    double guidance = 0.0;
    AssignPenalties penalties;
    SynthesisColor color = SynthesisColor::Histogram;
    double denoise_sigma_s = 0.0;
};

at::Tensor grid_queries_on_cpu(const at::Tensor& image, const PatchGrid& grid, const PatchDatabase& db) {
    return project_on_cpu(pad_for_grid(image, grid).contiguous(), grid.n, grid.gap, grid.rows, grid.cols, db);
}

// The grid's patches of `image`, projected to the database's PCA space, band by band.
at::Tensor grid_queries(const at::Tensor& image, const PatchGrid& grid, const PatchDatabase& db,
                        const CancelToken& cancel) {
    if (db.basis_lanes.defined()) return grid_queries_on_cpu(image, grid, db);
    const PatchPca& pca = db.pca;
    const at::Tensor padded = pad_for_grid(image, grid);
    const std::int64_t band = grid_band_rows(grid, image.size(1), kBandBytes);
    std::vector<at::Tensor> parts;
    for (std::int64_t first = 0; first < grid.rows; first += band) {
        cancel.check();
        parts.push_back(
            project_patches(pca, extract_grid_rows(padded, grid, first, std::min(band, grid.rows - first))));
    }
    return parts.size() == 1 ? parts.front() : at::cat(parts);
}

// The same with the CPU kernel, straight from the pictures (synthesis_kernels.h).
at::Tensor robust_aggregate_on_cpu(const at::Tensor& x, const PatchDatabase& db, const at::Tensor& index,
                                   const PatchGrid& grid) {
    const at::Tensor padded = pad_for_grid(x, grid).contiguous();
    const at::Tensor matches = index.contiguous();
    GridSums sums = make_grid_sums(x, grid);
    RobustAggregate a;
    a.padded = padded.data_ptr<float>();
    a.channels = padded.size(1);
    a.padded_height = grid.padded_height;
    a.padded_width = grid.padded_width;
    a.style = db.style.data_ptr<float>();
    a.style_height = db.style.size(2);
    a.style_width = db.style.size(3);
    a.n = grid.n;
    a.gap = grid.gap;
    a.rows = grid.rows;
    a.cols = grid.cols;
    a.key_cols = db.layout.cols;
    a.key_stride = db.layout.stride;
    a.index = matches.data_ptr<std::int64_t>();
    a.exponent = float(kRobustExponent);
    a.epsilon = float(kIrlsEpsilon);
    robust_aggregate_cpu(a, sums.weighted.data_ptr<float>(), sums.weights.data_ptr<float>());
    return finish_aggregate(sums, grid, x);
}

// One IRLS pass: every grid patch of x is replaced by its matched style patch, weighted by
// (||x - z|| + eps)^(r - 2), and the overlaps averaged; band by band.
at::Tensor robust_aggregate(const at::Tensor& x, const PatchDatabase& db, const at::Tensor& index,
                            const PatchGrid& grid, const CancelToken& cancel) {
    if (aggregates_on_cpu(x)) return robust_aggregate_on_cpu(x, db, index, grid);
    const at::Tensor padded = pad_for_grid(x, grid);
    const std::int64_t band = grid_band_rows(grid, x.size(1), kBandBytes);
    GridSums sums = make_grid_sums(x, grid);
    for (std::int64_t first = 0; first < grid.rows; first += band) {
        cancel.check();
        const std::int64_t rows = std::min(band, grid.rows - first);
        const at::Tensor patches = extract_grid_rows(padded, grid, first, rows);
        const at::Tensor matched = db.raw.index_select(0, index.narrow(0, first * grid.cols, rows * grid.cols));
        const at::Tensor residual = (patches - matched).norm(2, {1});
        accumulate_grid_rows(matched, (residual + kIrlsEpsilon).pow(kRobustExponent - 2.0), grid, first, sums);
    }
    return finish_aggregate(sums, grid, x);
}

// One update of the estimate at a level: match, robust aggregation, fusion, colour, denoise.
at::Tensor update_estimate(at::Tensor x, const Level& level, const PatchDatabase& db, const PatchGrid& grid,
                           double pass_resolution, const UpdateSettings& s, const CancelToken& cancel) {
    // Guided matching (as Image Analogies and StyLit guide by the target): the distance to a style
    // patch z is ||x - z||^2 + g ||c - z||^2, which is (1 + g) ||(x + g c) / (1 + g) - z||^2 plus a
    // constant, so the queries are the blend's patches. A flat sky then takes sky-coloured strokes,
    // not whatever piece of the painting the estimate has drifted to.
    const at::Tensor queries = grid_queries(
        s.guidance > 0.0 ? at::add(x, level.content, s.guidance).div_(1.0 + s.guidance) : x, grid, db, cancel);
    const at::Tensor index = s.diversity > 0.0 ? nearest_patches(queries, db.projected, s.diversity, cancel)
                                               : assign_patches(queries, db.projected, db.layout, grid,
                                                                db.values_per_patch, s.penalties, cancel);
    for (int t = 0; t < s.irls; ++t) x = robust_aggregate(x, db, index, grid, cancel);
    x = (x + level.weight * level.content) / (1.0 + level.weight);
    x = color_step(s.color, x, level.style);
    return domain_transform_filter(x, s.denoise_sigma_s * pass_resolution, kDenoiseSigmaR, kDenoiseIterations);
}

// The style may have any size and aspect: each level takes it at the same scale as the content.
void check_inputs(const at::Tensor& content, const at::Tensor& style) {
    for (const at::Tensor* t : {&content, &style})
        if (t->dim() != 4 || t->size(0) != 1 || t->size(1) != 3 || t->size(2) < 1 || t->size(3) < 1)
            throw Error("patch_synthesis: expects [1, 3, H, W] tensors");
    if (content.device() != style.device())
        throw Error("patch_synthesis: content and style tensors are on different devices");
    if (content.scalar_type() != at::kFloat || style.scalar_type() != at::kFloat)
        throw Error("patch_synthesis: expects float32 tensors");
}

// The grid's offset for one update, from the seed and the step: the same run, the same grids.
std::pair<std::int64_t, std::int64_t> grid_offset(std::uint64_t seed, int step, std::int64_t gap) {
    std::uint64_t z = seed * 0x9E3779B97F4A7C15ull + std::uint64_t(step + 1) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 31)) * 0x94D049BB133111EBull;
    z ^= z >> 29;
    return {std::int64_t(z % std::uint64_t(gap)), std::int64_t((z >> 32) % std::uint64_t(gap))};
}

}  // namespace

std::int64_t database_stride(std::int64_t height, std::int64_t width, std::int64_t patch) {
    const std::int64_t dims = 3 * patch * patch;
    const std::int64_t limit = std::max<std::int64_t>(
        1, std::min(kDatabaseMaxPatches, kDatabaseMaxBytes / (std::int64_t(sizeof(float)) * dims)));
    for (std::int64_t stride = 2;; ++stride) {
        const std::int64_t count = ((height - patch) / stride + 1) * ((width - patch) / stride + 1);
        if (count <= limit || stride >= std::max(height, width)) return stride;
    }
}

namespace {

std::int64_t scaled_patch(int i, double scale) {
    return std::max<std::int64_t>(3, std::lround(double(kSynthesisPatchSizes[i]) * scale));
}

// Pass i of a level of h x w: its patch and gap in style pixels, at a resolution where the patch
// is at most kMaxPassPatch.
SynthesisPass make_pass(int level, std::int64_t h, std::int64_t w, int i, double texture_scale) {
    SynthesisPass pass{level, h, w, scaled_patch(i, texture_scale), 0, 1.0};
    double gap = double(kSynthesisGaps[i]) * texture_scale;
    if (pass.patch > kMaxPassPatch) {
        pass.resolution = double(kMaxPassPatch) / double(pass.patch);
        pass.height = std::max<std::int64_t>(1, std::lround(double(h) * pass.resolution));
        pass.width = std::max<std::int64_t>(1, std::lround(double(w) * pass.resolution));
        pass.patch = std::min({kMaxPassPatch, pass.height, pass.width});
        gap *= pass.resolution;
    }
    pass.gap = std::clamp<std::int64_t>(std::lround(gap), 1, std::max<std::int64_t>(1, pass.patch - 1));
    return pass;
}

}  // namespace

SynthesisPlan plan_patch_synthesis(std::int64_t height, std::int64_t width, const ParamValues& params,
                                   std::int64_t style_long_side) {
    SynthesisPlan plan;
    plan.levels = int(params.at("levels"));
    plan.updates = int(params.at("updates"));
    const std::int64_t long_side = std::max(height, width);
    plan.scale = double(long_side) / kSynthesisReferenceSide;
    const std::int64_t texture_side = style_long_side > 0 ? std::min(long_side, style_long_side) : long_side;
    plan.texture_scale = double(texture_side) / kSynthesisReferenceSide;
    const double content_patch_scale = plan.scale * params.at("patch_scale");
    for (int level = plan.levels - 1; level >= 0; --level) {
        const std::int64_t h = level_side(height, level), w = level_side(width, level);
        const int sizes = level == 0 ? int(std::size(kSynthesisPatchSizes)) : kCoarseLevelSizes;
        for (int i = 0; i < sizes; ++i) {
            const std::int64_t n = scaled_patch(i, content_patch_scale);  // the same or larger than in style pixels
            if (n <= h && n <= w)
                plan.passes.push_back(make_pass(level, h, w, i, plan.texture_scale * params.at("patch_scale")));
        }
    }
    if (plan.passes.empty())
        throw Error("patch_synthesis", "a " + std::to_string(width) + "x" + std::to_string(height) +
                                           " working size is too small for any patch size (at least 3 pixels a side)");
    return plan;
}

std::string synthesis_stage(const SynthesisPlan& plan, int index) {
    const SynthesisPass& pass = plan.passes.at(std::size_t(index / plan.updates));
    char text[96];
    std::snprintf(text, sizeof text, "level %d/%d \xC2\xB7 patch %lld \xC2\xB7 update %d/%d", plan.levels - pass.level,
                  plan.levels, static_cast<long long>(pass.patch), index % plan.updates + 1, plan.updates);
    return text;
}

at::Tensor patch_synthesis(const at::Tensor& content, const at::Tensor& style, const ParamValues& params,
                           const RunContext& context) {
    check_inputs(content, style);
    const SynthesisPlan plan =
        plan_patch_synthesis(content.size(2), content.size(3), params, std::max(style.size(2), style.size(3)));
    UpdateSettings settings;
    settings.irls = int(params.at("irls"));
    settings.diversity = params.at("diversity");
    settings.penalties = {params.at("uniformity"), params.at("copy_penalty")};
    settings.guidance = params.at("guidance");
    settings.color = SynthesisColor(int(params.at("color")));
    settings.denoise_sigma_s = kDenoiseSigmaS * plan.texture_scale * params.at("denoise");
    const auto seed = static_cast<std::uint64_t>(params.at("seed"));

    const at::Tensor matched = color_step(settings.color, content, style);
    const at::Tensor weight = content_weight(content, context, params.at("content_weight"), plan.scale);
    const at::Tensor coarsest = resize_tensor(matched, level_side(content.size(2), plan.levels - 1),
                                              level_side(content.size(3), plan.levels - 1));
    at::Tensor x = coarsest + initial_noise(coarsest, seed);
    int step = 0;
    for (const SynthesisPass& pass : plan.passes) {
        context.cancel.check();
        const Level level = pass_level(pass, matched, weight, style);
        x = resize_tensor(x, pass.height, pass.width);  // the previous pass's estimate, upsampled
        const PatchDatabase db = make_database(level.style, pass.patch, seed);
        for (int k = 0; k < plan.updates; ++k) {
            const auto [oy, ox] = grid_offset(seed, step, pass.gap);
            const PatchGrid grid = make_patch_grid(pass.height, pass.width, pass.patch, pass.gap, oy, ox);
            x = update_estimate(x, level, db, grid, pass.resolution, settings, context.cancel);
            if (context.on_step) context.on_step({step + 1, plan.total_steps(), synthesis_stage(plan, step), x});
            ++step;
        }
    }
    // Levels the plan skipped entirely (none of their patch sizes fit) end at a smaller size.
    x = resize_tensor(x, content.size(2), content.size(3));
    return mix_by_strength(content, x, params.at("strength"));
}

namespace {

class PatchSynthesisMethod final : public Method {
public:
    PatchSynthesisMethod() {
        info_ = MethodInfo{
            "patch_synthesis",
            "Patch synthesis (no model)",
            "Elad and Milanfar 2017: the style's own patches rebuild the content, coarse to fine, so its brush "
            "strokes carry over; no model file.",
            {{"content_weight", "Content weight",
              "How much of the photo's structure survives: 0 is pure texture, 5 keeps edges and detail.", 0.0, 5.0,
              1.0},
             {"levels", "Levels", "Pyramid levels (coarse to fine, each twice the size of the last).", 1, 4, 3, true},
             {"updates", "Updates per patch size", "Match-and-aggregate updates at each patch size.", 1, 10, 3, true},
             {"patch_scale", "Stroke size", "Scales every patch size and gap: larger strokes or finer ones.", 0.5, 2.0,
              1.0},
             {"color",
              "Colour step",
              "How the colours follow the style after each update. Reinhard (the default) shifts and scales each "
              "channel in a decorrelated colour space; per-channel histogram matching paints the extremes of a "
              "smooth sky in the painting's rarest colours, a strip along the edge.",
              0,
              3,
              2,
              true,
              {"none", "histogram", "reinhard", "monge_kantorovich"}},
             {"denoise", "Smoothing", "Domain-transform filter strength (0 off, 1 the published sigma).", 0.0, 3.0,
              1.0},
             {"irls", "IRLS passes", "Robust re-weighting passes per update.", 1, 10, 3, true},
             {"diversity", "Diversity",
              "Penalises style patches that are already used (GPNN's alpha; 0 off, small values strongest).", 0.0, 1.0,
              0.0},
             {"guidance", "Guidance",
              "How much the photo itself (colour-matched) steers which style patches are taken, besides the "
              "estimate: keeps skies and walls from turning into pieces of the painting (0 off).",
              0.0, 2.0, kDefaultGuidance},
             {"uniformity", "Uniformity",
              "Penalises taking one style patch more often than its fair share, so no patch (a face, a blob) is "
              "tiled across the picture (0 off).",
              0.0, 0.1, kDefaultUniformity},
             {"copy_penalty", "Copy penalty",
              "Penalises neighbouring patches that continue one piece of the painting, so its objects are not "
              "copied whole (0 off).",
              0.0, 0.1, kDefaultCopyPenalty},
             {"seed", "Seed", "The starting noise: the same seed gives the same picture.", 0, 9999, 1, true},
             strength_param("How far to go from the content (0) to the synthesized picture (1).")},
            false,
            "strength"};
        info_.iterative = true;
        info_.reads_mask = true;
        // Measured at 4000x3000 with a 768-pixel style: 1.90 GiB peak for the whole process when
        // the pipeline's pictures took about 0.9 of it (docs/PERFORMANCE.md, "Patch synthesis at
        // full resolution"); rounded up. 1.73 GiB since, against an estimate of 2.1.
        info_.memory = MemoryModel{128LL << 20, 96.0};
    }
    const MethodInfo& info() const override { return info_; }
    at::Tensor apply(const at::Tensor& content, const at::Tensor& style, const ParamValues& params) const override {
        return patch_synthesis(content, style, params);
    }
    at::Tensor run(const at::Tensor& content, const at::Tensor& style, const ParamValues& params,
                   const RunContext& context) const override {
        return patch_synthesis(content, style, params, context);
    }
    int total_steps(int height, int width, const ParamValues& params) const override {
        return plan_patch_synthesis(height, width, resolve_params(info_, params)).total_steps();
    }

private:
    MethodInfo info_;
};

}  // namespace

std::unique_ptr<Method> make_patch_synthesis_method() { return std::make_unique<PatchSynthesisMethod>(); }

}  // namespace nt
