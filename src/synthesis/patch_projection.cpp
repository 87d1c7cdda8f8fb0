#include "synthesis/patch_projection.h"

#include <ATen/ATen.h>

#include "synthesis/correlation_kernel.h"

namespace nt {

at::Tensor project_all_patches(const at::Tensor& picture, const at::Tensor& projections, std::int64_t patch) {
    const at::Tensor x = picture.contiguous();
    const at::Tensor w = projections.contiguous();  // [K, 3, p, p] in memory
    const CorrelationShape shape{x.size(1), x.size(2), x.size(3), w.size(0), patch};
    at::Tensor out = at::empty({shape.out_channels, shape.out_height() * shape.out_width()}, x.options());
    correlate_valid(x.data_ptr<float>(), w.data_ptr<float>(), shape, out.data_ptr<float>());
    return out;
}

at::Tensor project_patch_matrix(const at::Tensor& projections, const at::Tensor& patch_matrix) {
    const at::Tensor w = projections.contiguous(), m = patch_matrix.contiguous();
    const CorrelationShape shape{m.size(0), 1, m.size(1), w.size(0), 1};
    at::Tensor out = at::empty({shape.out_channels, shape.out_width()}, m.options());
    correlate_valid(m.data_ptr<float>(), w.data_ptr<float>(), shape, out.data_ptr<float>());
    return out;
}

at::Tensor fold_projected_patches(const at::Tensor& grad, const at::Tensor& projections, std::int64_t patch,
                                  std::int64_t height, std::int64_t width) {
    const std::int64_t k = projections.size(0), edge = patch - 1;
    // The adjoint of a valid correlation is the full correlation with the filters flipped and the
    // channels swapped: pad the gradient by p - 1 on every side and correlate K -> 3.
    const at::Tensor padded =
        at::constant_pad_nd(grad.reshape({k, height - edge, width - edge}), {edge, edge, edge, edge}, 0.0);
    const at::Tensor flipped =
        projections.reshape({k, 3, patch, patch}).flip({2, 3}).transpose(0, 1).contiguous();  // [3, K, p, p]
    const CorrelationShape shape{k, height + edge, width + edge, 3, patch};
    at::Tensor out = at::empty({1, 3, height, width}, grad.options());
    correlate_valid(padded.data_ptr<float>(), flipped.data_ptr<float>(), shape, out.data_ptr<float>());
    return out;
}

}  // namespace nt
