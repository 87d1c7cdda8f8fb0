#include "nets/neural_stylizer.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <deque>
#include <map>
#include <optional>

#include "base/error.h"
#include "nets/adain_net.h"
#include "nets/fused_cnn.h"
#include "nets/script_model.h"
#include "nets/transformer_net.h"
#include "nets/vgg19.h"

namespace nt {

namespace {

constexpr std::size_t kMaxCachedStyles = 8;

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

}  // namespace

void check_image_tensor(const char* what, const at::Tensor& t) {
    if (!t.defined() || t.dim() != 4 || t.size(0) != 1 || t.size(1) != 3 || !t.is_floating_point())
        throw Error(what, "expected a float [1, 3, H, W] picture tensor");
    if (t.size(2) < 8 || t.size(3) < 8) throw Error(what, "picture smaller than 8x8 pixels is too small for a network");
}

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

c10::ScalarType NeuralStylizer::compute_dtype(const at::Tensor& content) const {
    return network_dtype(options_.precision, content.device());
}

int NeuralStylizer::adain_uncached_passes(const at::Tensor& content, const std::vector<at::Tensor>& styles) const {
    const c10::ScalarType dtype = compute_dtype(content);
    int passes = 1;
    for (const auto& e : impl_->contents)
        if (e.content.is_same(content) && e.dtype == dtype) passes = 0;
    for (const at::Tensor& s : styles) {
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

bool NeuralStylizer::fused(const at::Tensor& like) const { return options_.fused_cpu && !like.is_cuda(); }

// The loaded models a request needs, loaded on first use (each lookup happens once per call).
// The fused path reads the float32 module's weights once, in its own dtype.
NeuralStylizer::Network NeuralStylizer::transformer(const std::string& model, const at::Tensor& like,
                                                    c10::ScalarType dtype) {
    const ModelEntry entry = find_model(library_, ModelKind::FastStyle, model);
    const std::string path = entry.path.string();
    auto load = [](const std::string& p) { return load_transformer_net(p); };
    if (fused(like)) {
        const std::string key = module_key(path, like, dtype);
        auto it = impl_->fused.find(key);
        if (it == impl_->fused.end()) {
            TransformerNet& net = cached_module(impl_->transformers, path, like, at::kFloat, load);
            it = impl_->fused.emplace(key, fuse_transformer_net(*net, dtype)).first;
        }
        const FusedCnn& cnn = it->second;
        return [&cnn](const at::Tensor& x, const CancelToken& cancel, NormTape* tape) {
            return cnn.forward(x, cancel, tape);
        };
    }
    TransformerNet& net = cached_module(impl_->transformers, path, like, dtype, load);
    const bool nhwc = options_.channels_last;
    return [&net, dtype, nhwc](const at::Tensor& x, const CancelToken& cancel, NormTape* tape) {
        return net->forward(to_compute(x, dtype, nhwc), cancel, tape);
    };
}

std::pair<NeuralStylizer::Network, NeuralStylizer::Network> NeuralStylizer::adain_networks(const at::Tensor& like,
                                                                                           c10::ScalarType dtype) {
    const AdainFiles& files = require_adain(library_);
    const bool fuse = fused(like);
    const c10::ScalarType module_dtype = fuse ? at::kFloat : dtype;
    VggEncoder& encoder = cached_module(impl_->encoders, files.encoder.string(), like, module_dtype,
                                        [](const std::string& p) { return load_vgg_encoder(p); });
    AdainDecoder& decoder = cached_module(impl_->decoders, files.decoder.string(), like, module_dtype,
                                          [](const std::string& p) { return load_adain_decoder(p); });
    if (fuse) {
        auto fused_of = [&](const std::filesystem::path& file, const torch::nn::Module& module) -> const FusedCnn& {
            const std::string key = module_key(file.string(), like, dtype);
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

ScriptModel& NeuralStylizer::script(const std::string& model) {
    const ModelEntry entry = find_model(library_, ModelKind::TorchScript, model);
    auto& slot = impl_->scripts[entry.path.string()];
    if (!slot) slot = std::make_unique<ScriptModel>(entry.path);
    return *slot;
}

Vgg19FeaturesImpl& NeuralStylizer::vgg19(const std::string& model, const at::Tensor& like) {
    const ModelEntry entry = find_model(library_, ModelKind::Vgg19, model);
    // float32 on every device: the optimisation's gradients need the range. Loaded outside
    // inference mode: its weights are saved for the backward pass, which inference tensors cannot be.
    c10::InferenceMode off(false);
    return *cached_module(impl_->vgg19s, entry.path.string(), like, at::kFloat,
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

// Content features: one entry, the picture being edited.
at::Tensor NeuralStylizer::adain_content_features(const at::Tensor& content, c10::ScalarType dtype,
                                                  const Network& encoder, const CancelToken& cancel) {
    for (const auto& e : impl_->contents)
        if (e.content.is_same(content) && e.dtype == dtype) return e.features;
    const at::Tensor fc = encoder(content, cancel, nullptr);
    impl_->contents.clear();
    impl_->contents.push_back({content, dtype, fc});
    return fc;
}

// Style statistics, fp32 (fp16 squares of relu4_1 activations can overflow), the most recent first.
std::vector<FeatureStats> NeuralStylizer::adain_style_stats(const std::vector<at::Tensor>& styles,
                                                            c10::ScalarType dtype, const Network& encoder,
                                                            const CancelToken& cancel) {
    std::vector<FeatureStats> style_stats;
    for (const at::Tensor& s : styles) {
        auto it = std::find_if(impl_->styles.begin(), impl_->styles.end(),
                               [&](const Impl::StyleEntry& e) { return e.dtype == dtype && same_picture(e.style, s); });
        if (it == impl_->styles.end()) {
            const at::Tensor fs = encoder(s, cancel, nullptr);
            impl_->styles.push_front({s, dtype, feature_stats(fs.to(at::kFloat))});
            if (impl_->styles.size() > kMaxCachedStyles) impl_->styles.pop_back();
            it = impl_->styles.begin();
        }
        style_stats.push_back(it->stats);
    }
    return style_stats;
}

}  // namespace nt
