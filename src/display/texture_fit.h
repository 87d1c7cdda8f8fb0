#pragma once
// Pictures larger than the GL texture limit (GL_MAX_TEXTURE_SIZE, 16384 on most drivers) cannot
// be one texture: a working size of 20000 x 768 drew black or garbage panels. They are drawn from
// a copy scaled down to fit (area average, the aspect kept); the picture itself, what the pixel
// readout reads and what Save writes stay at full size. No GL here: the limit is passed in.
#include <vector>

#include <ATen/Tensor.h>

#include "image/image.h"

namespace nt::display {

struct FitSize {
    int width = 0, height = 0;
    bool scaled() const { return scale < 1.0f; }
    float scale = 1.0f;  // width / the full width
};

// The largest size within `limit` x `limit` with the aspect of width x height (each side at
// least 1); the size itself when it fits.
FitSize fit_within(int width, int height, int limit);

// Area-averaged copies at `fit`'s size: an RGB picture, an RGBA8 [h, w, 4] tensor (CPU or CUDA,
// returned on the same device) and a mask of floats in 0..1 (rows packed).
Image downscale_picture(const Image& rgb, const FitSize& fit);
at::Tensor downscale_rgba8(const at::Tensor& rgba, const FitSize& fit);
std::vector<float> downscale_mask(const float* values, int width, int height, const FitSize& fit);

}  // namespace nt::display
