#pragma once
// The method registry: every stylization method declares its name, its parameters (with ranges
// and defaults) and its capabilities (needs a style, a model, improves step by step, ...). The
// viewer builds its controls from these declarations and the CLI its options, and both ask the
// capabilities, never a method's name, so a new method brings its own behaviour everywhere.
// Every method, the neural ones included, does its work in run(); what a neural run needs beyond
// its pictures (the loaded models, the model's name, more styles) comes in its RunContext.
#include <ATen/Tensor.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/cancel.h"
#include "methods/model_kind.h"
#include "methods/temporal_stats.h"
#include "methods/tile_network.h"

namespace nt {

// The loaded models and their caches (nets/neural_stylizer.h), owned by the caller.
class NeuralStylizer;

struct ParamSpec {
    std::string name;         // key for --param name=value and settings files, e.g. "alpha"
    std::string label;        // shown in the viewer, e.g. "Style strength"
    std::string description;  // one sentence for --list-methods and tooltips
    double min_value = 0.0;
    double max_value = 1.0;
    double default_value = 0.0;
    bool integer = false;  // only whole numbers (levels, seeds): an integer slider
    // Named values: the parameter is an index into `choices` (0 .. size-1), shown as a list and
    // accepted by name on the command line (--param color=reinhard).
    std::vector<std::string> choices = {};
    bool logarithmic = false;  // spans decades (loss weights): a logarithmic slider
};

// What a run holds at its peak beyond the pipeline's own pictures, for the memory preflight
// (stylize/memory_budget.h): fixed bytes (weights, histories) plus bytes per working pixel, measured
// (docs/PERFORMANCE.md, "Full resolution").
struct MemoryModel {
    std::int64_t fixed_bytes = 0;
    double bytes_per_pixel = 64.0;
    // A method that tiles first runs a thumbnail for its statistics: this share of a whole run's
    // bytes per pixel (AdaIN's thumbnail runs its encoder only).
    double thumbnail_share = 1.0;
    std::int64_t bytes(std::int64_t pixels) const {
        return fixed_bytes + std::int64_t(bytes_per_pixel * double(pixels));
    }
    std::int64_t thumbnail_bytes(std::int64_t pixels) const {
        return fixed_bytes + std::int64_t(thumbnail_share * bytes_per_pixel * double(pixels));
    }
};

struct MethodInfo {
    std::string name;         // "blend"
    std::string label;        // "Blend"
    std::string description;  // one sentence
    std::vector<ParamSpec> params;
    bool needs_model = false;
    // A parameter that only mixes the content with the method's result at 1 (mix_by_strength in
    // strength.h): apply(p) == mix_by_strength(content, apply(p with it at 1), p's value), exactly.
    // Interactive callers cache the result at 1 and re-mix while it is dragged. Empty: none.
    std::string mix_param;
    // Whether the method reads the style picture; fast_style and torchscript carry their style in
    // the model, so the CLI and the viewer do not ask for one.
    bool uses_style = true;
    // Improves step by step: run() reports every intermediate estimate through its StepCallback,
    // total_steps() says how many there will be, and callers show them (the viewer's result
    // panel, the CLI's progress bar and --save-steps).
    bool iterative = false;
    // Iterative, and can start from a given picture instead of its own start (Gatys: the viewer's
    // "Continue from the picture shown").
    bool starts_from_picture = false;
    // The model files it needs, by kind (fast style, TorchScript); empty for fixed model files
    // (AdaIN) or none.
    std::optional<ModelKind> model_kind = std::nullopt;
    // How many style pictures it takes (adain mixes several).
    int max_styles = 1;
    // It combines the style with the content pixel by pixel (the blend's weighted average), so it
    // needs the style at the content's exact working size: the style is stretched to it, as the
    // original script did. Every other method takes the style with its own aspect ratio, at about
    // the content's working area and never upscaled (style_working_size in image/sizing.h): colour
    // statistics, VGG features and Gram matrices, and patches are read from the style's own
    // pixels, and a stretched style would only hand them distorted strokes.
    bool style_pixel_aligned = false;
    // Its result depends on the mask itself (AdaIN takes statistics per mask region, patch
    // synthesis keeps the content where the mask is black), so a mask edit reruns it.
    bool reads_mask = false;
    // With an extra style, the second fills the mask's black region inside the method, so the
    // finishing step does not apply the mask again.
    bool extra_style_fills_mask = false;
    // The viewer's per-frame path has a fixed-point RGBA8 kernel for it (methods/blend_rgba8.h).
    bool fixed_point_rgba8 = false;
    // Its network computes in the precision setting (nets/precision.h: bf16 or fp16 where
    // chosen); false: float32 whatever the setting (or no network at all).
    bool follows_precision = false;
    // Its result depends on statistics of the whole content picture (means, spreads, histograms),
    // which a video smooths over time so that the result does not flicker (RunContext::temporal).
    bool content_statistics = false;
    // Its peak memory (the preflight refuses a job that cannot fit the budget before it starts).
    MemoryModel memory = {};
    // Its network runs on overlapping tiles, with the whole picture's statistics from a thumbnail,
    // when the untiled job would pass the memory budget or a tile size is asked for
    // (nets/tiled_inference.h); its memory model then applies to a tile and the thumbnail.
    bool tiles = false;
    // Optimises coarse to fine, each level from the upsampled previous one; when the working size
    // would pass the memory budget, it optimises up to the largest size that fits and upsamples
    // that (MemoryPlan::top).
    bool coarse_to_fine = false;
};

// One intermediate estimate of an iterative method.
struct StepReport {
    int step = 0;  // steps done, 1 .. total
    int total = 0;
    std::string stage;    // where it is, e.g. "level 2/3 · patch 13 · update 2/3"
    at::Tensor estimate;  // float [1, 3, h, w] in about 0..1, at the resolution it works at (coarse
                          // levels are smaller than the working size); the method's raw output
                          // before its strength mix and before finishing. Undefined for a step
                          // with no picture: a network's tile (nt::stylize), a video's frame
    // Named numbers of this step for progress displays, e.g. Gatys' losses {"loss", 1.2e5}.
    std::vector<std::pair<std::string, double>> values = {};
};
using StepCallback = std::function<void(const StepReport&)>;

// What a run gets besides its pictures and parameters.
struct RunContext {
    at::Tensor mask;       // [1, 1, H, W] in 0..1 (white stylized), for methods that read_mask; may be undefined
    StepCallback on_step;  // called after each step of an iterative method (may be empty)
    CancelToken cancel;    // checked at least once per step; throws nt::Cancelled
    // A video's running content statistics (methods/temporal_stats.h), for methods with
    // content_statistics; nullptr: this picture's own. Not owned.
    TemporalStats* temporal = nullptr;
    // Methods that need a model (needs_model): the models, loaded once per device and number format, and their
    // caches (run() throws nt::Error without them). Not owned; one run at a time.
    NeuralStylizer* models = nullptr;
    // The model of the method's model_kind: a name in the models folder or a file; empty: the
    // only one (nets/model_library.h find_model).
    std::string model = {};
    // The styles after the run's style (up to max_styles in all), and one weight per style, the
    // run's first (empty: equal). With a mask, an extra_style_fills_mask method paints the
    // second style where the mask is black.
    std::vector<at::Tensor> extra_styles = {};
    std::vector<double> style_weights = {};
    // A starts_from_picture method starts from this picture (RGB 0..1 at the content's size)
    // instead of its own start; undefined: its own.
    at::Tensor init = {};
    // Gatys: the VGG-19 layers of the style loss (nets/vgg19.h names); empty: its default.
    std::vector<std::string> style_layers = {};
    // A method that tiles runs on overlapping tiles of this side (nets/tiled_inference.h);
    // 0: the whole picture at once. The memory preflight (stylize/memory_budget.h) chooses it.
    int tile = 0;
    // A coarse_to_fine method's largest level when the memory budget caps it below the
    // content's size (MemoryPlan::top); 0: the content's size.
    std::int64_t top_height = 0, top_width = 0;
};

// Parameter values by name; missing names take their defaults.
using ParamValues = std::map<std::string, double>;

class Method {
public:
    virtual ~Method() = default;
    virtual const MethodInfo& info() const = 0;
    // content and style: float [1, 3, H, W] in 0..1 on one device; the style of the same shape when
    // info().style_pixel_aligned, else [1, 3, h, w] at its own size (method_style_size in
    // stylize/stylize.h). Returns the content's shape on the same device. `params` has been validated
    // (complete and in range).
    virtual at::Tensor apply(const at::Tensor& content, const at::Tensor& style, const ParamValues& params) const = 0;
    // apply() with a mask, progress and cancellation; methods that are not iterative ignore them.
    virtual at::Tensor run(const at::Tensor& content, const at::Tensor& style, const ParamValues& params,
                           const RunContext& context) const {
        (void)context;
        return apply(content, style, params);
    }
    // A method that tiles (info().tiles): its result for one tile's window, every tile normalised
    // with the statistics of `thumbnail` (the whole content at nets/tiled_inference.h's
    // thumbnail_size; URST), so that a caller can stream a picture through the tiles without
    // holding it as a tensor (nt::stylize at full size). run() with context.tile > 0 is run_tiled
    // over this. The network keeps references to `context` and `style`: they must outlive it.
    // Throws nt::Error for a method that does not tile.
    virtual TileNetwork tile_network(const at::Tensor& thumbnail, const at::Tensor& style, const ParamValues& params,
                                     const RunContext& context) const;
    // How many steps run() reports at this working size (1 for methods that are not iterative).
    virtual int total_steps(int height, int width, const ParamValues& params) const {
        (void)height, (void)width, (void)params;
        return 1;
    }
    // Loads what run() will need from context.models (the model named by context.model) without
    // running, so that a missing or broken model fails before any output and the first frame
    // does not also read the weights. Throws like run(); nothing for methods without a model.
    virtual void prepare(const at::Tensor& content, const RunContext& context) const { (void)content, (void)context; }
    // How many encoder passes run() would make that context.models' caches do not save yet (AdaIN:
    // its content and styles not encoded before); 0 for methods that cache nothing. Runs of one
    // method with the same count take about as long (the viewer's progress bar).
    virtual int encoder_passes(const at::Tensor& content, const at::Tensor& style, const RunContext& context) const {
        (void)content, (void)style, (void)context;
        return 0;
    }
};

// A parameter value as shown to people: the choice's name, or the number.
std::string param_value_text(const ParamSpec& spec, double value);
// Parses a value given on the command line or in a settings file: a number, or one of the
// choices' names. Throws nt::Error naming the parameter.
double parse_param_value(const ParamSpec& spec, const std::string& text);

// Every parameter at its default.
ParamValues default_params(const MethodInfo& info);
// `values` completed with defaults; throws nt::Error naming the parameter for unknown names and
// values outside [min, max] or NaN.
ParamValues resolve_params(const MethodInfo& info, const ParamValues& values);

}  // namespace nt
