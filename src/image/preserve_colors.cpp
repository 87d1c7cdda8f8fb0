#include "image/preserve_colors.h"

#include <ATen/ATen.h>

#include "image/color_space.h"
#include "base/error.h"

namespace nt {

at::Tensor preserve_content_colors(const at::Tensor& content, const at::Tensor& stylized) {
    if (!content.sizes().equals(stylized.sizes()))
        throw Error("preserve colours: content and stylized tensors differ in shape");
    if (content.device() != stylized.device())
        throw Error("preserve colours: content and stylized tensors are on different devices");
    // YCbCr -> RGB adds Y to every channel with weight 1, so replacing the content's Y by the
    // stylized one is adding the luma difference to R, G and B: two passes instead of two full
    // conversions.
    return (content + (luma(stylized) - luma(content))).clamp_(0.0, 1.0);
}

}  // namespace nt
