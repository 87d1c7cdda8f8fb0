#pragma once
// The viewer's per-frame blend: 8-bit RGB content and style straight into an 8-bit RGBA buffer
// ready for a GL texture upload, in fixed point. It reads two frames and writes one, so it runs
// at memory speed; the float path of the original (convert to float, blend, convert back,
// interleave) is kept as the reference it must match within one level (blend.h).
#include <ATen/Tensor.h>

#include <cstddef>
#include <cstdint>

namespace nt {

// The 8.8 fixed-point style weight used for `alpha` (0..256).
std::uint16_t blend_weight_q8(double alpha);

// out[y * out_stride + 4x + c] = ((256 - w) * content + w * style) >> 8 for c < 3, and 255 for
// alpha, w = blend_weight_q8(alpha). content and style are tightly packed RGB rows (3 * width
// bytes); out_stride >= 4 * width lets the caller write straight into a padded or mapped buffer.
// Multi-threaded with at::parallel_for over rows. Throws nt::Error for alpha outside [0, 1].
void blend_rgb_into_rgba8(const std::uint8_t* content, const std::uint8_t* style, int width, int height, double alpha,
                          std::uint8_t* out, std::size_t out_stride);

// Opaque RGBA8 from tightly packed RGB rows (content and style panels): the blend with weight 0,
// which copies its content exactly.
void rgb_to_rgba8(const std::uint8_t* rgb, int width, int height, std::uint8_t* out, std::size_t out_stride);

// The same on tensors: content and style uint8 [H, W, 3] contiguous on one device; returns (or
// fills `out`, if defined: uint8 [H, W, 4] contiguous on that device) the RGBA8 result. CPU
// tensors use the kernel above; CUDA tensors use LibTorch ops on the GPU, never the host.
at::Tensor blend_rgba8(const at::Tensor& content, const at::Tensor& style, double alpha, at::Tensor out = {});

}  // namespace nt
