#include "core/stylize.h"

#include <ATen/ATen.h>

#include "core/error.h"
#include "core/mask.h"
#include "core/nets/neural_stylizer.h"
#include "core/preserve_colors.h"
#include "core/resize.h"
#include "core/segmentation_mask.h"
#include "core/tensor_convert.h"

namespace nt {

WorkingPair make_working_pair(const Image& content, const Image& style, const SizeSpec& size) {
    const Size2 target = working_size(size, {content.width, content.height});
    return {resize_bilinear_antialias(content, target.width, target.height),
            resize_bilinear_antialias(style, target.width, target.height)};
}

at::Tensor finish_stylized(const at::Tensor& content, const at::Tensor& stylized, bool preserve_colors,
                           const at::Tensor& mask) {
    const at::Tensor colored = preserve_colors ? preserve_content_colors(content, stylized) : stylized;
    return mask.defined() ? apply_mask(content, colored, mask) : colored;
}

bool method_consumes_mask(const MethodInfo& info, std::size_t style_count) {
    return info.second_style_fills_mask && style_count >= 2;
}

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
    if (info.follows_precision) network_dtype(neural->options().precision, device);  // bf16 without CPU support: refused

    const Size2 target = working_size(options.size, {content.width, content.height});
    const Image work_content = resize_bilinear_antialias(content, target.width, target.height);
    at::InferenceMode inference;
    const at::Tensor content_t = image_to_tensor(work_content, device);
    auto style_tensor = [&](const Image& s) {
        return image_to_tensor(resize_bilinear_antialias(s, target.width, target.height), device);
    };
    at::Tensor mask;
    if (options.mask)
        mask = feather_mask(mask_to_tensor(*options.mask, target.width, target.height, device), options.feather_px);
    if (!options.mask_classes.empty()) {
        const std::vector<int> classes =
            class_indices(neural->segmentation_classes(options.segmentation_model), options.mask_classes);
        mask = feather_mask(class_mask(neural->segment(options.segmentation_model, content_t), classes,
                                       options.mask_invert),
                            options.feather_px);
    }

    at::Tensor stylized;
    if (info.needs_model) {
        NeuralRequest request;
        request.method = info.name;
        request.model = options.model;
        request.params = params;
        request.content = content_t;
        request.on_step = on_step;
        request.cancel = cancel;
        request.temporal = options.temporal;
        if (info.uses_style) {
            request.styles.push_back(style_tensor(style));
            for (const Image& extra : options.extra_styles) request.styles.push_back(style_tensor(extra));
            request.style_weights = options.style_weights;
            request.style_layers = options.style_layers;
            request.mask = mask;
        }
        stylized = neural->run(request);
    } else {
        const RunContext context{info.reads_mask ? mask : at::Tensor(), on_step, cancel, options.temporal};
        stylized = method.run(content_t, style_tensor(style), params, context);
    }
    const std::size_t styles = 1 + options.extra_styles.size();
    return tensor_to_image(finish_stylized(content_t, stylized, options.preserve_colors,
                                           method_consumes_mask(info, styles) ? at::Tensor() : mask));
}

}  // namespace nt
