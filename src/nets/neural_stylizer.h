#pragma once
// The loaded models of the neural methods and their caches, for the CLI, the viewer's worker and
// the benchmarks: each model is loaded once, on first use, for the device and number format it
// runs at, and what does not change while a control moves is cached:
//   - the content's relu4_1 features (AdaIN), per content tensor;
//   - each style's relu4_1 statistics (AdaIN), per style tensor, so a new alpha or a new weight
//     mix re-runs only the decoder.
// The methods themselves (fast_style, adain, torchscript: nets/neural_methods.h; gatys:
// nets/gatys.h) do their work in Method::run and take the models from RunContext::models;
// the caller owns this object and keeps it across runs.
// Cache keys are tensor identities (the cache holds a reference, so an identity cannot be reused
// by another tensor); a style also hits with equal values (a video's or a batch's style, made
// anew for each picture). Callers must not modify a tensor in place after passing it.
// One NeuralStylizer is used from one thread at a time.
#include <ATen/Tensor.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/cancel.h"
#include "nets/model_library.h"
#include "nets/precision.h"

namespace nt {

class ScriptModel;
class Vgg19FeaturesImpl;
struct FeatureStats;
class NormTape;

struct NeuralOptions {
    // The number format of fast style and AdaIN (nets/precision.h: auto is bf16 on CPUs with
    // native bf16, fp32 on other CPUs, fp16 on CUDA). Statistics stay fp32 in every format.
    Precision precision = Precision::Auto;
    // On the CPU, the fused channels-last path (nets/fused_cnn.h); false runs the modules
    // layer by layer as PyTorch does (the benchmarks' reference).
    bool fused_cpu = true;
    bool channels_last = false;  // the modules' activations in NHWC (CUDA, or fused_cpu off)
};

// A picture tensor a network can take: float [1, 3, H, W], at least 8 x 8 pixels. Throws nt::Error
// naming `what` otherwise.
void check_image_tensor(const char* what, const at::Tensor& t);

class NeuralStylizer {
public:
    explicit NeuralStylizer(ModelLibrary library, NeuralOptions options = {});
    ~NeuralStylizer();
    NeuralStylizer(const NeuralStylizer&) = delete;
    NeuralStylizer& operator=(const NeuralStylizer&) = delete;

    const ModelLibrary& library() const { return library_; }
    const NeuralOptions& options() const { return options_; }
    // A new number format for the next runs (the viewer's setting); caches are kept per format.
    void set_precision(Precision precision) { options_.precision = precision; }
    // The number format the last run computed in: "bf16", "fp32", "fp16", or
    // "fp32 (the model refuses bf16)" for a TorchScript model that fails in bf16.
    const std::string& last_precision() const { return last_precision_; }
    // What a method's run() says it computes in.
    void set_last_precision(std::string precision) { last_precision_ = std::move(precision); }
    // The number format the networks compute in for a picture on `content`'s device.
    c10::ScalarType compute_dtype(const at::Tensor& content) const;

    // The networks, loaded and cached on first use, on `like`'s device in `dtype`. A network is a
    // call on pictures or features in any layout: the fused CPU path or a module. The tape
    // (nets/norm_tape.h) records or replays its instance norms' statistics; networks
    // without instance norms ignore it. A Network refers to this object's cache: it stays valid
    // while this object lives. Throw nt::Error naming a missing or broken model.
    using Network = std::function<at::Tensor(const at::Tensor&, const CancelToken&, NormTape*)>;
    Network transformer(const std::string& model, const at::Tensor& like, c10::ScalarType dtype);
    std::pair<Network, Network> adain_networks(const at::Tensor& like, c10::ScalarType dtype);
    ScriptModel& script(const std::string& model);
    // float32 on every device (the optimisation's gradients need the range).
    Vgg19FeaturesImpl& vgg19(const std::string& model, const at::Tensor& like);

    // AdaIN's caches: the content's relu4_1 features (reused while only alpha, the weights, the
    // mask or the styles change) and each style's statistics (fp32), encoded on a miss.
    at::Tensor adain_content_features(const at::Tensor& content, c10::ScalarType dtype, const Network& encoder,
                                      const CancelToken& cancel);
    std::vector<FeatureStats> adain_style_stats(const std::vector<at::Tensor>& styles, c10::ScalarType dtype,
                                                const Network& encoder, const CancelToken& cancel);
    // How many of these the caches miss: the content (one pass) and each style.
    int adain_uncached_passes(const at::Tensor& content, const std::vector<at::Tensor>& styles) const;

    // A segmentation model's class probabilities [1, C, H, W] for `content` (float [1, 3, H, W] in
    // 0..1) and its class names; `model` is a name in models/segmentation, a .pt path, or empty for
    // the only one (with several, empty is refused with a UsageError listing them: none is picked
    // silently). The last result is kept per picture (same values and size) and model.
    // Throws nt::Error.
    at::Tensor segment(const std::string& model, const at::Tensor& content);
    const std::vector<std::string>& segmentation_classes(const std::string& model);

    // Cache sizes, for tests: content feature entries and style statistic entries.
    std::size_t cached_contents() const;
    std::size_t cached_styles() const;
    void clear_caches();

private:
    struct Impl;
    bool fused(const at::Tensor& like) const;
    ScriptModel& segmenter(const std::string& model);

    ModelLibrary library_;
    NeuralOptions options_;
    std::string last_precision_;
    std::unique_ptr<Impl> impl_;
};

}  // namespace nt
