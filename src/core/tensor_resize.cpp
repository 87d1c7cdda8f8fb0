#include "core/tensor_resize.h"

#include <ATen/ATen.h>

namespace nt {

at::Tensor resize_tensor(const at::Tensor& t, std::int64_t height, std::int64_t width) {
    if (t.size(2) == height && t.size(3) == width) return t;
    if (height <= t.size(2) && width <= t.size(3)) return at::_upsample_bilinear2d_aa(t, {height, width}, false);
    return at::upsample_bilinear2d(t, {height, width}, false);
}

}  // namespace nt
