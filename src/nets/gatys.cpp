#include "nets/gatys.h"
#include "nets/gatys_levels.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <c10/core/InferenceMode.h>
#include <torch/csrc/autograd/generated/variable_factories.h>
#include <torch/optim/adam.h>
#include <torch/optim/lbfgs.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "base/error.h"
#include "nets/cpu_autocast.h"
#include "nets/neural_methods.h"
#include "nets/neural_stylizer.h"
#include "nets/vgg19.h"
#include "image/sizing.h"
#include "image/tensor_resize.h"

namespace nt {

namespace {

// The VGG's features at `layers`, float32: under bf16 the convolutions run in bf16 and the
// features come back to float32 before any Gram or loss (a Gram's sums need the mantissa).
std::vector<at::Tensor> features(Vgg19FeaturesImpl& net, const at::Tensor& x, const std::vector<int>& layers, bool bf16,
                                 const CancelToken& cancel = CancelToken()) {
    if (!bf16 || x.is_cuda()) return net.forward(x, layers, cancel);
    std::vector<at::Tensor> f;
    {
        CpuAutocast autocast;
        f = net.forward(x.contiguous(at::MemoryFormat::ChannelsLast), layers, cancel);
    }
    for (at::Tensor& t : f) t = t.to(at::kFloat).contiguous();
    return f;
}

at::Tensor gram(const at::Tensor& f) {
    const at::Tensor flat = f.reshape({f.size(1), -1});
    return at::matmul(flat, flat.t()) / double(f.numel());
}

// The fixed targets: the content's features at the content layer and the styles' mixed Grams.
struct Targets {
    std::vector<int> layers;  // style layers, then the content layer last
    at::Tensor content;
    std::vector<at::Tensor> grams;
};

std::vector<double> normalised_weights(const std::vector<double>& weights, std::size_t styles) {
    std::vector<double> w = weights.empty() ? std::vector<double>(styles, 1.0) : weights;
    if (w.size() != styles) throw Error("gatys", "expected one weight per style picture");
    double sum = 0;
    for (double v : w) {
        if (!(v >= 0)) throw Error("gatys", "style weights must be numbers >= 0");
        sum += v;
    }
    if (sum <= 0) throw Error("gatys", "at least one style weight must be above 0");
    for (double& v : w) v /= sum;
    return w;
}

// The style at style_scale times its size for this content: its own aspect at about the
// content's area, never upscaled (style_working_size, the rule the pipeline sized it by, so a
// style it gives is kept as it is), then scaled (antialiased when it shrinks). The Grams are
// means over the positions, so a style of another size than the content compares as is. At
// least 16 pixels a side for VGG's pooling.
at::Tensor scaled_style(const at::Tensor& style, const at::Tensor& content, double style_scale) {
    const Size2 base =
        style_working_size({int(style.size(3)), int(style.size(2))}, {int(content.size(3)), int(content.size(2))});
    const std::int64_t h = std::max<std::int64_t>(16, std::llround(double(base.height) * style_scale));
    const std::int64_t w = std::max<std::int64_t>(16, std::llround(double(base.width) * style_scale));
    return resize_tensor(style, h, w);
}

Targets make_targets(Vgg19FeaturesImpl& net, const at::Tensor& content, const std::vector<at::Tensor>& styles,
                     const std::vector<double>& weights, const GatysSettings& s) {
    if (styles.empty()) throw Error("gatys", "needs a style picture");
    Targets t;
    for (const std::string& name : s.style_layers) t.layers.push_back(vgg_relu_index(name));
    const int content_layer = vgg_relu_index(s.content_layer);
    const std::vector<double> w = normalised_weights(weights, styles.size());
    const double scale = net.pixel_scale();
    t.content = features(net, content * scale, {content_layer}, s.bf16).at(0).detach();
    t.grams.assign(t.layers.size(), at::Tensor());
    for (std::size_t i = 0; i < styles.size(); ++i) {
        const std::vector<at::Tensor> f =
            features(net, scaled_style(styles[i], content, s.style_scale) * scale, t.layers, s.bf16);
        for (std::size_t l = 0; l < f.size(); ++l) {
            const at::Tensor g = (gram(f[l]) * w[i]).detach();
            t.grams[l] = t.grams[l].defined() ? t.grams[l] + g : g;
        }
    }
    t.layers.push_back(content_layer);
    return t;
}

// The three weighted losses at x (pixel space), differentiable.
struct LossTerms {
    at::Tensor content, style, tv;
    at::Tensor total() const { return content + style + tv; }
};

LossTerms loss_terms(Vgg19FeaturesImpl& net, const Targets& t, const GatysSettings& s, const at::Tensor& x,
                     const CancelToken& cancel) {
    const std::vector<at::Tensor> f = features(net, x, t.layers, s.bf16, cancel);
    LossTerms l;
    l.content = at::mse_loss(f.back(), t.content) * s.content_weight;
    l.style = at::zeros({}, x.options());
    for (std::size_t i = 0; i + 1 < f.size(); ++i) l.style = l.style + at::mse_loss(gram(f[i]), t.grams[i]);
    l.style = l.style * s.style_weight;
    const at::Tensor dy = x.narrow(2, 1, x.size(2) - 1) - x.narrow(2, 0, x.size(2) - 1);
    const at::Tensor dx = x.narrow(3, 1, x.size(3) - 1) - x.narrow(3, 0, x.size(3) - 1);
    l.tv = (dy.abs().sum() + dx.abs().sum()) * s.tv_weight;
    return l;
}

// A normal (not inference-mode), contiguous copy: inputs may come from InferenceMode code, and
// views of other layouts (the viewer's pictures are permuted HWC); L-BFGS flattens with view().
at::Tensor plain(const at::Tensor& t) { return t.defined() ? t.detach().clone(at::MemoryFormat::Contiguous) : t; }

at::Tensor initial_picture(const at::Tensor& content, const at::Tensor& init, const GatysSettings& s, double scale) {
    if (init.defined()) return plain(init) * scale;
    if (s.init == GatysInit::Content) return plain(content) * scale;
    // neural-style-pt's random init, randn * 0.001 in the network's input space: grey plus a
    // trace of seeded noise (drawn on the CPU, so every device starts alike).
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(s.seed);
    const at::Tensor noise = at::randn(content.sizes(), gen, at::TensorOptions().dtype(content.scalar_type()));
    return (0.5 + 0.001 * noise.to(content.device())) * scale;
}

StepReport report(int step, int total, GatysOptimizer optimizer, const at::Tensor& x, double scale,
                  const LossTerms& l) {
    StepReport r;
    r.step = step;
    r.total = total;
    r.stage = optimizer == GatysOptimizer::Lbfgs ? "L-BFGS" : "Adam";
    r.estimate = (x.detach() / scale).clamp(0.0, 1.0);
    const double c = l.content.item<double>(), st = l.style.item<double>(), tv = l.tv.item<double>();
    r.values = {{"loss", c + st + tv}, {"content", c}, {"style", st}, {"tv", tv}};
    return r;
}

}  // namespace

GatysSettings gatys_settings(const ParamValues& p) {
    GatysSettings s;
    s.content_weight = p.at("content_weight");
    s.style_weight = p.at("style_weight");
    s.tv_weight = p.at("tv_weight");
    s.iterations = int(p.at("iterations"));
    s.optimizer = GatysOptimizer(int(p.at("optimizer")));
    s.learning_rate = p.at("learning_rate");
    s.init = GatysInit(int(p.at("init")));
    s.style_scale = p.at("style_scale");
    s.content_layer = vgg_relu_names().at(std::size_t(p.at("content_layer")));
    s.seed = static_cast<std::uint64_t>(p.at("seed"));
    return s;
}

int lbfgs_history(const GatysSettings& s, std::int64_t pixels) {
    const std::int64_t per_entry = 2 * 3 * pixels * std::int64_t(sizeof(float));
    return int(std::clamp<std::int64_t>(s.history_bytes / std::max<std::int64_t>(1, per_entry), 5, 100));
}

GatysLosses gatys_losses(Vgg19FeaturesImpl& net, const at::Tensor& content, const std::vector<at::Tensor>& styles,
                         const std::vector<double>& weights, const GatysSettings& s, const at::Tensor& image) {
    c10::InferenceMode guard;
    const Targets t = make_targets(net, content, styles, weights, s);
    const LossTerms l = loss_terms(net, t, s, image * net.pixel_scale(), CancelToken());
    return {l.content.item<double>(), l.style.item<double>(), l.tv.item<double>()};
}

at::Tensor gatys_transfer(Vgg19FeaturesImpl& net, const at::Tensor& content_in,
                          const std::vector<at::Tensor>& styles_in, const std::vector<double>& weights,
                          const GatysSettings& s, const StepCallback& on_step, const CancelToken& cancel,
                          const at::Tensor& init) {
    c10::InferenceMode off(false);
    at::AutoGradMode grad(true);
    const at::Tensor content = plain(content_in);
    std::vector<at::Tensor> styles;
    for (const at::Tensor& st : styles_in) styles.push_back(plain(st));
    const double scale = net.pixel_scale();
    Targets targets;
    {
        at::NoGradGuard no_grad;
        targets = make_targets(net, content, styles, weights, s);
    }
    at::Tensor x = initial_picture(content, init, s, scale).set_requires_grad(true);
    int step = 0;
    LossTerms last;
    auto evaluate = [&] {
        cancel.check();
        const LossTerms l = loss_terms(net, targets, s, x, cancel);
        const at::Tensor total = l.total();
        total.backward();
        last = {l.content.detach(), l.style.detach(), l.tv.detach()};
        ++step;
        if (on_step && step <= s.iterations) on_step(report(step, s.iterations, s.optimizer, x, scale, last));
        return total.detach();
    };
    if (s.optimizer == GatysOptimizer::Lbfgs) {
        torch::optim::LBFGS opt({x}, torch::optim::LBFGSOptions(s.learning_rate)
                                         .max_iter(s.iterations)
                                         .history_size(lbfgs_history(s, content.size(2) * content.size(3)))
                                         .tolerance_grad(-1)
                                         .tolerance_change(-1));
        opt.step([&] {
            opt.zero_grad();
            return evaluate();
        });
    } else {
        torch::optim::Adam opt({x}, torch::optim::AdamOptions(s.learning_rate));
        for (int i = 0; i < s.iterations; ++i) {
            opt.zero_grad();
            evaluate();
            opt.step();
        }
    }
    return (x.detach() / scale).clamp(0.0, 1.0);
}

namespace {

// Peak memory (MethodInfo::memory), float32 L-BFGS on the CPU, measured as peak RSS over the
// CLI's (docs/PERFORMANCE.md, "Full resolution"): VGG-19 and the L-BFGS history (at most
// GatysSettings::history_bytes), then the activations kept for the backward pass. The libraries
// (the 1.4 GiB measured with them) are the pipeline's kProcessBytes.
constexpr MemoryModel kGatysMemory{(1LL << 30) + (400LL << 20) - (384LL << 20), 2000.0};

// Coarse to fine (gatys_levels.h) with the VGG-19 of RunContext::models named by RunContext::model.
class GatysMethod final : public Method {
public:
    GatysMethod() {
        info_ = MethodInfo{
            "gatys",
            "Neural style (Gatys, VGG-19)",
            "Gatys et al. 2016: the picture is optimised until its VGG-19 features match the content and its Gram "
            "matrices the style (a network in models/vgg19).",
            {{"content_weight", "Content weight", "Weight of the content loss at relu4_2.", 0.0, 1e6, 5.0},
             {"style_weight", "Style weight", "Weight of the Gram-matrix style loss (relu1_1 .. relu5_1).", 0.0, 1e9,
              100.0},
             {"tv_weight", "TV weight", "Weight of the total-variation smoothness term.", 0.0, 10.0, 1e-3},
             {"iterations", "Iterations", "Evaluations of the losses and their gradient.", 1, 5000, 300, true},
             {"optimizer",
              "Optimizer",
              "L-BFGS (as neural-style) or Adam (less memory).",
              0,
              1,
              0,
              true,
              {"lbfgs", "adam"}},
             {"learning_rate", "Learning rate",
              "Step size: 1 for L-BFGS; for Adam about 10 with the Caffe VGG, "
              "0.02 with the others.",
              1e-4, 1000.0, 1.0},
             {"init",
              "Start from",
              "The content picture, or grey with seeded noise.",
              0,
              1,
              0,
              true,
              {"content", "random"}},
             {"style_scale", "Style scale", "The style picture's size relative to the content's.", 0.1, 4.0, 1.0},
             {"seed", "Seed", "The noise of the random start.", 0, 9999, 0, true},
             {"content_layer", "Content layer", "The VGG-19 layer whose features the content loss compares.", 0,
              double(vgg_relu_names().size() - 1), double(vgg_relu_index("relu4_2")), true, vgg_relu_names()}},
            true,
            ""};
        for (ParamSpec& p : info_.params)
            if (p.name.find("weight") != std::string::npos || p.name == "learning_rate") p.logarithmic = true;
        info_.model_kind = ModelKind::Vgg19;
        info_.iterative = true;
        info_.starts_from_picture = true;
        info_.follows_precision = true;  // bf16 on the CPU; CUDA runs it in float32
        info_.max_styles = 16;
        info_.coarse_to_fine = true;
        info_.memory = kGatysMemory;
    }
    const MethodInfo& info() const override { return info_; }
    at::Tensor apply(const at::Tensor& content, const at::Tensor& style, const ParamValues& params) const override {
        return run(content, style, params, RunContext{});  // throws: it needs its VGG-19
    }
    at::Tensor run(const at::Tensor& content, const at::Tensor& style, const ParamValues& params,
                   const RunContext& context) const override {
        NeuralStylizer& models = models_for(info_, context);
        const c10::ScalarType dtype = begin_network_run(info_, models, content);
        const std::vector<at::Tensor> styles = all_styles(style, context);
        for (const at::Tensor& s : styles) check_image_tensor("gatys style", s);
        GatysSettings settings = gatys_settings(params);
        // bf16 on the CPU only (CUDA runs Gatys in float32 whatever the setting).
        settings.bf16 = dtype == at::kBFloat16 && !content.is_cuda();
        models.set_last_precision(settings.bf16 ? "bf16" : "fp32");
        if (!context.style_layers.empty()) settings.style_layers = context.style_layers;
        const bool capped = context.top_height > 0 && context.top_width > 0;
        return gatys_coarse_to_fine(models.vgg19(context.model, content), content, styles, context.style_weights,
                                    settings, capped ? context.top_height : content.size(2),
                                    capped ? context.top_width : content.size(3), context.on_step, context.cancel,
                                    context.init);
    }
    void prepare(const at::Tensor& content, const RunContext& context) const override {
        check_image_tensor(info_.name.c_str(), content);
        NeuralStylizer& models = models_for(info_, context);
        models.compute_dtype(content);  // a format the device lacks is refused here too
        models.vgg19(context.model, content);
    }
    // Coarse to fine (gatys_levels.h): the levels' iterations in all (fewer when the budget caps
    // the top level).
    int total_steps(int height, int width, const ParamValues& params) const override {
        return gatys_level_steps(gatys_levels(height, width, int(resolve_params(info_, params).at("iterations"))));
    }

private:
    MethodInfo info_;
};

}  // namespace

std::unique_ptr<Method> make_gatys_method() { return std::make_unique<GatysMethod>(); }

}  // namespace nt
