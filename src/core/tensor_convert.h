#pragma once
// Conversions between nt::Image (8-bit RGB, interleaved) and LibTorch tensors, following
// torchvision: ToTensor gives float32 [1, 3, H, W] in 0..1 (x / 255), and ToPILImage maps back
// with a clamp to 0..1 and a truncating x * 255 -> uint8.
#include <ATen/Tensor.h>
#include <c10/core/Device.h>

#include "core/image.h"

namespace nt {

// float32 NCHW [1, 3, H, W], values in 0..1, on `device`.
at::Tensor image_to_tensor(const Image& image, c10::Device device = c10::Device(c10::kCPU));

// From [1, 3, H, W] or [3, H, W] float in any range (clamped to 0..1), on any device.
Image tensor_to_image(const at::Tensor& tensor);

}  // namespace nt
