#pragma once
// The whole still-image pipeline shared by the CLI and the tests: resize content and style to the
// working size, move them to the device as tensors, stylize, and bring the result back.
#include "core/device.h"
#include "core/image.h"
#include "core/methods/blend.h"
#include "core/sizing.h"

namespace nt {

struct StylizeOptions {
    double alpha = kDefaultAlpha;
    SizeSpec size = default_size_spec();
    DeviceChoice device = DeviceChoice::Auto;
};

// Content at its working size and the style resized to exactly the same size.
struct WorkingPair {
    Image content;
    Image style;
};
WorkingPair make_working_pair(const Image& content, const Image& style, const SizeSpec& size);

// Throws nt::Error for invalid options (alpha, size limits, unavailable device).
Image stylize(const Image& content, const Image& style, const StylizeOptions& options);

}  // namespace nt
