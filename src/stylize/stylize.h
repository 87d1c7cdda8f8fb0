#pragma once
// The whole still-image pipeline shared by the CLI and the tests: resize content and style to the
// working size, move them to the device as tensors, stylize, and bring the result back.
#include <ATen/Tensor.h>

#include <filesystem>
#include <optional>
#include <vector>

#include "base/device.h"
#include "image/image.h"
#include "stylize/memory_budget.h"
#include "methods/method.h"
#include "nets/precision.h"
#include "image/sizing.h"
#include "stylize/registry.h"

namespace nt {

struct StylizeOptions {
    std::string method = "blend";  // a name from method_registry()
    ParamValues params;            // missing parameters take the method's defaults
    SizeSpec size = default_size_spec();
    DeviceChoice device = DeviceChoice::Auto;
    // The networks' number format (nets/precision.h); a NeuralStylizer passed to stylize()
    // brings its own.
    Precision precision = Precision::Auto;
    // After the method: keep the result's luminance with the content's colours (image/preserve_colors.h).
    bool preserve_colors = false;
    // Where the style applies (image/mask.h): white stylized, black content; resized to the working
    // size when it differs, then feathered by a Gaussian of feather_px working pixels.
    std::optional<Image> mask;
    double feather_px = 0.0;
    // The methods that need a model (RunContext::model): the model of the method's model_kind, a
    // name in the models folder or a file. `models_dir`: empty for the default (model_library.h).
    std::string model;
    std::filesystem::path models_dir;
    // adain: more styles to mix with the style picture, and one weight per style (the style
    // picture's first); empty weights: equal. With a mask the extra style fills the black region.
    std::vector<Image> extra_styles;
    std::vector<double> style_weights;
    // gatys: the VGG-19 layers of the style loss (nets/vgg19.h names); empty: the default.
    std::vector<std::string> style_layers;
    // A mask from a segmentation model instead of a mask picture (image/segmentation_mask.h): the
    // classes (names or indices) where the style applies, or everywhere else when inverted;
    // feathered by feather_px like a picture. `segmentation_model`: empty for the only one (refused
    // when the folder has several: NeuralStylizer::segment).
    std::vector<std::string> mask_classes;
    bool mask_invert = false;
    std::string segmentation_model;
    // A video's running content statistics (methods/temporal_stats.h) for the methods with
    // content_statistics; the caller calls its next_frame() before each frame. Not owned.
    TemporalStats* temporal = nullptr;
    // The memory preflight (stylize/memory_budget.h): the budget in bytes (0: default_memory_budget(),
    // from the free memory), and a forced tile side for the networks (0: tiles only when the
    // whole picture would pass the budget).
    std::int64_t memory_budget = 0;
    int tile = 0;
};

class NeuralStylizer;

// The size the method `info` takes a style of size `style` at, for content at working size
// `target`: exactly `target` for a pixel-aligned method (MethodInfo::style_pixel_aligned, the
// blend: the original script's stretch), else the style's own aspect at about the content's
// area, never upscaled (style_working_size in image/sizing.h); for a network that tiles, at most
// the area of the content's thumbnail (its statistics come from there, nets/tiled_inference.h),
// so a bigger memory budget never changes the look.
Size2 method_style_size(const MethodInfo& info, Size2 style, Size2 target);
// The style resized (antialiased, as the content) to method_style_size; the picture itself when
// it has that size already.
Image style_for_method(const MethodInfo& info, const Image& style, Size2 target);

// Content at its working size and the style at the size `info` takes it (method_style_size).
struct WorkingPair {
    Image content;
    Image style;
};
WorkingPair make_working_pair(const Image& content, const Image& style, const SizeSpec& size, const MethodInfo& info);

// The steps after the method, on tensors (the viewer calls this per frame): the content's colours
// when preserve_colors, then the mask, [1, 1, H, W] in 0..1 and already feathered, when defined.
at::Tensor finish_stylized(const at::Tensor& content, const at::Tensor& stylized, bool preserve_colors,
                           const at::Tensor& mask = at::Tensor());

// The memory plan of stylize(content, style, options): the job's estimated peak, the budget, and
// the tile its network runs in (0: whole). Throws nt::Error, one line naming the working size and
// the memory it needs, when the job cannot fit the budget even tiled.
MemoryPlan plan_stylize_memory(const Image& content, const StylizeOptions& options);

// Throws nt::Error for invalid options (unknown method, parameter out of range, size limits,
// unavailable device, feather out of range, empty mask, missing model, a job beyond the memory
// budget: plan_stylize_memory) before any pixel work.
// `style` may be empty for methods that do not use it (MethodInfo::uses_style). Every method runs
// through Method::run; those that need a model get `neural`'s models (RunContext::models) when
// given (its models and caches are reused across calls, e.g. by a batch), else a NeuralStylizer
// made for this call from options.models_dir.
// Iterative methods (MethodInfo::iterative) call `on_step` with each intermediate estimate (raw,
// see StepReport) and check `cancel` every step (nt::Cancelled): the CLI's progress bar and
// --save-steps, the benchmarks and the tests all run through here. A network in tiles
// (MemoryPlan::tile) reports each tile as a step with no estimate, stage "tiles".
Image stylize(const Image& content, const Image& style, const StylizeOptions& options, NeuralStylizer* neural = nullptr,
              const StepCallback& on_step = {}, const CancelToken& cancel = {});

// Whether the mask is applied inside the method rather than by finish_stylized: AdaIN with two
// styles paints the mask's black region with the second one.
bool method_consumes_mask(const MethodInfo& info, std::size_t style_count);

}  // namespace nt
