#include "methods/blend.h"

#include <ATen/ATen.h>

#include <cmath>
#include <sstream>

#include "base/error.h"

namespace nt {

void check_alpha(double alpha) {
    if (std::isnan(alpha) || alpha < 0.0 || alpha > 1.0) {
        std::ostringstream os;
        os << "--alpha " << alpha;
        throw Error(os.str(), "style strength must be a number between 0 and 1");
    }
}

at::Tensor blend(const at::Tensor& content, const at::Tensor& style, double alpha) {
    check_alpha(alpha);
    if (!content.sizes().equals(style.sizes())) throw Error("blend: content and style tensors differ in shape");
    if (content.device() != style.device()) throw Error("blend: content and style tensors are on different devices");
    return content.mul(1.0 - alpha).add(style.mul(alpha));
}

}  // namespace nt
