#include "core/tensor_convert.h"

#include <ATen/ATen.h>

#include <cstring>

#include "core/error.h"

namespace nt {

at::Tensor image_to_tensor(const Image& image, c10::Device device) {
    if (image.empty()) throw Error("cannot convert an empty image to a tensor");
    // from_blob does not copy; the .to(kFloat) below does, so the result owns its memory.
    const at::Tensor hwc = at::from_blob(const_cast<std::uint8_t*>(image.pixels.data()),
                                         {image.height, image.width, 3}, at::kByte);
    // Upload the compact uint8 pixels, then convert on the device (a quarter of the bytes to move).
    return hwc.to(device).permute({2, 0, 1}).contiguous().to(at::kFloat).div(255).unsqueeze(0);
}

Image tensor_to_image(const at::Tensor& tensor) {
    at::Tensor t = tensor;
    if (t.dim() == 4) {
        if (t.size(0) != 1) throw Error("tensor_to_image expects a batch of one image");
        t = t.squeeze(0);
    }
    if (t.dim() != 3 || t.size(0) != 3) throw Error("tensor_to_image expects a [3, H, W] tensor");
    const at::Tensor hwc =
        t.clamp(0, 1).mul(255).to(at::kByte).permute({1, 2, 0}).contiguous().to(at::kCPU);
    Image image(int(hwc.size(1)), int(hwc.size(0)));
    std::memcpy(image.pixels.data(), hwc.data_ptr<std::uint8_t>(), image.pixels.size());
    return image;
}

}  // namespace nt
