#pragma once
// The "strength" parameter shared by the colour methods: how far to go from the content (0) to
// the method's full result (1), a straight line in RGB.
#include <ATen/Tensor.h>

#include "methods/method.h"

namespace nt {

// The ParamSpec every colour method declares: "strength", 0..1, default 1.
ParamSpec strength_param();
// The same with its own tooltip (a network's strength is not a colour transfer's).
ParamSpec strength_param(const std::string& description);

// content + strength * (full - content), clamped to 0..1. strength 0 returns the content's
// values exactly (a copy), whatever `full` holds.
at::Tensor mix_by_strength(const at::Tensor& content, const at::Tensor& full, double strength);

// Throws nt::Error naming `method` when content and style are not float [1, 3, H, W] and
// [1, 3, h, w] tensors of one dtype on the same device. The style may have another size than the
// content (its own aspect: MethodInfo::style_pixel_aligned); it needs at least one pixel.
void check_method_inputs(const char* method, const at::Tensor& content, const at::Tensor& style);

}  // namespace nt
