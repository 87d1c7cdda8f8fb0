#include "methods/strength.h"

#include <ATen/ATen.h>

#include <string>

#include "base/error.h"

namespace nt {

ParamSpec strength_param() {
    return strength_param("How far to go from the content (0) to the full colour transfer (1).");
}

ParamSpec strength_param(const std::string& description) {
    return {"strength", "Strength", description, 0.0, 1.0, 1.0};
}

at::Tensor mix_by_strength(const at::Tensor& content, const at::Tensor& full, double strength) {
    if (strength <= 0.0) return content.clone();
    const at::Tensor clamped = full.clamp(0.0, 1.0);
    return strength >= 1.0 ? clamped : at::lerp(content, clamped, strength);
}

void check_method_inputs(const char* method, const at::Tensor& content, const at::Tensor& style) {
    const std::string name = method;
    for (const at::Tensor* t : {&content, &style})
        if (t->dim() != 4 || t->size(0) != 1 || t->size(1) != 3 || t->numel() == 0)
            throw Error(name + ": expects [1, 3, H, W] tensors");
    if (content.device() != style.device()) throw Error(name + ": content and style tensors are on different devices");
    if (!content.is_floating_point() || content.scalar_type() != style.scalar_type())
        throw Error(name + ": expects float tensors of one dtype");
}

}  // namespace nt
