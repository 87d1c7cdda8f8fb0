#pragma once
// Antialiased bilinear resizing that reproduces Pillow's Image.resize(..., BILINEAR) exactly
// (and so torchvision's Resize on PIL images, which the original workflow used): a triangle
// filter widened by the scale factor when shrinking, 22-bit fixed-point weights, a horizontal
// pass into an 8-bit intermediate, then a vertical pass.
#include "image/image.h"

namespace nt {

// Throws nt::Error for an empty source or a target size outside the limits in base/limits.h.
Image resize_bilinear_antialias(const Image& source, int width, int height);

}  // namespace nt
