#include "stylize/stylize.h"

#include <ATen/ATen.h>

#include "base/error.h"
#include "image/mask.h"
#include "nets/neural_stylizer.h"
#include "image/preserve_colors.h"
#include "image/resize.h"
#include "image/segmentation_mask.h"
#include "nets/tiled_inference.h"
#include "image/tensor_convert.h"
#include "image/tensor_resize.h"
#include "stylize/registry.h"

namespace nt {

Size2 method_style_size(const MethodInfo& info, Size2 style, Size2 target) {
    if (info.style_pixel_aligned) return target;
    if (info.tiles) {
        const auto [h, w] = thumbnail_size(target.height, target.width);
        target = {int(w), int(h)};
    }
    return style_working_size(style, target);
}

Image style_for_method(const MethodInfo& info, const Image& style, Size2 target) {
    const Size2 size = method_style_size(info, {style.width, style.height}, target);
    return resize_bilinear_antialias(style, size.width, size.height);
}

WorkingPair make_working_pair(const Image& content, const Image& style, const SizeSpec& size, const MethodInfo& info) {
    const Size2 target = working_size(size, {content.width, content.height});
    return {resize_bilinear_antialias(content, target.width, target.height), style_for_method(info, style, target)};
}

at::Tensor finish_stylized(const at::Tensor& content, const at::Tensor& stylized, bool preserve_colors,
                           const at::Tensor& mask) {
    const at::Tensor colored = preserve_colors ? preserve_content_colors(content, stylized) : stylized;
    return mask.defined() ? apply_mask(content, colored, mask) : colored;
}

bool method_consumes_mask(const MethodInfo& info, std::size_t style_count) {
    return info.extra_style_fills_mask && style_count >= 2;
}

MemoryPlan plan_stylize_memory(const Image& content, const StylizeOptions& options) {
    const MethodInfo& info = method_by_name(options.method).info();
    const Size2 target = working_size(options.size, {content.width, content.height});
    const std::int64_t budget = options.memory_budget > 0 ? options.memory_budget : default_memory_budget();
    const c10::ScalarType dtype = network_dtype(options.precision, resolve_device(options.device));
    const bool masked = options.mask.has_value() || !options.mask_classes.empty();
    const std::int64_t mask_bytes = masked ? kMaskBytesPerPixel * target.width * std::int64_t(target.height) : 0;
    return plan_memory(info, target, {content.width, content.height}, budget, options.tile,
                       info.follows_precision && (dtype == at::kBFloat16 || dtype == at::kHalf), mask_bytes);
}

namespace {

// The style picture's tensor for `info` at working size `target` (method_style_size).
at::Tensor style_tensor_for(const MethodInfo& info, const Image& style, Size2 target, c10::Device device) {
    return image_to_tensor(style_for_method(info, style, target), device);
}

// The segmentation model's mask at the working size, from `small`, the content at most at the
// thumbnail's size (as segmentation is done at high resolution: the model at a capped size, the
// soft mask upsampled bilinearly), so a big picture's mask costs what a 1 MP one does.
at::Tensor segmentation_mask(NeuralStylizer& neural, const StylizeOptions& options, const at::Tensor& small,
                             Size2 working) {
    const std::vector<int> classes =
        class_indices(neural.segmentation_classes(options.segmentation_model), options.mask_classes);
    const at::Tensor mask = class_mask(neural.segment(options.segmentation_model, small), classes, options.mask_invert);
    return resize_tensor(mask, working.height, working.width).clamp_(0.0, 1.0);
}

// The content at thumbnail_size, resized in one pass as the segmentation mask has always taken it.
at::Tensor segmentation_input(const at::Tensor& content) {
    const auto [h, w] = thumbnail_size(content.size(2), content.size(3));
    return resize_tensor(content, h, w);
}

// A network's run in tiles (MemoryPlan::tile): the working picture is streamed through them as
// 8-bit, never whole in float on either side (nets/tiled_inference.h run_tiled_rows): each tile's
// window is converted when the tile runs, and each finished band of rows is finished (colours,
// mask) and written into the result picture. The pictures cost 6 bytes a pixel instead of 30.
Image stylize_in_tiles(const Method& method, const Image& working, const at::Tensor& thumbnail, const at::Tensor& style,
                       const ParamValues& params, const RunContext& context, int tile, bool preserve_colors,
                       const at::Tensor& finish_mask) {
    const c10::Device device = thumbnail.device();
    const TileNetwork net = method.tile_network(thumbnail, style, params, context);
    Image out(working.width, working.height);
    auto source = [&](const TileRect& r) {
        return image_window_to_tensor(working, r.in_y0, r.in_x0, r.in_h, r.in_w, device);
    };
    auto sink = [&](std::int64_t y0, const at::Tensor& rows) {
        const std::int64_t n = rows.size(2);
        const at::Tensor content = preserve_colors || finish_mask.defined()
                                       ? image_window_to_tensor(working, y0, 0, n, working.width, device)
                                       : at::Tensor();
        const at::Tensor mask = finish_mask.defined() ? finish_mask.narrow(2, y0, n) : at::Tensor();
        tensor_into_image_rows(finish_stylized(content, rows, preserve_colors, mask), out, y0);
    };
    // The tiles are the run's steps: a bar for the CLI and the viewer's export (no estimate to show).
    auto on_tile = [&](int done, int total) {
        if (!context.on_step) return;
        StepReport report;
        report.step = done;
        report.total = total;
        report.stage = "tiles";
        context.on_step(report);
    };
    run_tiled_rows(working.height, working.width, network_tile_settings(tile), source, net, sink, context.cancel,
                   on_tile);
    return out;
}

}  // namespace

Image stylize(const Image& content, const Image& style, const StylizeOptions& options, NeuralStylizer* neural,
              const StepCallback& on_step, const CancelToken& cancel) {
    const Method& method = method_by_name(options.method);
    const MethodInfo& info = method.info();
    const ParamValues params = resolve_params(info, options.params);
    check_feather(options.feather_px);
    if (options.mask && options.mask->empty()) throw Error("mask: the mask picture is empty");
    if (info.uses_style && style.empty()) throw Error(info.name, "needs a style picture");
    if (1 + options.extra_styles.size() > std::size_t(info.max_styles))
        throw Error(info.name, "takes at most " + std::to_string(info.max_styles) + " style picture(s)");
    if (options.mask && !options.mask_classes.empty())
        throw Error("--mask-classes", "a mask picture and a segmentation mask cannot both be given");
    const c10::Device device = resolve_device(options.device);
    std::unique_ptr<NeuralStylizer> own;
    if ((info.needs_model || !options.mask_classes.empty()) && !neural) {
        NeuralOptions neural_options;
        neural_options.precision = options.precision;
        own = std::make_unique<NeuralStylizer>(scan_models(resolve_models_dir(options.models_dir)), neural_options);
        neural = own.get();
    }
    if (info.follows_precision)
        network_dtype(neural->options().precision, device);  // bf16 without CPU support: refused

    const Size2 target = working_size(options.size, {content.width, content.height});
    const MemoryPlan plan = plan_stylize_memory(content, options);
    at::InferenceMode inference;
    // At the content's own size, no resized copy (a 24 MP picture is 72 MB).
    Image resized;
    if (target != Size2{content.width, content.height})
        resized = resize_bilinear_antialias(content, target.width, target.height);
    const Image& working = resized.empty() ? content : resized;
    // In tiles the content is never whole in float (stylize_in_tiles): only its thumbnail.
    const at::Tensor content_t = plan.tile > 0 ? at::Tensor() : image_to_tensor(working, device);
    const at::Tensor thumbnail = plan.tile > 0 ? thumbnail_of(working, device) : at::Tensor();
    if (plan.tile == 0) resized = Image();  // its tensor holds it now
    at::Tensor mask;
    if (options.mask)
        mask = feather_mask(mask_to_tensor(*options.mask, target.width, target.height, device), options.feather_px);
    if (!options.mask_classes.empty()) {
        const at::Tensor small = plan.tile > 0 ? thumbnail : segmentation_input(content_t);
        mask = feather_mask(segmentation_mask(*neural, options, small, target), options.feather_px);
    }

    RunContext context{info.reads_mask ? mask : at::Tensor(), on_step, cancel, options.temporal};
    context.models = neural;
    context.model = options.model;
    context.tile = plan.tile;
    context.top_height = plan.top.height;
    context.top_width = plan.top.width;
    at::Tensor style_t;
    if (info.uses_style) {
        auto style_tensor = [&](const Image& s) { return style_tensor_for(info, s, target, device); };
        style_t = style_tensor(style);
        for (const Image& extra : options.extra_styles) context.extra_styles.push_back(style_tensor(extra));
        context.style_weights = options.style_weights;
        context.style_layers = options.style_layers;
    }
    const std::size_t styles = 1 + options.extra_styles.size();
    const at::Tensor finish_mask = method_consumes_mask(info, styles) ? at::Tensor() : mask;
    if (plan.tile > 0)
        return stylize_in_tiles(method, working, thumbnail, style_t, params, context, plan.tile,
                                options.preserve_colors, finish_mask);
    const at::Tensor stylized = method.run(content_t, style_t, params, context);
    return tensor_to_image(finish_stylized(content_t, stylized, options.preserve_colors, finish_mask));
}

}  // namespace nt
