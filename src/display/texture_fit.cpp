#include "display/texture_fit.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>

#include "image/resize.h"

namespace nt::display {

FitSize fit_within(int width, int height, int limit) {
    if (width <= limit && height <= limit) return {width, height, 1.0f};
    const double scale = double(limit) / double(std::max(width, height));
    FitSize fit;
    fit.width = std::clamp(int(std::floor(width * scale)), 1, limit);
    fit.height = std::clamp(int(std::floor(height * scale)), 1, limit);
    fit.scale = float(fit.width) / float(width);
    return fit;
}

Image downscale_picture(const Image& rgb, const FitSize& fit) {
    return resize_bilinear_antialias(rgb, fit.width, fit.height);
}

namespace {

// [h, w, c] bytes or floats -> area average at fit's size, as float [1, c, h', w'].
at::Tensor area_average(const at::Tensor& hwc, const FitSize& fit) {
    const at::Tensor planar = hwc.permute({2, 0, 1}).unsqueeze(0).to(at::kFloat);
    return at::adaptive_avg_pool2d(planar, {fit.height, fit.width});
}

}  // namespace

at::Tensor downscale_rgba8(const at::Tensor& rgba, const FitSize& fit) {
    at::InferenceMode inference;
    const at::Tensor small = area_average(rgba, fit);
    return small.round_().clamp_(0, 255).to(at::kByte).squeeze(0).permute({1, 2, 0}).contiguous();
}

std::vector<float> downscale_mask(const float* values, int width, int height, const FitSize& fit) {
    at::InferenceMode inference;
    const at::Tensor full = at::from_blob(const_cast<float*>(values), {height, width, 1}, at::kFloat);
    const at::Tensor small = area_average(full, fit).contiguous();
    const float* p = small.data_ptr<float>();
    return std::vector<float>(p, p + small.numel());
}

}  // namespace nt::display
