#pragma once
// The whole still-image pipeline shared by the CLI and the tests: resize content and style to the
// working size, move them to the device as tensors, stylize, and bring the result back.
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
};

// Content at its working size and the style resized to exactly the same size.
struct WorkingPair {
    Image content;
    Image style;
};
WorkingPair make_working_pair(const Image& content, const Image& style, const SizeSpec& size);

// Throws nt::Error for invalid options (unknown method, parameter out of range, size limits,
// unavailable device) before any pixel work.
Image stylize(const Image& content, const Image& style, const StylizeOptions& options);

}  // namespace nt
