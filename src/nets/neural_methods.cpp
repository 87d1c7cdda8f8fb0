#include "nets/neural_methods.h"

#include <ATen/ATen.h>

#include <string>
#include <tuple>
#include <utility>

#include "base/error.h"
#include "methods/strength.h"
#include "nets/adain_net.h"
#include "nets/neural_stylizer.h"
#include "nets/neural_stylizer_tiled.h"
#include "nets/script_model.h"
#include "nets/tiled_inference.h"

namespace nt {

NeuralStylizer& models_for(const MethodInfo& info, const RunContext& context) {
    if (!context.models)
        throw Error(info.name, "needs a model: run it with its models (RunContext::models; nt::stylize makes them)");
    return *context.models;
}

c10::ScalarType begin_network_run(const MethodInfo& info, NeuralStylizer& models, const at::Tensor& content) {
    check_image_tensor(info.name.c_str(), content);
    // Methods that do not follow the setting compute in float32.
    const c10::ScalarType dtype = info.follows_precision ? models.compute_dtype(content) : at::kFloat;
    models.set_last_precision(dtype == at::kBFloat16 ? "bf16" : dtype == at::kHalf ? "fp16" : "fp32");
    return dtype;
}

std::vector<at::Tensor> all_styles(const at::Tensor& style, const RunContext& context) {
    std::vector<at::Tensor> styles;
    if (style.defined()) styles.push_back(style);
    styles.insert(styles.end(), context.extra_styles.begin(), context.extra_styles.end());
    return styles;
}

namespace {

// Peak memory of a whole-picture run beyond the pipeline's pictures (MethodInfo::memory) in
// float32 on the CPU: the libraries and weights, then the activations per pixel. From the CLI's
// peak RSS at 0.25 and 1 MP (docs/PERFORMANCE.md, "Full resolution"): fast style 255 MB and 694
// B/px, AdaIN 1,861 B/px (its style encoded at the working size too); raised to cover the tiled
// runs of the sweep (24 MP fast style in tiles of 1024: 2,132 MiB; 4 MP AdaIN: 2,817 MiB, where
// each tile size also gets its own oneDNN primitives). In bf16 or fp16 the per-pixel part is
// smaller (kHalfPrecisionShare, stylize/memory_budget.h).
constexpr MemoryModel kFastStyleMemory{256LL << 20, 1000.0};
// AdaIN's thumbnail runs the encoder to relu4_1 only: 370 B/px of thumbnail in bf16, measured
// (docs/PERFORMANCE.md, "Full resolution"), against 570 to 710 for a whole run; half, rounded up.
constexpr MemoryModel kAdainMemory{256LL << 20, 2800.0, 0.5};
// A user's module is unknown: more than fast style, as TorchScript runs it layer by layer.
constexpr MemoryModel kTorchScriptMemory{256LL << 20, 2000.0};

// A method whose work needs models: apply() is run() without them, which throws.
class NetworkMethod : public Method {
public:
    explicit NetworkMethod(MethodInfo info) : info_(std::move(info)) {}
    const MethodInfo& info() const override { return info_; }
    at::Tensor apply(const at::Tensor& content, const at::Tensor& style, const ParamValues& params) const override {
        return run(content, style, params, RunContext{});
    }

protected:
    // run() in tiles of context.tile: the method's tile_network, with the statistics of the
    // content's thumbnail, over the content (nets/tiled_inference.h).
    at::Tensor run_in_tiles(const at::Tensor& content, const at::Tensor& style, const ParamValues& params,
                            const RunContext& context) const {
        return run_tiled(content, network_tile_settings(context.tile),
                         tile_network(thumbnail_of(content), style, params, context), context.cancel);
    }

    MethodInfo info_;
};

// Johnson et al.: the transformer network in pixel units, mixed with the content by strength.
class FastStyleMethod final : public NetworkMethod {
public:
    using NetworkMethod::NetworkMethod;
    at::Tensor run(const at::Tensor& content, const at::Tensor&, const ParamValues& params,
                   const RunContext& context) const override {
        if (context.tile > 0) return run_in_tiles(content, at::Tensor(), params, context);
        NeuralStylizer& models = models_for(info_, context);
        const c10::ScalarType dtype = begin_network_run(info_, models, content);
        const NeuralStylizer::Network net = models.transformer(context.model, content, dtype);
        const double strength = params.at("strength");
        const at::Tensor out = net(content * 255.0, context.cancel, nullptr);
        // Two stride-2 convolutions and two 2x upsamplings: sides that are not multiples of 4 come
        // back up to 3 pixels larger, the extra rows and columns at the bottom and right.
        const at::Tensor full = out.narrow(2, 0, content.size(2))
                                    .narrow(3, 0, content.size(3))
                                    .to(at::kFloat)
                                    .div(255.0)
                                    .clamp_(0.0, 1.0)
                                    .contiguous();
        // The network's picture is clamped already: at strength 1 it is the result (no full-size copy).
        return strength >= 1.0 ? full : mix_by_strength(content, full, strength);
    }
    TileNetwork tile_network(const at::Tensor& thumbnail, const at::Tensor&, const ParamValues& params,
                             const RunContext& context) const override {
        NeuralStylizer& models = models_for(info_, context);
        const c10::ScalarType dtype = begin_network_run(info_, models, thumbnail);
        const TileNetwork net =
            fast_style_tile_network(thumbnail, models.transformer(context.model, thumbnail, dtype), context.cancel);
        const double strength = params.at("strength");
        if (strength >= 1.0) return net;
        return [net, strength](const at::Tensor& window, const TileRect& rect) {
            return mix_by_strength(window, net(window, rect), strength);
        };
    }
    void prepare(const at::Tensor& content, const RunContext& context) const override {
        check_image_tensor(info_.name.c_str(), content);
        NeuralStylizer& models = models_for(info_, context);
        models.transformer(context.model, content, models.compute_dtype(content));
    }
};

// A user's image-to-image module, mixed with the content by strength.
class TorchScriptMethod final : public NetworkMethod {
public:
    using NetworkMethod::NetworkMethod;
    at::Tensor run(const at::Tensor& content, const at::Tensor&, const ParamValues& params,
                   const RunContext& context) const override {
        if (context.tile > 0) return run_in_tiles(content, at::Tensor(), params, context);
        NeuralStylizer& models = models_for(info_, context);
        const c10::ScalarType dtype = begin_network_run(info_, models, content);
        ScriptModel& model = models.script(context.model);
        context.cancel.check();
        const at::Tensor full = model.run(content, dtype);
        if (model.bf16_refused() && dtype == at::kBFloat16) models.set_last_precision("fp32 (the model refuses bf16)");
        context.cancel.check();
        return mix_by_strength(content, full, params.at("strength"));
    }
    // An opaque module: the thumbnail only picks the device and number format.
    TileNetwork tile_network(const at::Tensor& thumbnail, const at::Tensor&, const ParamValues& params,
                             const RunContext& context) const override {
        NeuralStylizer& models = models_for(info_, context);
        const c10::ScalarType dtype = begin_network_run(info_, models, thumbnail);
        ScriptModel& model = models.script(context.model);
        const TileNetwork net = torchscript_tile_network(model, dtype);
        const double strength = params.at("strength");
        return [net, strength, &model, &models, dtype](const at::Tensor& window, const TileRect& rect) {
            const at::Tensor out = mix_by_strength(window, net(window, rect), strength);
            if (model.bf16_refused() && dtype == at::kBFloat16)
                models.set_last_precision("fp32 (the model refuses bf16)");
            return out;
        };
    }
    void prepare(const at::Tensor& content, const RunContext& context) const override {
        check_image_tensor(info_.name.c_str(), content);
        NeuralStylizer& models = models_for(info_, context);
        models.compute_dtype(content);  // a format the device lacks is refused here too
        models.script(context.model);
    }
};

void check_adain_request(const std::vector<at::Tensor>& styles, const RunContext& context) {
    if (styles.empty()) throw Error("adain", "needs at least one style picture");
    if (styles.size() > std::size_t(kMaxAdainStyles))
        throw Error("adain", "mixes at most " + std::to_string(kMaxAdainStyles) + " styles");
    for (const at::Tensor& s : styles) check_image_tensor("adain style", s);
    if (context.mask.defined() && styles.size() > 2)
        throw Error("adain", "with a mask, at most two styles: the first for white, the second for black");
    if (!context.style_weights.empty() && context.style_weights.size() != styles.size())
        throw Error("adain", "expected " + std::to_string(styles.size()) + " style weights, got " +
                                 std::to_string(context.style_weights.size()));
}

// Huang and Belongie: the content's relu4_1 features given the styles' statistics, decoded. With a
// mask (context.mask) the statistics are taken per region at relu4_1 resolution: the style
// applies where it is 1, the extra style (if given) where it is 0, else the content's own features.
class AdainMethod final : public NetworkMethod {
public:
    using NetworkMethod::NetworkMethod;
    // What a run needs beside the content's features: the networks and the styles' statistics.
    struct Setup {
        NeuralStylizer::Network encoder, decoder;
        std::vector<FeatureStats> style_stats;
        std::vector<double> weights;  // one a style
        double alpha = 1.0;
        c10::ScalarType dtype = at::kFloat;
        std::size_t style_count = 0;
    };
    // `like`: the content or its thumbnail (its device).
    Setup set_up(const at::Tensor& like, const at::Tensor& style, const ParamValues& params,
                 const RunContext& context) const {
        NeuralStylizer& models = models_for(info_, context);
        Setup s;
        s.dtype = begin_network_run(info_, models, like);
        const std::vector<at::Tensor> styles = all_styles(style, context);
        check_adain_request(styles, context);
        std::tie(s.encoder, s.decoder) = models.adain_networks(like, s.dtype);
        s.style_stats = models.adain_style_stats(styles, s.dtype, s.encoder, context.cancel);
        s.weights = context.style_weights;
        if (s.weights.empty()) s.weights.assign(styles.size(), 1.0);
        s.alpha = params.at("alpha");
        s.style_count = styles.size();
        return s;
    }
    at::Tensor run(const at::Tensor& content, const at::Tensor& style, const ParamValues& params,
                   const RunContext& context) const override {
        if (context.tile > 0) return run_in_tiles(content, style, params, context);
        const Setup s = set_up(content, style, params, context);
        const at::Tensor fc = context.models->adain_content_features(content, s.dtype, s.encoder, context.cancel);
        context.cancel.check();

        const at::Tensor fc32 = fc.to(at::kFloat);
        // The mask at relu4_1 resolution (area average), statistics per region.
        const at::Tensor m = context.mask.defined()
                                 ? at::adaptive_avg_pool2d(context.mask.to(at::kFloat), {fc.size(2), fc.size(3)})
                                 : at::Tensor();
        const AdainContentStats stats = adain_content_stats(fc32, m, s.style_count, context.temporal);
        const at::Tensor feat = adain_target(fc32, m, stats, s.style_stats, s.weights, s.alpha).to(s.dtype);
        const at::Tensor decoded = s.decoder(feat, context.cancel, nullptr);
        // The decoder's output covers 8 x the ceil-pooled feature size: crop to the content.
        return decoded.narrow(2, 0, content.size(2))
            .narrow(3, 0, content.size(3))
            .to(at::kFloat)
            .clamp(0.0, 1.0)
            .contiguous();
    }
    TileNetwork tile_network(const at::Tensor& thumbnail, const at::Tensor& style, const ParamValues& params,
                             const RunContext& context) const override {
        const Setup s = set_up(thumbnail, style, params, context);
        return adain_tile_network(thumbnail, context, s.encoder, s.decoder, s.style_stats, s.weights, s.alpha);
    }
    void prepare(const at::Tensor& content, const RunContext& context) const override {
        check_image_tensor(info_.name.c_str(), content);
        NeuralStylizer& models = models_for(info_, context);
        models.adain_networks(content, models.compute_dtype(content));
    }
    int encoder_passes(const at::Tensor& content, const at::Tensor& style, const RunContext& context) const override {
        if (!content.defined() || !context.models) return 0;
        return context.models->adain_uncached_passes(content, all_styles(style, context));
    }
};

}  // namespace

std::unique_ptr<Method> make_fast_style_method() {
    MethodInfo info{"fast_style",
                    "Fast neural style",
                    "Johnson et al. 2016: a feed-forward network trained for one style (a model in models/fast_style).",
                    {strength_param("How far to go from the content (0) to the network's picture (1).")},
                    true,
                    "strength",
                    false};
    info.model_kind = ModelKind::FastStyle;
    info.follows_precision = true;
    info.tiles = true;
    info.memory = kFastStyleMemory;
    return std::make_unique<FastStyleMethod>(std::move(info));
}

std::unique_ptr<Method> make_adain_method() {
    MethodInfo info{"adain",
                    "AdaIN arbitrary style",
                    "Huang and Belongie 2017: any style picture, by matching VGG feature statistics (models/adain).",
                    {{"alpha", "Style strength",
                      "Interpolates features: alpha * AdaIN(content, style) + (1 - alpha) * content, then decodes.",
                      0.0, 1.0, 1.0}},
                    true,
                    "",
                    true};
    info.max_styles = kMaxAdainStyles;
    info.reads_mask = true;  // statistics per mask region
    info.extra_style_fills_mask = true;
    info.follows_precision = true;
    info.content_statistics = true;  // the content's feature means and deviations
    info.tiles = true;
    info.memory = kAdainMemory;
    return std::make_unique<AdainMethod>(std::move(info));
}

std::unique_ptr<Method> make_torchscript_method() {
    MethodInfo info{"torchscript",
                    "TorchScript model",
                    "Your own image-to-image network: a TorchScript file and its JSON sidecar (models/torchscript).",
                    {strength_param("How far to go from the content (0) to the model's picture (1).")},
                    true,
                    "strength",
                    false};
    info.model_kind = ModelKind::TorchScript;
    info.follows_precision = true;  // where the model allows (ScriptModel::run)
    info.tiles = true;
    info.memory = kTorchScriptMemory;
    return std::make_unique<TorchScriptMethod>(std::move(info));
}

}  // namespace nt
