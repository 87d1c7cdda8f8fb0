#include "core/stylize.h"

#include <ATen/ATen.h>

#include "core/resize.h"
#include "core/tensor_convert.h"

namespace nt {

WorkingPair make_working_pair(const Image& content, const Image& style, const SizeSpec& size) {
    const Size2 target = working_size(size, {content.width, content.height});
    return {resize_bilinear_antialias(content, target.width, target.height),
            resize_bilinear_antialias(style, target.width, target.height)};
}

Image stylize(const Image& content, const Image& style, const StylizeOptions& options) {
    const Method& method = method_by_name(options.method);
    const ParamValues params = resolve_params(method.info(), options.params);
    const c10::Device device = resolve_device(options.device);
    const WorkingPair pair = make_working_pair(content, style, options.size);
    at::InferenceMode inference;
    return tensor_to_image(
        method.apply(image_to_tensor(pair.content, device), image_to_tensor(pair.style, device), params));
}

}  // namespace nt
