#include "image/color_space.h"

#include <ATen/ATen.h>

#include <cmath>

#include "base/error.h"

namespace nt {

namespace {

using Matrix3 = double[3][3];

// The matrix as a double [3, 3] CPU tensor; callers move it to the image's device and dtype.
at::Tensor to_tensor(const Matrix3& m) {
    return at::tensor({m[0][0], m[0][1], m[0][2], m[1][0], m[1][1], m[1][2], m[2][0], m[2][1], m[2][2]},
                      at::TensorOptions().dtype(at::kDouble))
        .view({3, 3});
}

// BT.601 luma weights (those of JPEG and PIL's "L" conversion).
constexpr double kR = 0.299, kG = 0.587, kB = 0.114;
constexpr Matrix3 kRgbToYcbcr = {
    {kR, kG, kB},
    {-kR / (2 * (1 - kB)), -kG / (2 * (1 - kB)), 0.5},
    {0.5, -kG / (2 * (1 - kR)), -kB / (2 * (1 - kR))},
};

// Reinhard et al. 2001, eq. 4 (RGB -> LMS). The paper prints its inverse to four digits only;
// inverting in double here makes the round trip exact to float precision.
constexpr Matrix3 kRgbToLms = {
    {0.3811, 0.5783, 0.0402},
    {0.1967, 0.7244, 0.0782},
    {0.0241, 0.1288, 0.8444},
};

// Eq. 6 (log LMS -> lαβ). The paper takes log10; we take the natural logarithm (exp is several
// times faster than pow(10, x)). That only scales the whole space by ln 10, which mean/std
// transfer is invariant to, so the transferred colours are the same.
// Eq. 6: diag(1/√3, 1/√6, 1/√2) · [[1,1,1],[1,1,-2],[1,-1,0]].
const double kS3 = std::sqrt(3.0), kS6 = std::sqrt(6.0), kS2 = std::sqrt(2.0);
const Matrix3 kLogLmsToLab = {
    {1 / kS3, 1 / kS3, 1 / kS3},
    {1 / kS6, 1 / kS6, -2 / kS6},
    {1 / kS2, -1 / kS2, 0.0},
};

// Built once (thread-safe statics), small CPU tensors.
struct Matrices {
    at::Tensor rgb_to_ycbcr = to_tensor(kRgbToYcbcr);
    at::Tensor ycbcr_to_rgb = at::linalg_inv(rgb_to_ycbcr);
    at::Tensor rgb_to_lms = to_tensor(kRgbToLms);
    at::Tensor lms_to_rgb = at::linalg_inv(rgb_to_lms);
    at::Tensor log_lms_to_lab = to_tensor(kLogLmsToLab);
    at::Tensor lab_to_log_lms = at::linalg_inv(log_lms_to_lab);
};

const Matrices& matrices() {
    static const Matrices m;
    return m;
}

}  // namespace

at::Tensor apply_color_matrix(const at::Tensor& image, const at::Tensor& matrix) {
    if (image.dim() != 4 || image.size(1) != 3) throw Error("colour conversion expects a [N, 3, H, W] tensor");
    const at::Tensor m = matrix.to(image.device(), image.scalar_type());
    // One picture: a plain [3, 3] x [3, H*W] GEMM (the batched matmul path is about 5x slower on
    // the CPU for this shape).
    if (image.size(0) == 1) return at::mm(m, image.reshape({3, -1})).view(image.sizes());
    return at::matmul(m, image.reshape({image.size(0), 3, -1})).view(image.sizes());
}

at::Tensor luma(const at::Tensor& rgb) {
    if (rgb.dim() != 4 || rgb.size(1) != 3) throw Error("luma expects a [N, 3, H, W] tensor");
    // Only the first row of the YCbCr matrix: a third of the work of the full conversion.
    const at::Tensor row = matrices().rgb_to_ycbcr.narrow(0, 0, 1).to(rgb.device(), rgb.scalar_type());
    const at::Tensor y =
        rgb.size(0) == 1 ? at::mm(row, rgb.reshape({3, -1})) : at::matmul(row, rgb.reshape({rgb.size(0), 3, -1}));
    return y.view({rgb.size(0), 1, rgb.size(2), rgb.size(3)});
}

at::Tensor rgb_to_ycbcr(const at::Tensor& rgb) { return apply_color_matrix(rgb, matrices().rgb_to_ycbcr); }

at::Tensor ycbcr_to_rgb(const at::Tensor& ycbcr) { return apply_color_matrix(ycbcr, matrices().ycbcr_to_rgb); }

at::Tensor rgb_to_lalphabeta(const at::Tensor& rgb) {
    const at::Tensor lms = apply_color_matrix(rgb, matrices().rgb_to_lms).clamp_min_(kLmsFloor).log_();
    return apply_color_matrix(lms, matrices().log_lms_to_lab);
}

at::Tensor lalphabeta_to_rgb(const at::Tensor& lab) {
    const at::Tensor log_lms = apply_color_matrix(lab, matrices().lab_to_log_lms);
    return apply_color_matrix(log_lms.exp(), matrices().lms_to_rgb);
}

}  // namespace nt
