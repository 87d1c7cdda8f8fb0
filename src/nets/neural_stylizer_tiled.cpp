// The neural methods' tiled runs: a picture too big for the memory budget (or a forced --tile) runs
// its network tile by tile (nets/tiled_inference.h), every tile normalised with statistics
// taken once from a thumbnail of the whole picture (nets/norm_tape.h, URST):
//   fast style   the thumbnail's pass records every instance norm's mean and variance; each tile
//                replays them;
//   AdaIN        the thumbnail's relu4_1 statistics (per mask region) stand for the content's;
//   TorchScript  an opaque module: its norms cannot be reached, so tiles overlap and feather only
//                (a module with instance norms may show tile-to-tile differences; docs/MODELS.md).
#include <ATen/ATen.h>

#include "nets/neural_stylizer_tiled.h"

#include "nets/adain_net.h"
#include "nets/norm_tape.h"
#include "nets/script_model.h"
#include "nets/tiled_inference.h"
#include "image/tensor_resize.h"

namespace nt {

namespace {

// The picture at thumbnail size (itself when it is small enough).
at::Tensor thumbnail_of(const at::Tensor& picture) {
    const auto [h, w] = thumbnail_size(picture.size(2), picture.size(3));
    return resize_tensor(picture, h, w);
}

// A network's output for a window, cropped to the window (the networks round sizes up), float32.
at::Tensor crop_to(const at::Tensor& out, const at::Tensor& window) {
    return out.narrow(2, 0, window.size(2)).narrow(3, 0, window.size(3)).to(at::kFloat);
}

}  // namespace

at::Tensor fast_style_tiled(const at::Tensor& content, const NeuralStylizer::Network& net, int tile,
                            const CancelToken& cancel) {
    NormTape tape;
    tape.record();
    net(thumbnail_of(content) * 255.0, cancel, &tape);
    auto run_tile = [&](const at::Tensor& window, const TileRect&) {
        tape.replay();
        return crop_to(net(window * 255.0, cancel, &tape), window).div_(255.0).clamp_(0.0, 1.0);
    };
    return run_tiled(content, network_tile_settings(tile), run_tile, cancel);
}

at::Tensor torchscript_tiled(const at::Tensor& content, ScriptModel& model, c10::ScalarType dtype, int tile,
                             const CancelToken& cancel) {
    auto run_tile = [&](const at::Tensor& window, const TileRect&) { return model.run(window.contiguous(), dtype); };
    return run_tiled(content, network_tile_settings(tile), run_tile, cancel);
}

at::Tensor adain_tiled(const at::Tensor& content, const RunContext& context, const NeuralStylizer::Network& encoder,
                       const NeuralStylizer::Network& decoder, const std::vector<FeatureStats>& style_stats,
                       const std::vector<double>& weights, double alpha) {
    const CancelToken& cancel = context.cancel;
    const at::Tensor& mask = context.mask;
    // The mask on a features' grid: an area average, as the whole run takes it.
    auto mask_for = [](const at::Tensor& m, const at::Tensor& features) {
        return m.defined() ? at::adaptive_avg_pool2d(m.to(at::kFloat), {features.size(2), features.size(3)})
                           : at::Tensor();
    };
    AdainContentStats stats;
    {
        const at::Tensor thumb = thumbnail_of(content);
        const at::Tensor fc = encoder(thumb, cancel, nullptr).to(at::kFloat);
        const at::Tensor thumb_mask = mask.defined() ? resize_tensor(mask, thumb.size(2), thumb.size(3)) : at::Tensor();
        stats = adain_content_stats(fc, mask_for(thumb_mask, fc), style_stats.size(), context.temporal);
    }
    auto run_tile = [&](const at::Tensor& window, const TileRect& rect) {
        const at::Tensor fc = encoder(window, cancel, nullptr);
        const at::Tensor fc32 = fc.to(at::kFloat);
        const at::Tensor mask_window =
            mask.defined() ? mask.narrow(2, rect.in_y0, rect.in_h).narrow(3, rect.in_x0, rect.in_w) : at::Tensor();
        const at::Tensor feat =
            adain_target(fc32, mask_for(mask_window, fc32), stats, style_stats, weights, alpha).to(fc.scalar_type());
        return crop_to(decoder(feat, cancel, nullptr), window).clamp_(0.0, 1.0);
    };
    return run_tiled(content, network_tile_settings(context.tile), run_tile, cancel);
}

}  // namespace nt
