#include "image/tensor_convert.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>

#include <cstring>
#include <string>

#include "base/error.h"

namespace nt {

namespace {

// CPU: [1, 3, h, w] float from the interleaved bytes of the window at (x0, y0), in one pass, each
// value v / 255 in float as the ATen chain below computes it. The chain's permuted byte copy and
// its float copy before the division are 15 bytes a pixel more at the peak (360 MB at 24 MP).
at::Tensor bytes_to_planes(const Image& image, int y0, int x0, int h, int w) {
    at::Tensor out = at::empty({1, 3, h, w}, at::kFloat);
    const std::int64_t n = std::int64_t(w) * h;
    float* r = out.data_ptr<float>();
    float* g = r + n;
    float* b = g + n;
    at::parallel_for(0, h, std::max<std::int64_t>(1, (1 << 14) / std::max(w, 1)),
                     [&](std::int64_t begin, std::int64_t end) {
                         for (std::int64_t y = begin; y < end; ++y) {
                             const std::uint8_t* src = image.at(x0, y0 + int(y));
                             const std::int64_t o = y * w;
                             for (std::int64_t x = 0; x < w; ++x) {
                                 r[o + x] = float(src[3 * x + 0]) / 255.0f;
                                 g[o + x] = float(src[3 * x + 1]) / 255.0f;
                                 b[o + x] = float(src[3 * x + 2]) / 255.0f;
                             }
                         }
                     });
    return out;
}

}  // namespace

at::Tensor image_to_tensor(const Image& image, c10::Device device) {
    if (image.empty()) throw Error("cannot convert an empty image to a tensor");
    return image_window_to_tensor(image, 0, 0, image.height, image.width, device);
}

at::Tensor image_window_to_tensor(const Image& image, std::int64_t y0, std::int64_t x0, std::int64_t h, std::int64_t w,
                                  c10::Device device) {
    if (image.empty() || h <= 0 || w <= 0) throw Error("cannot convert an empty image to a tensor");
    if (y0 < 0 || x0 < 0 || y0 + h > image.height || x0 + w > image.width)
        throw Error("image window",
                    "outside the " + std::to_string(image.width) + "x" + std::to_string(image.height) + " picture");
    if (device.is_cpu()) return bytes_to_planes(image, int(y0), int(x0), int(h), int(w));
    // from_blob does not copy; the .to(kFloat) below does, so the result owns its memory.
    const at::Tensor hwc =
        at::from_blob(const_cast<std::uint8_t*>(image.pixels.data()), {image.height, image.width, 3}, at::kByte)
            .narrow(0, y0, h)
            .narrow(1, x0, w);
    // Upload the compact uint8 pixels, then convert on the device (a quarter of the bytes to move).
    return hwc.contiguous().to(device).permute({2, 0, 1}).contiguous().to(at::kFloat).div(255).unsqueeze(0);
}

namespace {

// clamp(v, 0, 1) * 255 in float, truncated: ToPILImage's arithmetic. NaN gives 0 (converting
// NaN to an integer is undefined behaviour, which UBSan stops on).
inline std::uint8_t to_byte(float v) { return v > 0.0f ? std::uint8_t((v < 1.0f ? v : 1.0f) * 255.0f) : 0; }

// Contiguous float [3, H, W] planes -> interleaved bytes, Channels (3 or 4: alpha 255) a pixel.
template <int Channels>
void interleave_bytes(const at::Tensor& planes, std::uint8_t* dst) {
    const std::int64_t n = planes.size(1) * planes.size(2);
    const float* r = planes.data_ptr<float>();
    const float* g = r + n;
    const float* b = g + n;
    at::parallel_for(0, n, 1 << 14, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t i = begin; i < end; ++i) {
            std::uint8_t* p = dst + Channels * i;
            p[0] = to_byte(r[i]);
            p[1] = to_byte(g[i]);
            p[2] = to_byte(b[i]);
            if constexpr (Channels == 4) p[3] = 255;
        }
    });
}

// [1, 3, H, W] or [3, H, W] -> [3, H, W]; anything else is an error naming `who`.
at::Tensor three_planes(const at::Tensor& tensor, const char* who) {
    at::Tensor t = tensor;
    if (t.dim() == 4) {
        if (t.size(0) != 1) throw Error(std::string(who) + " expects a batch of one image");
        t = t.squeeze(0);
    }
    if (t.dim() != 3 || t.size(0) != 3) throw Error(std::string(who) + " expects a [3, H, W] tensor");
    return t;
}

// [3, H, W] float -> uint8 [H, W, 3] view, the way torchvision's ToPILImage converts.
at::Tensor to_hwc_bytes(const at::Tensor& tensor, const char* who) {
    return three_planes(tensor, who).clamp(0, 1).mul(255).to(at::kByte).permute({1, 2, 0});
}

Image image_from_hwc(const at::Tensor& hwc) {
    const at::Tensor host = hwc.contiguous().to(at::kCPU);
    Image image(int(host.size(1)), int(host.size(0)));
    std::memcpy(image.pixels.data(), host.data_ptr<std::uint8_t>(), image.pixels.size());
    return image;
}

}  // namespace

void tensor_into_image_rows(const at::Tensor& tensor, Image& image, std::int64_t y0) {
    const at::Tensor planes = three_planes(tensor, "tensor_into_image_rows");
    if (planes.size(2) != image.width || y0 < 0 || y0 + planes.size(1) > image.height)
        throw Error("tensor_into_image_rows", "the rows do not fit the " + std::to_string(image.width) + "x" +
                                                  std::to_string(image.height) + " picture");
    if (planes.is_cpu() && planes.scalar_type() == at::kFloat) {
        interleave_bytes<3>(planes.contiguous(), image.row(int(y0)));
        return;
    }
    const at::Tensor host = to_hwc_bytes(planes, "tensor_into_image_rows").contiguous().to(at::kCPU);
    std::memcpy(image.row(int(y0)), host.data_ptr<std::uint8_t>(), std::size_t(host.numel()));
}

Image tensor_to_image(const at::Tensor& tensor) {
    if (!tensor.is_cpu() || tensor.scalar_type() != at::kFloat)
        return image_from_hwc(to_hwc_bytes(tensor, "tensor_to_image"));
    // CPU: straight into the picture's bytes, the same arithmetic as to_hwc_bytes (clamp to 0..1,
    // times 255 in float, truncate); its chain held two float and two byte copies at the peak.
    const at::Tensor planes = three_planes(tensor, "tensor_to_image").contiguous();
    Image image{int(planes.size(2)), int(planes.size(1))};
    interleave_bytes<3>(planes, image.pixels.data());
    return image;
}

at::Tensor image_to_hwc_tensor(const Image& image, c10::Device device) {
    if (image.empty()) throw Error("cannot convert an empty image to a tensor");
    const at::Tensor hwc =
        at::from_blob(const_cast<std::uint8_t*>(image.pixels.data()), {image.height, image.width, 3}, at::kByte);
    return hwc.to(device, /*non_blocking=*/false, /*copy=*/true);
}

at::Tensor float_to_rgba8(const at::Tensor& tensor, at::Tensor out) {
    const at::Tensor planes = tensor.dim() == 4 ? tensor.squeeze(0) : tensor;
    if (planes.dim() != 3 || planes.size(0) != 3) throw Error("float_to_rgba8 expects a [3, H, W] tensor");
    const std::int64_t h = planes.size(1), w = planes.size(2);
    if (!out.defined() || !out.sizes().equals({h, w, 4}) || out.scalar_type() != at::kByte || !out.is_contiguous() ||
        out.device() != planes.device())
        out = at::empty({h, w, 4}, planes.options().dtype(at::kByte));
    if (planes.is_cuda() || planes.scalar_type() != at::kFloat) {
        out.narrow(2, 0, 3).copy_(to_hwc_bytes(planes, "float_to_rgba8"));
        out.narrow(2, 3, 1).fill_(255);
        return out;
    }
    // CPU: one pass from the three planes into interleaved RGBA. The ATen chain above allocates
    // three full-size temporaries and ends in a strided copy; this is the same arithmetic
    // (clamp to 0..1, times 255 in float, truncate), so the bytes are identical.
    interleave_bytes<4>(planes.contiguous(), out.data_ptr<std::uint8_t>());
    return out;
}

Image rgba8_to_image(const at::Tensor& rgba) {
    if (rgba.dim() != 3 || rgba.size(2) != 4 || rgba.scalar_type() != at::kByte)
        throw Error("rgba8_to_image expects a uint8 [H, W, 4] tensor");
    return image_from_hwc(rgba.narrow(2, 0, 3));
}

}  // namespace nt
