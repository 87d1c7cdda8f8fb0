#pragma once
// The whole still-image pipeline shared by the CLI and the tests: resize content and style to the
// working size, move them to the device as tensors, stylize, and bring the result back.
#include <ATen/Tensor.h>

#include <optional>

#include "core/device.h"
#include "core/image.h"
#include "core/methods/method.h"
#include "core/sizing.h"

namespace nt {

struct StylizeOptions {
    std::string method = "blend";  // a name from method_registry()
    ParamValues params;             // missing parameters take the method's defaults
    SizeSpec size = default_size_spec();
    DeviceChoice device = DeviceChoice::Auto;
    // After the method: keep the result's luminance with the content's colours (core/preserve_colors.h).
    bool preserve_colors = false;
    // Where the style applies (core/mask.h): white stylized, black content; resized to the working
    // size when it differs, then feathered by a Gaussian of feather_px working pixels.
    std::optional<Image> mask;
    double feather_px = 0.0;
};

// Content at its working size and the style resized to exactly the same size.
struct WorkingPair {
    Image content;
    Image style;
};
WorkingPair make_working_pair(const Image& content, const Image& style, const SizeSpec& size);

// The steps after the method, on tensors (the viewer calls this per frame): the content's colours
// when preserve_colors, then the mask, [1, 1, H, W] in 0..1 and already feathered, when defined.
at::Tensor finish_stylized(const at::Tensor& content, const at::Tensor& stylized, bool preserve_colors,
                           const at::Tensor& mask = at::Tensor());

// Throws nt::Error for invalid options (unknown method, parameter out of range, size limits,
// unavailable device, feather out of range, empty mask)
// before any pixel work.
Image stylize(const Image& content, const Image& style, const StylizeOptions& options);

}  // namespace nt
