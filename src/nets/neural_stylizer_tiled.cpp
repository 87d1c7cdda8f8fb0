// The neural methods' tile networks: a picture too big for the memory budget (or a forced --tile)
// runs its network tile by tile (nets/tiled_inference.h), every tile normalised with statistics
// taken once from a thumbnail of the whole picture (nets/norm_tape.h, URST):
//   fast style   the thumbnail's pass records every instance norm's mean and variance; each tile
//                replays them;
//   AdaIN        the thumbnail's relu4_1 statistics (per mask region) stand for the content's;
//   TorchScript  an opaque module: its norms cannot be reached, so tiles overlap and feather only
//                (a module with instance norms may show tile-to-tile differences; docs/MODELS.md).
#include <ATen/ATen.h>

#include "nets/neural_stylizer_tiled.h"

#include <memory>

#include "image/tensor_resize.h"
#include "nets/adain_net.h"
#include "nets/norm_tape.h"
#include "nets/script_model.h"

namespace nt {

namespace {

// A network's output for a window, cropped to the window (the networks round sizes up), float32.
at::Tensor crop_to(const at::Tensor& out, const at::Tensor& window) {
    return out.narrow(2, 0, window.size(2)).narrow(3, 0, window.size(3)).to(at::kFloat);
}

}  // namespace

TileNetwork fast_style_tile_network(const at::Tensor& thumbnail, const NeuralStylizer::Network& net,
                                    const CancelToken& cancel) {
    auto tape = std::make_shared<NormTape>();
    tape->record();
    net(thumbnail * 255.0, cancel, tape.get());
    return [tape, net, cancel](const at::Tensor& window, const TileRect&) {
        tape->replay();
        return crop_to(net(window * 255.0, cancel, tape.get()), window).div_(255.0).clamp_(0.0, 1.0);
    };
}

TileNetwork torchscript_tile_network(ScriptModel& model, c10::ScalarType dtype) {
    return [&model, dtype](const at::Tensor& window, const TileRect&) { return model.run(window.contiguous(), dtype); };
}

TileNetwork adain_tile_network(const at::Tensor& thumbnail, const RunContext& context,
                               const NeuralStylizer::Network& encoder, const NeuralStylizer::Network& decoder,
                               const std::vector<FeatureStats>& style_stats, const std::vector<double>& weights,
                               double alpha) {
    // The mask on a features' grid: an area average, as the whole run takes it.
    auto mask_for = [](const at::Tensor& m, const at::Tensor& features) {
        return m.defined() ? at::adaptive_avg_pool2d(m.to(at::kFloat), {features.size(2), features.size(3)})
                           : at::Tensor();
    };
    const at::Tensor& mask = context.mask;
    const at::Tensor fc = encoder(thumbnail, context.cancel, nullptr).to(at::kFloat);
    const at::Tensor thumb_mask =
        mask.defined() ? resize_tensor(mask, thumbnail.size(2), thumbnail.size(3)) : at::Tensor();
    const AdainContentStats stats =
        adain_content_stats(fc, mask_for(thumb_mask, fc), style_stats.size(), context.temporal);
    return [&context, mask_for, stats, encoder, decoder, style_stats, weights, alpha](const at::Tensor& window,
                                                                                      const TileRect& rect) {
        const at::Tensor& m = context.mask;
        const at::Tensor f = encoder(window, context.cancel, nullptr);
        const at::Tensor f32 = f.to(at::kFloat);
        const at::Tensor mask_window =
            m.defined() ? m.narrow(2, rect.in_y0, rect.in_h).narrow(3, rect.in_x0, rect.in_w) : at::Tensor();
        const at::Tensor feat =
            adain_target(f32, mask_for(mask_window, f32), stats, style_stats, weights, alpha).to(f.scalar_type());
        return crop_to(decoder(feat, context.cancel, nullptr), window).clamp_(0.0, 1.0);
    };
}

}  // namespace nt
