#pragma once
// Conversions between nt::Image (8-bit RGB, interleaved) and LibTorch tensors, following
// torchvision: ToTensor gives float32 [1, 3, H, W] in 0..1 (x / 255), and ToPILImage maps back
// with a clamp to 0..1 and a truncating x * 255 -> uint8.
#include <ATen/Tensor.h>
#include <c10/core/Device.h>

#include "image/image.h"

namespace nt {

// float32 NCHW [1, 3, H, W], values in 0..1, on `device`.
at::Tensor image_to_tensor(const Image& image, c10::Device device = c10::Device(c10::kCPU));

// The window of h rows and w columns at (x0, y0) only, as image_to_tensor converts it (a tile of
// a picture too big to hold in float). Throws nt::Error for a window outside the picture.
at::Tensor image_window_to_tensor(const Image& image, std::int64_t y0, std::int64_t x0, std::int64_t h, std::int64_t w,
                                  c10::Device device = c10::Device(c10::kCPU));

// From [1, 3, H, W] or [3, H, W] float in any range (clamped to 0..1), on any device.
Image tensor_to_image(const at::Tensor& tensor);

// Rows y0 .. y0 + n of `image` from a [1, 3, n, W] or [3, n, W] float tensor, converted as
// tensor_to_image does: a picture written band by band. Throws nt::Error when they do not fit.
void tensor_into_image_rows(const at::Tensor& tensor, Image& image, std::int64_t y0);

// uint8 HWC [H, W, 3] on `device`: the compact form for the fixed-point display path.
at::Tensor image_to_hwc_tensor(const Image& image, c10::Device device = c10::Device(c10::kCPU));

// Display-ready RGBA8 [H, W, 4] from a float [1, 3, H, W] or [3, H, W] result, converted exactly as
// tensor_to_image does (clamp, truncating x * 255), on the tensor's device. Fills `out` when it is
// a defined contiguous uint8 [H, W, 4] tensor on that device, else allocates.
at::Tensor float_to_rgba8(const at::Tensor& tensor, at::Tensor out = {});

// The RGB picture in an RGBA8 [H, W, 4] tensor on any device (alpha dropped).
Image rgba8_to_image(const at::Tensor& rgba);

}  // namespace nt
