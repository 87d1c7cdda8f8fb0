#pragma once
// Moves the pipeline's RGBA8 result into the result texture by the best route at hand: a CPU
// result straight from its memory (glTexSubImage2D into immutable storage); a CUDA result through
// CUDA-GL interop, on the GPU, never through host memory; a CUDA result without interop through
// host memory, with the reason in route() for the status line.
#include <memory>
#include <string>

#include "gl/rgba8_texture.h"
#include "viewer/stylize_pipeline.h"

namespace nt {
class CudaGlTexture;
}

namespace nt::viewer {

class ResultUpload {
public:
    ResultUpload();
    ~ResultUpload();
    // Needs the GL context current. Sizes the texture to the result.
    void upload(StylizePipeline& pipeline, gl::Rgba8Texture& texture);
    // "direct", "CUDA-GL interop", or "via host memory: <why interop is not used>".
    const std::string& route() const { return route_; }

private:
    std::unique_ptr<CudaGlTexture> interop_;  // registered for the texture id it was made with
    std::string interop_unavailable_;         // set once interop failed; not retried every frame
    std::string route_ = "direct";
};

}  // namespace nt::viewer
