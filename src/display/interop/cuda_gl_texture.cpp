#include "display/interop/cuda_gl_texture.h"

// cuda_gl_interop.h needs the GL types first.
#include <GL/gl.h>
#include <cuda_gl_interop.h>
#include <cuda_runtime.h>

#include "base/error.h"

namespace nt {

namespace {

void check(cudaError_t status, const char* what) {
    if (status != cudaSuccess) throw Error(std::string("CUDA-GL interop: ") + what + ": " + cudaGetErrorString(status));
}

cudaGraphicsResource_t as_resource(void* p) { return static_cast<cudaGraphicsResource_t>(p); }

}  // namespace

CudaGlTexture::CudaGlTexture(unsigned gl_texture, int width, int height)
    : texture_(gl_texture), width_(width), height_(height) {
    cudaGraphicsResource_t resource = nullptr;
    // WriteDiscard: CUDA overwrites the whole texture, so the driver need not preserve its contents.
    check(cudaGraphicsGLRegisterImage(&resource, gl_texture, GL_TEXTURE_2D, cudaGraphicsRegisterFlagsWriteDiscard),
          "registering the texture");
    resource_ = resource;
}

CudaGlTexture::~CudaGlTexture() {
    if (resource_) cudaGraphicsUnregisterResource(as_resource(resource_));
}

void CudaGlTexture::copy_from_device(const void* device_rgba, std::size_t pitch, void* cuda_stream) {
    cudaGraphicsResource_t resource = as_resource(resource_);
    const cudaStream_t stream = static_cast<cudaStream_t>(cuda_stream);
    check(cudaGraphicsMapResources(1, &resource, stream), "mapping the texture");
    cudaArray_t array = nullptr;
    cudaError_t status = cudaGraphicsSubResourceGetMappedArray(&array, resource, 0, 0);
    if (status == cudaSuccess)
        status = cudaMemcpy2DToArrayAsync(array, 0, 0, device_rgba, pitch, std::size_t(width_) * 4, height_,
                                          cudaMemcpyDeviceToDevice, stream);
    // Unmap even after a failed copy, so the texture stays usable by GL.
    const cudaError_t unmap = cudaGraphicsUnmapResources(1, &resource, stream);
    check(status, "copying into the texture");
    check(unmap, "unmapping the texture");
}

std::string CudaGlTexture::unavailable_reason() {
    int count = 0;
    const cudaError_t status = cudaGetDeviceCount(&count);
    if (status != cudaSuccess) return std::string("no CUDA device: ") + cudaGetErrorString(status);
    if (count == 0) return "no CUDA device";
    // The GL context must be on an NVIDIA GPU that CUDA sees (not Mesa, not another vendor).
    unsigned int gl_devices = 0;
    int device = 0;
    const cudaError_t gl_status = cudaGLGetDevices(&gl_devices, &device, 1, cudaGLDeviceListAll);
    if (gl_status != cudaSuccess || gl_devices == 0)
        return std::string("the OpenGL context is not on a CUDA device") +
               (gl_status != cudaSuccess ? std::string(" (") + cudaGetErrorString(gl_status) + ")" : std::string());
    return {};
}

}  // namespace nt
