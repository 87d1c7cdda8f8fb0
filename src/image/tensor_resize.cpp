#include "image/tensor_resize.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>

namespace nt {

at::Tensor resize_tensor(const at::Tensor& t, std::int64_t height, std::int64_t width) {
    if (t.size(2) == height && t.size(3) == width) return t;
    if (height <= t.size(2) && width <= t.size(3)) return at::_upsample_bilinear2d_aa(t, {height, width}, false);
    return at::upsample_bilinear2d(t, {height, width}, false);
}

at::Tensor resize_to_at_least(const at::Tensor& t, std::int64_t side) {
    const std::int64_t shorter = std::min(t.size(2), t.size(3));
    if (shorter >= side) return t;
    const double scale = double(side) / double(std::max<std::int64_t>(shorter, 1));
    const auto grown = [&](std::int64_t s) { return std::max(side, std::int64_t(std::ceil(double(s) * scale))); };
    return resize_tensor(t, grown(t.size(2)), grown(t.size(3)));
}

}  // namespace nt
