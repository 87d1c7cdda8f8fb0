#pragma once
// Where the content's structure must survive patch synthesis (the per-pixel content weight W of
// Elad and Milanfar's fusion step): the Sobel gradient magnitude of each RGB channel, the largest
// of the three, blurred by a Gaussian and scaled to a maximum of 1. Edges and textured regions get
// weights near 1, flat regions (sky, walls) near 0, where the style's texture takes over.
#include <ATen/Tensor.h>

namespace nt {

// content: float [1, 3, H, W]. sigma: the blur in pixels (20 at 400 px in the reference ports).
// Returns [1, 1, H, W] in 0..1 (all zeros for a flat picture).
at::Tensor structure_map(const at::Tensor& content, double sigma);

}  // namespace nt
