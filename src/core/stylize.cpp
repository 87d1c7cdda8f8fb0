#include "core/stylize.h"

#include <ATen/ATen.h>

#include "core/error.h"
#include "core/mask.h"
#include "core/preserve_colors.h"
#include "core/resize.h"
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

Image stylize(const Image& content, const Image& style, const StylizeOptions& options) {
    const Method& method = method_by_name(options.method);
    const ParamValues params = resolve_params(method.info(), options.params);
    check_feather(options.feather_px);
    if (options.mask && options.mask->empty()) throw Error("mask: the mask picture is empty");
    const c10::Device device = resolve_device(options.device);
    const WorkingPair pair = make_working_pair(content, style, options.size);
    at::InferenceMode inference;
    const at::Tensor content_t = image_to_tensor(pair.content, device);
    const at::Tensor stylized = method.apply(content_t, image_to_tensor(pair.style, device), params);
    at::Tensor mask;
    if (options.mask)
        mask = feather_mask(mask_to_tensor(*options.mask, pair.content.width, pair.content.height, device),
                            options.feather_px);
    return tensor_to_image(finish_stylized(content_t, stylized, options.preserve_colors, mask));
}

}  // namespace nt
