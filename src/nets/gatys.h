#pragma once
// Gatys, Ecker and Bethge 2016, "Image Style Transfer Using Convolutional Neural Networks": the
// picture itself is optimised so that its VGG-19 features match the content's at one layer and
// its Gram matrices match the style's at several. Definitions as neural-style-pt's
// (ProGamerGov/neural-style-pt, itself jcjohnson/neural-style), so its settings carry over:
//   content loss  content_weight * mean((F_l(x) - F_l(c))^2)            at relu4_2
//   style loss    style_weight * sum over layers of mean((G_l(x) - G_l(s))^2),
//                 G = F F^T / (C H W), at relu1_1, relu2_1, relu3_1, relu4_1, relu5_1
//   TV loss       tv_weight * (sum |x(i+1, j) - x(i, j)| + sum |x(i, j+1) - x(i, j)|)
// in the network's pixel space (nets/vgg19.h: RGB 0..255 for the Caffe file, 0..1 for the
// others). Several styles mix their Gram targets by weight. The optimiser is L-BFGS as
// neural-style-pt runs it (history 100, learning rate 1, no line search, tolerances off; one
// "iteration" is one evaluation of the losses and their gradient), or Adam.
#include <ATen/Tensor.h>

#include <cstdint>
#include <string>
#include <vector>

#include "base/cancel.h"
#include "methods/method.h"

namespace nt {

class Vgg19FeaturesImpl;

enum class GatysOptimizer { Lbfgs = 0, Adam = 1 };
enum class GatysInit { Content = 0, Random = 1 };

struct GatysSettings {
    std::vector<std::string> style_layers = {"relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1"};
    std::string content_layer = "relu4_2";
    double content_weight = 5.0;
    double style_weight = 100.0;
    double tv_weight = 1e-3;
    int iterations = 300;
    GatysOptimizer optimizer = GatysOptimizer::Lbfgs;
    double learning_rate = 1.0;
    GatysInit init = GatysInit::Content;
    // Each style at this times its size for the content: its own aspect at about the content's
    // area, never upscaled (style_working_size in image/sizing.h).
    double style_scale = 1.0;
    std::uint64_t seed = 0;
    // L-BFGS keeps 2 x history copies of the picture: the history is lowered so they stay within
    // this budget (2,048 x 2,048 would need 10 GB at 100).
    std::int64_t history_bytes = std::int64_t(1) << 30;
    // The VGG's forward and backward passes in bf16 (CPU autocast, channels-last); the Grams,
    // the losses, the gradient and the optimiser stay float32 (about 2x faster per iteration on
    // CPUs with AVX512-BF16, docs/PERFORMANCE.md).
    bool bf16 = false;
};

// The settings for resolved registry parameters (make_gatys_method's).
GatysSettings gatys_settings(const ParamValues& params);

// The L-BFGS history for a picture of `pixels` pixels within the settings' budget (5..100).
int lbfgs_history(const GatysSettings& s, std::int64_t pixels);

// The losses of one evaluation, weighted as above.
struct GatysLosses {
    double content = 0, style = 0, tv = 0;
    double total() const { return content + style + tv; }
};

// The losses at `image` (pixel space, like content), without optimising: what the first
// iteration sees. styles: RGB 0..1 [1, 3, h, w] (any sizes); content likewise; weights one per
// style (empty: equal).
GatysLosses gatys_losses(Vgg19FeaturesImpl& net, const at::Tensor& content, const std::vector<at::Tensor>& styles,
                         const std::vector<double>& weights, const GatysSettings& s, const at::Tensor& image);

// Runs the optimisation from the content (or seeded noise, or `init` when defined: RGB 0..1 at
// the content's size) and returns the picture, RGB 0..1 [1, 3, H, W] on the content's device.
// After every iteration `on_step` gets the picture so far (RGB, clamped to 0..1) with the
// losses as StepReport::values ("loss", "content", "style", "tv"); `cancel` is checked as often.
// Runs with autograd on whatever the caller's mode (inference-mode inputs are copied).
at::Tensor gatys_transfer(Vgg19FeaturesImpl& net, const at::Tensor& content, const std::vector<at::Tensor>& styles,
                          const std::vector<double>& weights, const GatysSettings& s, const StepCallback& on_step = {},
                          const CancelToken& cancel = {}, const at::Tensor& init = {});

// The registry entry: run() needs a models/vgg19 network from RunContext::models.
std::unique_ptr<Method> make_gatys_method();

}  // namespace nt
