#include "display/result_upload.h"

#include <ATen/ATen.h>

#include "base/error.h"
#ifdef NT_HAVE_CUDA_GL
#include "display/interop/cuda_gl_texture.h"
#endif

#ifndef NT_HAVE_CUDA_GL
// Without the CUDA toolkit at build time the interop class does not exist; the unique_ptr member
// needs a complete type where it is destroyed, and it always stays empty in such builds.
namespace nt {
class CudaGlTexture {};
}  // namespace nt
#endif

namespace nt::display {

ResultUpload::ResultUpload() = default;
ResultUpload::~ResultUpload() = default;

void ResultUpload::upload(const at::Tensor& rgba, const std::function<const at::Tensor&()>& host_copy,
                          gl::Rgba8Texture& texture) {
    if (!rgba.defined() || rgba.dim() != 3) return;
    const int w = int(rgba.size(1)), h = int(rgba.size(0));
    texture.ensure_size(w, h);
    if (rgba.is_cuda()) {
#ifdef NT_HAVE_CUDA_GL
        if (interop_unavailable_.empty()) {
            try {
                // A new size means a new immutable texture object: register that one.
                if (!interop_ || interop_->gl_texture() != texture.id() || interop_->width() != w ||
                    interop_->height() != h) {
                    interop_.reset();
                    if (std::string why = CudaGlTexture::unavailable_reason(); !why.empty()) throw Error(why);
                    interop_ = std::make_unique<CudaGlTexture>(texture.id(), w, h);
                }
                interop_->copy_from_device(rgba.data_ptr(), std::size_t(w) * 4);
                route_ = "CUDA-GL interop";
                return;
            } catch (const std::exception& e) {
                interop_.reset();
                interop_unavailable_ = e.what();
            }
        }
#else
        interop_unavailable_ = "built without the CUDA toolkit";
#endif
        route_ = "via host memory: " + interop_unavailable_;
    } else {
        route_ = "direct";
    }
    const at::Tensor& host = host_copy();
    texture.upload(host.data_ptr<std::uint8_t>(), std::size_t(w) * 4);
}

}  // namespace nt::display
