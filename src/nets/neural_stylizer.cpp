#include "nets/neural_stylizer.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <deque>
#include <numeric>
#include <optional>

#include "base/error.h"
#include "methods/strength.h"
#include "nets/adain_net.h"
#include "nets/fused_cnn.h"
#include "nets/gatys.h"
#include "nets/gatys_levels.h"
#include "nets/script_model.h"
#include "nets/transformer_net.h"
#include "nets/vgg19.h"
#include "stylize/registry.h"

namespace nt {

namespace {

constexpr std::size_t kMaxCachedStyles = 8;

// Peak memory of a whole-picture run beyond the pipeline's pictures (MethodInfo::memory) in
// float32 on the CPU: the libraries and weights, then the activations per pixel. From the CLI's
// peak RSS at 0.25 and 1 MP (docs/PERFORMANCE.md, "Full resolution"): fast style 255 MB and 694
// B/px, AdaIN 1,861 B/px (its style encoded at the working size too); raised to cover the tiled
// runs of the sweep (24 MP fast style in tiles of 1024: 2,132 MiB; 4 MP AdaIN: 2,817 MiB, where
// each tile size also gets its own oneDNN primitives). In bf16 or fp16 the per-pixel part is
// smaller (kHalfPrecisionShare, stylize/memory_budget.h).
constexpr MemoryModel kFastStyleMemory{256LL << 20, 1000.0};
constexpr MemoryModel kAdainMemory{256LL << 20, 2800.0};
// A user's module is unknown: more than fast style, as TorchScript runs it layer by layer.
constexpr MemoryModel kTorchScriptMemory{256LL << 20, 2000.0};

// A method that is only a declaration: the work needs models, done by NeuralStylizer.
class NeuralMethod final : public Method {
public:
    explicit NeuralMethod(MethodInfo info) : info_(std::move(info)) {}
    const MethodInfo& info() const override { return info_; }
    at::Tensor apply(const at::Tensor&, const at::Tensor&, const ParamValues&) const override {
        throw Error(info_.name, "needs a model: it runs through nt::stylize or NeuralStylizer");
    }

private:
    MethodInfo info_;
};

c10::ScalarType compute_dtype(const at::Tensor& content, const NeuralOptions& options) {
    return network_dtype(options.precision, content.device());
}

std::string module_key(const std::string& what, const at::Tensor& like, c10::ScalarType dtype) {
    return what + "|" + like.device().str() + "|" + c10::toString(dtype);
}

// A style cache hit: the same tensor, or one with equal values (a video's or a batch's style,
// converted anew for every picture: comparing 3 values a pixel costs far less than an encoder pass).
bool same_picture(const at::Tensor& a, const at::Tensor& b) {
    if (a.is_same(b)) return true;
    return a.sizes().equals(b.sizes()) && a.scalar_type() == b.scalar_type() && a.device() == b.device() &&
           at::equal(a, b);
}

void check_image_tensor(const char* what, const at::Tensor& t) {
    if (!t.defined() || t.dim() != 4 || t.size(0) != 1 || t.size(1) != 3 || !t.is_floating_point())
        throw Error(what, "expected a float [1, 3, H, W] picture tensor");
    if (t.size(2) < 8 || t.size(3) < 8) throw Error(what, "picture smaller than 8x8 pixels is too small for a network");
}

}  // namespace

struct NeuralStylizer::Impl {
    struct ContentEntry {
        at::Tensor content;  // the key (held, so its identity stays unique)
        c10::ScalarType dtype;
        at::Tensor features;  // relu4_1, compute dtype
    };
    struct StyleEntry {
        at::Tensor style;
        c10::ScalarType dtype;
        FeatureStats stats;  // fp32
    };
    std::map<std::string, TransformerNet> transformers;
    std::map<std::string, FusedCnn> fused;  // by module_key of the network's file
    std::map<std::string, VggEncoder> encoders;
    std::map<std::string, AdainDecoder> decoders;
    std::map<std::string, std::unique_ptr<ScriptModel>> scripts;
    std::map<std::string, Vgg19Features> vgg19s;
    std::map<std::string, std::unique_ptr<ScriptModel>> segmenters;
    struct Segmentation {
        at::Tensor content;  // the key (held)
        std::string model;
        at::Tensor probabilities;
    };
    std::optional<Segmentation> segmentation;  // the last one
    std::deque<ContentEntry> contents;         // at most one: the picture being edited
    std::deque<StyleEntry> styles;             // most recent first
};

NeuralStylizer::NeuralStylizer(ModelLibrary library, NeuralOptions options)
    : library_(std::move(library)), options_(options), impl_(std::make_unique<Impl>()) {}

NeuralStylizer::~NeuralStylizer() = default;

int NeuralStylizer::encoder_passes(const NeuralRequest& r) const {
    if (r.method != "adain" || !r.content.defined()) return 0;
    const c10::ScalarType dtype = compute_dtype(r.content, options_);
    int passes = 1;
    for (const auto& e : impl_->contents)
        if (e.content.is_same(r.content) && e.dtype == dtype) passes = 0;
    for (const at::Tensor& s : r.styles) {
        ++passes;
        for (const auto& e : impl_->styles)
            if (e.dtype == dtype && same_picture(e.style, s)) {
                --passes;
                break;
            }
    }
    return passes;
}

std::size_t NeuralStylizer::cached_contents() const { return impl_->contents.size(); }
std::size_t NeuralStylizer::cached_styles() const { return impl_->styles.size(); }
void NeuralStylizer::clear_caches() {
    impl_->contents.clear();
    impl_->styles.clear();
}

namespace {

// Loads a module from `path` once per (path, device, dtype) and keeps it in `cache`.
template <class Module, class Load>
Module& cached_module(std::map<std::string, Module>& cache, const std::string& path, const at::Tensor& like,
                      c10::ScalarType dtype, Load load) {
    const std::string key = module_key(path, like, dtype);
    auto it = cache.find(key);
    if (it == cache.end()) {
        Module module = load(path);
        module->to(like.device(), dtype);
        it = cache.emplace(key, std::move(module)).first;
    }
    return it->second;
}

at::Tensor to_compute(const at::Tensor& x, c10::ScalarType dtype, bool channels_last) {
    at::Tensor y = x.to(dtype);
    return channels_last ? y.contiguous(at::MemoryFormat::ChannelsLast) : y;
}

}  // namespace

bool NeuralStylizer::fused(const NeuralRequest& r) const { return options_.fused_cpu && !r.content.is_cuda(); }

// The loaded models a request needs, loaded on first use (each lookup happens once per call).
// The fused path reads the float32 module's weights once, in its own dtype.
NeuralStylizer::Network NeuralStylizer::transformer(const NeuralRequest& r, c10::ScalarType dtype) {
    const ModelEntry entry = find_model(library_, ModelKind::FastStyle, r.model);
    const std::string path = entry.path.string();
    auto load = [](const std::string& p) { return load_transformer_net(p); };
    if (fused(r)) {
        const std::string key = module_key(path, r.content, dtype);
        auto it = impl_->fused.find(key);
        if (it == impl_->fused.end()) {
            TransformerNet& net = cached_module(impl_->transformers, path, r.content, at::kFloat, load);
            it = impl_->fused.emplace(key, fuse_transformer_net(*net, dtype)).first;
        }
        const FusedCnn& cnn = it->second;
        return [&cnn](const at::Tensor& x, const CancelToken& cancel, NormTape* tape) {
            return cnn.forward(x, cancel, tape);
        };
    }
    TransformerNet& net = cached_module(impl_->transformers, path, r.content, dtype, load);
    const bool nhwc = options_.channels_last;
    return [&net, dtype, nhwc](const at::Tensor& x, const CancelToken& cancel, NormTape* tape) {
        return net->forward(to_compute(x, dtype, nhwc), cancel, tape);
    };
}

std::pair<NeuralStylizer::Network, NeuralStylizer::Network> NeuralStylizer::adain_networks(const NeuralRequest& r,
                                                                                           c10::ScalarType dtype) {
    const AdainFiles& files = require_adain(library_);
    const bool fuse = fused(r);
    const c10::ScalarType module_dtype = fuse ? at::kFloat : dtype;
    VggEncoder& encoder = cached_module(impl_->encoders, files.encoder.string(), r.content, module_dtype,
                                        [](const std::string& p) { return load_vgg_encoder(p); });
    AdainDecoder& decoder = cached_module(impl_->decoders, files.decoder.string(), r.content, module_dtype,
                                          [](const std::string& p) { return load_adain_decoder(p); });
    if (fuse) {
        auto fused_of = [&](const std::filesystem::path& file, const torch::nn::Module& module) -> const FusedCnn& {
            const std::string key = module_key(file.string(), r.content, dtype);
            auto it = impl_->fused.find(key);
            if (it == impl_->fused.end()) it = impl_->fused.emplace(key, fuse_sequential(module, dtype)).first;
            return it->second;
        };
        const FusedCnn& enc = fused_of(files.encoder, *encoder);
        const FusedCnn& dec = fused_of(files.decoder, *decoder);
        return {[&enc](const at::Tensor& x, const CancelToken& c, NormTape*) { return enc.forward(x, c); },
                [&dec](const at::Tensor& x, const CancelToken& c, NormTape*) { return dec.forward(x, c); }};
    }
    const bool nhwc = options_.channels_last;
    return {[&encoder, dtype, nhwc](const at::Tensor& x, const CancelToken& c, NormTape*) {
                return encoder->forward(to_compute(x, dtype, nhwc), c);
            },
            [&decoder, dtype, nhwc](const at::Tensor& x, const CancelToken& c, NormTape*) {
                return decoder->forward(to_compute(x, dtype, nhwc), c);
            }};
}

ScriptModel& NeuralStylizer::script(const NeuralRequest& r) {
    const ModelEntry entry = find_model(library_, ModelKind::TorchScript, r.model);
    auto& slot = impl_->scripts[entry.path.string()];
    if (!slot) slot = std::make_unique<ScriptModel>(entry.path);
    return *slot;
}

Vgg19FeaturesImpl& NeuralStylizer::vgg19(const NeuralRequest& r) {
    const ModelEntry entry = find_model(library_, ModelKind::Vgg19, r.model);
    // float32 on every device: the optimisation's gradients need the range. Loaded outside
    // inference mode: its weights are saved for the backward pass, which inference tensors cannot be.
    c10::InferenceMode off(false);
    return *cached_module(impl_->vgg19s, entry.path.string(), r.content, at::kFloat,
                          [](const std::string& p) { return load_vgg19(p); });
}

ScriptModel& NeuralStylizer::segmenter(const std::string& model) {
    // No name and several models: which one decides the mask, so it is never picked silently.
    if (model.empty() && library_.segmenters.size() > 1) {
        std::string names;
        for (const ModelEntry& e : library_.segmenters) names += (names.empty() ? "" : ", ") + e.name;
        throw UsageError("--segmentation-model", std::to_string(library_.segmenters.size()) +
                                                     " segmentation models in " +
                                                     (library_.dir / "segmentation").string() + " (" + names +
                                                     "): choose one with --segmentation-model NAME");
    }
    const ModelEntry entry = find_model(library_, ModelKind::Segmentation, model);
    auto& slot = impl_->segmenters[entry.path.string()];
    if (!slot) slot = std::make_unique<ScriptModel>(entry.path);
    if (slot->sidecar().classes.empty())
        throw Error(entry.path.string(), "a segmentation model's sidecar must name its \"classes\"");
    return *slot;
}

const std::vector<std::string>& NeuralStylizer::segmentation_classes(const std::string& model) {
    return segmenter(model).sidecar().classes;
}

at::Tensor NeuralStylizer::segment(const std::string& model, const at::Tensor& content) {
    check_image_tensor("segmentation", content);
    // The same picture at the same size (the same tensor, or equal values: a batch's content
    // with its next style) reuses the last result.
    const auto& cached = impl_->segmentation;
    if (cached && cached->model == model && cached->content.sizes().equals(content.sizes()) &&
        cached->content.device() == content.device() &&
        (cached->content.is_same(content) || at::equal(cached->content, content)))
        return cached->probabilities;
    const at::Tensor probabilities = segmenter(model).probabilities(content);
    impl_->segmentation = Impl::Segmentation{content, model, probabilities};
    return probabilities;
}

void NeuralStylizer::prepare(const NeuralRequest& r) {
    check_image_tensor(r.method.c_str(), r.content);
    const c10::ScalarType dtype = compute_dtype(r.content, options_);
    if (r.method == "fast_style") transformer(r, dtype);
    else if (r.method == "adain") adain_networks(r, dtype);
    else if (r.method == "torchscript") script(r);
    else if (r.method == "gatys") vgg19(r);
    else throw Error(r.method, "not a neural method");
}

at::Tensor NeuralStylizer::run(const NeuralRequest& r) {
    check_image_tensor(r.method.c_str(), r.content);
    // Methods that do not follow the setting (Gatys) compute in float32.
    const c10::ScalarType dtype =
        method_by_name(r.method).info().follows_precision ? compute_dtype(r.content, options_) : at::kFloat;
    last_precision_ = dtype == at::kBFloat16 ? "bf16" : dtype == at::kHalf ? "fp16" : "fp32";
    if (r.method == "fast_style") return run_fast_style(r, dtype);
    if (r.method == "torchscript") return run_torchscript(r, dtype);
    if (r.method == "gatys") return run_gatys(r, dtype);
    if (r.method == "adain") return run_adain(r, dtype);
    throw Error(r.method, "not a neural method");
}

at::Tensor NeuralStylizer::run_fast_style(const NeuralRequest& r, c10::ScalarType dtype) {
    const Network net = transformer(r, dtype);
    const double strength = r.params.at("strength");
    // The network's picture is clamped already: at strength 1 it is the result (no full-size copy).
    if (r.tile > 0) {
        const at::Tensor full = fast_style_tiled(r, net);
        return strength >= 1.0 ? full : mix_by_strength(r.content, full, strength);
    }
    const at::Tensor out = net(r.content * 255.0, r.cancel, nullptr);
    // Two stride-2 convolutions and two 2x upsamplings: sides that are not multiples of 4 come
    // back up to 3 pixels larger, the extra rows and columns at the bottom and right.
    const at::Tensor full = out.narrow(2, 0, r.content.size(2))
                                .narrow(3, 0, r.content.size(3))
                                .to(at::kFloat)
                                .div(255.0)
                                .clamp_(0.0, 1.0)
                                .contiguous();
    return strength >= 1.0 ? full : mix_by_strength(r.content, full, strength);
}

at::Tensor NeuralStylizer::run_torchscript(const NeuralRequest& r, c10::ScalarType dtype) {
    ScriptModel& model = script(r);
    r.cancel.check();
    const at::Tensor full = r.tile > 0 ? torchscript_tiled(r, model, dtype) : model.run(r.content, dtype);
    if (model.bf16_refused() && dtype == at::kBFloat16) last_precision_ = "fp32 (the model refuses bf16)";
    r.cancel.check();
    return mix_by_strength(r.content, full, r.params.at("strength"));
}

at::Tensor NeuralStylizer::run_gatys(const NeuralRequest& r, c10::ScalarType dtype) {
    for (const at::Tensor& s : r.styles) check_image_tensor("gatys style", s);
    GatysSettings settings = gatys_settings(r.params);
    // bf16 on the CPU only (CUDA runs Gatys in float32 whatever the setting).
    settings.bf16 = dtype == at::kBFloat16 && !r.content.is_cuda();
    last_precision_ = settings.bf16 ? "bf16" : "fp32";
    if (!r.style_layers.empty()) settings.style_layers = r.style_layers;
    const bool capped = r.top_height > 0 && r.top_width > 0;
    return gatys_coarse_to_fine(vgg19(r), r.content, r.styles, r.style_weights, settings,
                                capped ? r.top_height : r.content.size(2), capped ? r.top_width : r.content.size(3),
                                r.on_step, r.cancel, r.init);
}

namespace {

void check_adain_request(const NeuralRequest& r) {
    if (r.styles.empty()) throw Error("adain", "needs at least one style picture");
    if (r.styles.size() > std::size_t(kMaxAdainStyles))
        throw Error("adain", "mixes at most " + std::to_string(kMaxAdainStyles) + " styles");
    for (const at::Tensor& s : r.styles) check_image_tensor("adain style", s);
    if (r.mask.defined() && r.styles.size() > 2)
        throw Error("adain", "with a mask, at most two styles: the first for white, the second for black");
    if (!r.style_weights.empty() && r.style_weights.size() != r.styles.size())
        throw Error("adain", "expected " + std::to_string(r.styles.size()) + " style weights, got " +
                                 std::to_string(r.style_weights.size()));
}

}  // namespace

at::Tensor NeuralStylizer::run_adain(const NeuralRequest& r, c10::ScalarType dtype) {
    check_adain_request(r);
    auto [encoder, decoder] = adain_networks(r, dtype);
    const std::vector<FeatureStats> style_stats = adain_style_stats(r, dtype, encoder);
    if (r.tile > 0) return adain_tiled(r, encoder, decoder, style_stats);
    const at::Tensor fc = adain_content_features(r, dtype, encoder);
    r.cancel.check();

    const at::Tensor fc32 = fc.to(at::kFloat);
    // The mask at relu4_1 resolution (area average), statistics per region.
    const at::Tensor m =
        r.mask.defined() ? at::adaptive_avg_pool2d(r.mask.to(at::kFloat), {fc.size(2), fc.size(3)}) : at::Tensor();
    std::vector<double> weights = r.style_weights;
    if (weights.empty()) weights.assign(r.styles.size(), 1.0);
    const AdainContentStats content = adain_content_stats(fc32, m, r.styles.size(), r.temporal);
    const at::Tensor feat = adain_target(fc32, m, content, style_stats, weights, r.params.at("alpha")).to(dtype);
    const at::Tensor decoded = decoder(feat, r.cancel, nullptr);
    // The decoder's output covers 8 x the ceil-pooled feature size: crop to the content.
    return decoded.narrow(2, 0, r.content.size(2))
        .narrow(3, 0, r.content.size(3))
        .to(at::kFloat)
        .clamp(0.0, 1.0)
        .contiguous();
}

// Content features: reused while only alpha, the weights, the mask or the styles change.
at::Tensor NeuralStylizer::adain_content_features(const NeuralRequest& r, c10::ScalarType dtype,
                                                  const Network& encoder) {
    for (const auto& e : impl_->contents)
        if (e.content.is_same(r.content) && e.dtype == dtype) return e.features;
    const at::Tensor fc = encoder(r.content, r.cancel, nullptr);
    impl_->contents.clear();
    impl_->contents.push_back({r.content, dtype, fc});
    return fc;
}

// Style statistics, fp32 (fp16 squares of relu4_1 activations can overflow), cached per picture.
std::vector<FeatureStats> NeuralStylizer::adain_style_stats(const NeuralRequest& r, c10::ScalarType dtype,
                                                            const Network& encoder) {
    std::vector<FeatureStats> style_stats;
    for (const at::Tensor& s : r.styles) {
        auto it = std::find_if(impl_->styles.begin(), impl_->styles.end(),
                               [&](const Impl::StyleEntry& e) { return e.dtype == dtype && same_picture(e.style, s); });
        if (it == impl_->styles.end()) {
            const at::Tensor fs = encoder(s, r.cancel, nullptr);
            impl_->styles.push_front({s, dtype, feature_stats(fs.to(at::kFloat))});
            if (impl_->styles.size() > kMaxCachedStyles) impl_->styles.pop_back();
            it = impl_->styles.begin();
        }
        style_stats.push_back(it->stats);
    }
    return style_stats;
}

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
    return std::make_unique<NeuralMethod>(std::move(info));
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
    return std::make_unique<NeuralMethod>(std::move(info));
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
    return std::make_unique<NeuralMethod>(std::move(info));
}

}  // namespace nt
