#pragma once
// Runs the neural methods (fast_style, adain, torchscript) for the CLI, the viewer's worker and
// the benchmarks: loads each model once, on first use, for the device and precision it runs at,
// and caches what does not change while a control moves:
//   - the content's relu4_1 features (AdaIN), per content tensor;
//   - each style's relu4_1 statistics (AdaIN), per style tensor, so a new alpha or a new weight
//     mix re-runs only the decoder.
// Cache keys are tensor identities (the cache holds a reference, so an identity cannot be reused
// by another tensor); a style also hits with equal values (a video's or a batch's style, made
// anew for each picture). Callers must not modify a tensor in place after passing it.
// One NeuralStylizer is used from one thread at a time.
#include <ATen/Tensor.h>

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "methods/method.h"
#include "base/cancel.h"
#include "nets/model_library.h"
#include "nets/precision.h"

namespace nt {

class TransformerNet;
class VggEncoder;
class AdainDecoder;
class ScriptModel;
class Vgg19FeaturesImpl;
class FusedCnn;
struct FeatureStats;
class NormTape;

struct NeuralRequest {
    std::string method;                 // "fast_style", "adain", "torchscript" or "gatys"
    std::string model;                  // fast_style, torchscript: a name in the library or a file path
    ParamValues params;                 // resolved (resolve_params) for the method
    at::Tensor content;                 // float [1, 3, H, W] in 0..1
    std::vector<at::Tensor> styles;     // adain: float [1, 3, h, w] in 0..1, any sizes, on content's device
    std::vector<double> style_weights;  // adain without a mask: one per style, >= 0; empty: equal weights
    // adain: [1, 1, H, W] in 0..1. styles[0] applies where it is 1; styles[1] (if given) where it
    // is 0, else the content's own features. Statistics are taken per region at relu4_1 resolution.
    at::Tensor mask;
    CancelToken cancel;
    // gatys: called after every iteration (nets/gatys.h), and the picture to start from
    // (RGB 0..1 at the content's size; undefined: the method's init parameter decides).
    StepCallback on_step;
    at::Tensor init;
    std::vector<std::string> style_layers;  // gatys: empty for its default (relu1_1 .. relu5_1)
    // adain: a video's running content statistics (methods/temporal_stats.h); not owned.
    TemporalStats* temporal = nullptr;
    // fast_style, adain, torchscript: run on overlapping tiles of this side (nets/
    // tiled_inference.h), the instance norms' and AdaIN's content statistics taken once from a
    // thumbnail of the whole picture; 0: the whole picture at once. The memory preflight
    // (stylize/memory_budget.h) chooses it.
    int tile = 0;
    // gatys: the largest level of its coarse-to-fine optimisation (nets/gatys_levels.h) when
    // the memory budget caps it below the content's size; 0: the content's size.
    std::int64_t top_height = 0, top_width = 0;
};

struct NeuralOptions {
    // The number format of fast style and AdaIN (nets/precision.h: auto is bf16 on CPUs with
    // native bf16, fp32 on other CPUs, fp16 on CUDA). Statistics stay fp32 in every format.
    Precision precision = Precision::Auto;
    // On the CPU, the fused channels-last path (nets/fused_cnn.h); false runs the modules
    // layer by layer as PyTorch does (the benchmarks' reference).
    bool fused_cpu = true;
    bool channels_last = false;  // the modules' activations in NHWC (CUDA, or fused_cpu off)
};

// The most style pictures AdaIN mixes in one run (MethodInfo::max_styles).
inline constexpr int kMaxAdainStyles = 16;

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
    // The number format the last run() computed in: "bf16", "fp32", "fp16", or
    // "fp32 (the model refuses bf16)" for a TorchScript model that fails in bf16.
    const std::string& last_precision() const { return last_precision_; }

    // The stylized content, float [1, 3, H, W] in 0..1 on the content's device. Throws nt::Error
    // (missing model, bad weights, bad request) or nt::Cancelled.
    at::Tensor run(const NeuralRequest& request);

    // Loads (and caches) what `request` needs without running it, so the first frame is not also
    // the one that reads the weights. Throws like run().
    void prepare(const NeuralRequest& request);

    // How many encoder passes run(request) would make: AdaIN's content and styles not cached yet
    // (0 for the other methods). The viewer's progress bar expects a run's length from it.
    int encoder_passes(const NeuralRequest& request) const;

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
    // A network as a call on pictures or features in any layout: the fused CPU path or a module.
    // The tape (nets/norm_tape.h) records or replays its instance norms' statistics; networks
    // without instance norms ignore it.
    using Network = std::function<at::Tensor(const at::Tensor&, const CancelToken&, NormTape*)>;
    bool fused(const NeuralRequest& r) const;
    Network transformer(const NeuralRequest& r, c10::ScalarType dtype);
    std::pair<Network, Network> adain_networks(const NeuralRequest& r, c10::ScalarType dtype);
    ScriptModel& script(const NeuralRequest& r);
    Vgg19FeaturesImpl& vgg19(const NeuralRequest& r);
    ScriptModel& segmenter(const std::string& model);
    // run() per method.
    at::Tensor run_fast_style(const NeuralRequest& r, c10::ScalarType dtype);
    at::Tensor run_torchscript(const NeuralRequest& r, c10::ScalarType dtype);
    at::Tensor run_gatys(const NeuralRequest& r, c10::ScalarType dtype);
    at::Tensor run_adain(const NeuralRequest& r, c10::ScalarType dtype);
    // The tiled runs (neural_stylizer_tiled.cpp): the same networks, tile by tile.
    at::Tensor fast_style_tiled(const NeuralRequest& r, const Network& net);
    at::Tensor torchscript_tiled(const NeuralRequest& r, ScriptModel& model, c10::ScalarType dtype);
    at::Tensor adain_tiled(const NeuralRequest& r, const Network& encoder, const Network& decoder,
                           const std::vector<FeatureStats>& style_stats);
    at::Tensor adain_content_features(const NeuralRequest& r, c10::ScalarType dtype, const Network& encoder);
    std::vector<FeatureStats> adain_style_stats(const NeuralRequest& r, c10::ScalarType dtype, const Network& encoder);

    ModelLibrary library_;
    NeuralOptions options_;
    std::string last_precision_;
    std::unique_ptr<Impl> impl_;
};

// The registry's entries for the neural methods (method.cpp registers them). Their apply() throws
// nt::Error: they need a model, so they run through NeuralStylizer (nt::stylize does that).
std::unique_ptr<Method> make_fast_style_method();
std::unique_ptr<Method> make_adain_method();
std::unique_ptr<Method> make_torchscript_method();

}  // namespace nt
