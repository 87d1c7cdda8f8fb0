#pragma once
// The original workflow's stylization: a weighted average of content and style.
#include <ATen/Tensor.h>

namespace nt {

// The original's 0.6 * content + 0.4 * style.
inline constexpr double kDefaultAlpha = 0.4;

// result = (1 - alpha) * content + alpha * style, both float tensors of the same shape on the same
// device. alpha must be in [0, 1] (nt::Error otherwise, NaN included). The weights are computed in
// double and the products summed in the tensors' dtype, which is exactly what the original's
// `0.6 * content + 0.4 * style` did in PyTorch, so the pixels match it.
at::Tensor blend(const at::Tensor& content, const at::Tensor& style, double alpha);

// Throws nt::Error("--alpha ...") unless 0 <= alpha <= 1.
void check_alpha(double alpha);

}  // namespace nt
