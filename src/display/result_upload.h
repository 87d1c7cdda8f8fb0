#pragma once
// Moves an RGBA8 result tensor ([height, width, 4]) into the result texture by the best route at
// hand: a CPU result straight from its memory (glTexSubImage2D into immutable storage); a CUDA
// result through CUDA-GL interop, on the GPU, never through host memory; a CUDA result without
// interop through host memory, with the reason in route() for the status line.
#include <functional>
#include <memory>
#include <string>

#include <ATen/Tensor.h>

#include "display/rgba8_texture.h"

namespace nt {
class CudaGlTexture;
}

namespace nt::display {

class ResultUpload {
public:
    ResultUpload();
    ~ResultUpload();
    // Needs the GL context current. Sizes the texture to the result. `host_copy` gives the result
    // in host memory (asked for only when the route needs it).
    void upload(const at::Tensor& rgba, const std::function<const at::Tensor&()>& host_copy, gl::Rgba8Texture& texture);
    // "direct", "CUDA-GL interop", or "via host memory: <why interop is not used>".
    const std::string& route() const { return route_; }

private:
    std::unique_ptr<CudaGlTexture> interop_;  // registered for the texture id it was made with
    std::string interop_unavailable_;         // set once interop failed; not retried every frame
    std::string route_ = "direct";
};

}  // namespace nt::display
