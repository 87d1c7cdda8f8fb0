#pragma once
// CUDA-GL interop for one RGBA8 GL texture: a CUDA result is copied into the texture on the GPU,
// never through host memory. Compiled only where the CUDA toolkit is found (NT_HAVE_CUDA_GL);
// used by the viewer only with a CUDA LibTorch. No CUDA or GL headers leak from this header.
#include <cstddef>
#include <string>

namespace nt {

class CudaGlTexture {
public:
    // Registers `gl_texture` (an immutable RGBA8 GL_TEXTURE_2D of width x height, created in the
    // current GL context) for CUDA writes. Throws nt::Error with the CUDA error text on failure.
    CudaGlTexture(unsigned gl_texture, int width, int height);
    ~CudaGlTexture();
    CudaGlTexture(const CudaGlTexture&) = delete;
    CudaGlTexture& operator=(const CudaGlTexture&) = delete;

    // Copies width x height RGBA8 pixels from device memory (`pitch` bytes between rows) into the
    // texture: map, cudaMemcpy2DToArrayAsync on `cuda_stream` (nullptr: the default stream),
    // unmap. The unmap orders the copy before any later GL use of the texture.
    void copy_from_device(const void* device_rgba, std::size_t pitch, void* cuda_stream = nullptr);

    int width() const { return width_; }
    int height() const { return height_; }
    unsigned gl_texture() const { return texture_; }

    // Empty when a CUDA device can be used for interop with the current GL context, otherwise why
    // not (for the viewer's status line).
    static std::string unavailable_reason();

private:
    unsigned texture_;
    int width_, height_;
    void* resource_ = nullptr;  // cudaGraphicsResource_t
};

}  // namespace nt
