#include "synthesis/structure_map.h"

#include <ATen/ATen.h>

#include "image/gaussian_blur.h"

namespace nt {

at::Tensor structure_map(const at::Tensor& content, double sigma) {
    const at::TensorOptions opt = content.options();
    const at::Tensor gx = at::tensor({-1.f, 0.f, 1.f, -2.f, 0.f, 2.f, -1.f, 0.f, 1.f}, opt).reshape({1, 1, 3, 3});
    const at::Tensor kernels = at::cat({gx, gx.transpose(2, 3)}).repeat({3, 1, 1, 1});  // [6, 1, 3, 3]
    const at::Tensor padded = at::replication_pad2d(content, {1, 1, 1, 1});
    const at::Tensor grad = at::conv2d(padded, kernels, c10::nullopt, at::IntArrayRef{1}, at::IntArrayRef{0},
                                       at::IntArrayRef{1}, 3);  // [1, 6, H, W]: (gx, gy) per channel
    const at::Tensor magnitude = grad.pow(2).reshape({1, 3, 2, content.size(2), content.size(3)}).sum(2).sqrt();
    const at::Tensor strongest = std::get<0>(magnitude.max(1, true));
    const at::Tensor blurred = gaussian_blur(strongest, sigma);
    return blurred / blurred.max().clamp_min(1e-12);
}

}  // namespace nt
