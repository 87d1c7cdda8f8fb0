#include "image/mask.h"

#include <ATen/ATen.h>

#include <cmath>
#include <sstream>

#include "image/color_space.h"
#include "base/error.h"
#include "image/gaussian_blur.h"
#include "image/resize.h"
#include "image/tensor_convert.h"

namespace nt {

void check_feather(double feather_px) {
    if (std::isnan(feather_px) || feather_px < 0.0 || feather_px > kMaxFeatherPx) {
        std::ostringstream subject, reason;
        subject << "--feather " << feather_px;
        reason << "feather radius must be a number of pixels between 0 and " << kMaxFeatherPx;
        throw Error(subject.str(), reason.str());
    }
}

at::Tensor mask_to_tensor(const Image& mask, int width, int height, c10::Device device) {
    if (mask.empty()) throw Error("mask: the mask picture is empty");
    const bool same_size = mask.width == width && mask.height == height;
    const Image sized = same_size ? mask : resize_bilinear_antialias(mask, width, height);
    return luma(image_to_tensor(sized, device)).clamp_(0.0, 1.0);
}

at::Tensor feather_mask(const at::Tensor& mask, double feather_px) {
    check_feather(feather_px);
    if (feather_px == 0.0) return mask;
    return gaussian_blur(mask, feather_px).clamp_(0.0, 1.0);
}

at::Tensor apply_mask(const at::Tensor& content, const at::Tensor& stylized, const at::Tensor& mask) {
    if (!content.sizes().equals(stylized.sizes())) throw Error("mask: content and stylized tensors differ in shape");
    if (mask.dim() != 4 || mask.size(1) != 1 || mask.size(2) != content.size(2) || mask.size(3) != content.size(3))
        throw Error("mask: expects a [1, 1, H, W] mask of the picture's size");
    // lerp computes content + m * (stylized - content): m = 0 gives the content bit for bit.
    return at::lerp(content, stylized, mask.to(content.scalar_type()));
}

}  // namespace nt
