#include "viewer/pipeline/result_finishing.h"

#include <ATen/ATen.h>

#include "stylize/stylize.h"
#include "image/tensor_convert.h"
#include "image/tensor_resize.h"

namespace nt::viewer {

at::Tensor to_working_size(const at::Tensor& output, const at::Tensor& content) {
    return resize_tensor(output, content.size(2), content.size(3)).clamp(0.0, 1.0);
}

at::Tensor mix_output(const at::Tensor& content, const at::Tensor& full, double v, at::Tensor& buffer) {
    // `full` is already clamped (mix_by_strength clamps at 1), so this is
    // mix_by_strength(content, full, v) bit for bit.
    if (v <= 0.0) return content;
    if (v >= 1.0) return full;
    if (!buffer.defined() || !buffer.sizes().equals(full.sizes()) || buffer.device() != full.device())
        buffer = at::empty_like(full);
    return at::lerp_out(buffer, content, full, v);
}

at::Tensor finish_output(const FinishSpec& spec, const at::Tensor& stylized) {
    if (!spec.finish) return stylized;
    return finish_stylized(spec.content, stylized, spec.preserve_colors, spec.mask);
}

at::Tensor consistent(const at::Tensor& rgba, const FinishSpec& spec) {
    at::Tensor out = rgba.to(at::kCPU).contiguous();
    const at::Tensor input = spec.frame_input.to(at::kCPU).contiguous();
    spec.consistency->filter(PixelsView{input.data_ptr<std::uint8_t>(), int(input.size(1)), int(input.size(0)), 3},
                             MutablePixels{out.data_ptr<std::uint8_t>(), int(out.size(1)), int(out.size(0)), 4},
                             spec.frame, spec.look);
    return out.to(rgba.device());
}

FinishedResult finish_result(const at::Tensor& raw, const FinishSpec& spec, const CancelToken& cancel,
                             at::Tensor& mix_buffer) {
    FinishedResult r;
    r.output = spec.output_ready ? raw : to_working_size(raw, spec.content);
    cancel.check();
    const at::Tensor stylized = spec.mix ? mix_output(spec.content, r.output, *spec.mix, mix_buffer) : r.output;
    cancel.check();
    const at::Tensor finished = finish_output(spec, stylized);
    cancel.check();
    r.rgba = float_to_rgba8(finished);
    if (spec.consistency) {
        cancel.check();
        r.rgba = consistent(r.rgba, spec);
    }
    return r;
}

}  // namespace nt::viewer
