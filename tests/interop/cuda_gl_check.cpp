// Links the CUDA-GL interop library against the CUDA runtime and asks whether interop is usable.
// Registering a texture needs an NVIDIA GL context, which the GPU run of the viewer covers; here
// the check is that the library builds, links and answers (with a reason) instead of crashing
// on machines without a CUDA device.
#include <cstdio>

#include "display/interop/cuda_gl_texture.h"

int main() {
    const std::string reason = nt::CudaGlTexture::unavailable_reason();
    std::printf("CUDA-GL interop: %s\n", reason.empty() ? "available" : reason.c_str());
    return 0;
}
