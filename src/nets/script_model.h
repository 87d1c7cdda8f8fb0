#pragma once
// Any TorchScript module that maps an image to an image, described by a JSON sidecar next to it
// (model.pt + model.json), so users can bring their own networks:
//   {
//     "input_range": [0, 255],          // required: what the module expects, [0, 1] or [0, 255] (any lo < hi)
//     "mean": [0.485, 0.456, 0.406],    // optional per-channel normalisation applied after the range:
//     "std":  [0.229, 0.224, 0.225],    //   (x - mean) / std; both or neither, std > 0; listed in
//                                       //   R, G, B order whatever "channels" says
//     "output_range": [0, 255],         // what it returns (defaults to input_range, no de-normalisation)
//     "channels": "rgb",                // or "bgr" (default "rgb"): the order the module sees and returns
//     "name": "Candy (my training)",    // optional label for the viewer (ScriptSidecar::label, empty if absent)
//     "classes": ["background", ...]    // only for segmentation models (models/segmentation): the
//                                       //   names of the output channels, see probabilities()
//   }
// Unknown keys, duplicate keys, non-finite numbers and invalid JSON are rejected (a typo must not
// be silently ignored). docs/MODELS.md documents the format for users.
//
// run(): x = content * (hi - lo) + lo; x = (x - mean) / std; RGB -> BGR if asked; y = forward(x)
// under torch::NoGradGuard; BGR -> RGB; y = (y - out_lo) / (out_hi - out_lo), NaN -> 0, clamped
// to 0..1; resized back to the input's H x W (bilinear, align_corners false) if it differs.
//
// Thread-safety: a ScriptModel is used from one thread at a time (run() may move the module to
// another device, and TorchScript modules are not safe to share); distinct ScriptModels may run
// in parallel.
#include <array>
#include <filesystem>
#include <memory>
#include <string>

#include <ATen/Tensor.h>
#include <ATen/core/ivalue.h>

#include <vector>

namespace nt {

struct ScriptSidecar {
    std::array<double, 2> input_range{0.0, 1.0};
    std::array<double, 2> output_range{0.0, 1.0};
    bool has_normalisation = false;
    std::array<double, 3> mean{0.0, 0.0, 0.0};
    std::array<double, 3> std{1.0, 1.0, 1.0};
    bool bgr = false;
    std::string label;
    // A segmentation model's class names, in the order of its output channels (empty: an image
    // model). "classes": ["background", "aeroplane", ...] in the sidecar.
    std::vector<std::string> classes;
};

// Parses the sidecar text; throws nt::Error naming `name` with the offending key.
ScriptSidecar parse_script_sidecar(const std::string& json_text, const std::string& name);

// Reads and parses the sidecar of `pt_path` (the same path with .json), with the checks a model
// load makes (missing, not a file, over 1 MiB), without loading the module.
ScriptSidecar read_script_sidecar(const std::filesystem::path& pt_path);

class ScriptModel {
public:
    // Loads `pt_path` with torch::jit::load and its sidecar (pt_path with extension .json).
    // Throws nt::Error naming the file for a missing/invalid sidecar or a file TorchScript rejects.
    explicit ScriptModel(const std::filesystem::path& pt_path);
    ~ScriptModel();
    ScriptModel(ScriptModel&&) noexcept;
    ScriptModel& operator=(ScriptModel&&) noexcept;

    // content: float [1, 3, H, W] in 0..1, any device (the module is moved there on first use).
    // Returns [1, 3, H', W'] in 0..1 (clamped), resized back to H x W if the module changed the size.
    // Throws nt::Error naming the model when the module fails or returns something not an image.
    // compute bfloat16 (CPU): the module runs under CPU autocast (convolutions and matrix products
    // in bf16, reductions and norms in float32, as PyTorch's autocast decides) with channels-last
    // input. A module that fails that way (code that insists on float32) is run again in float32,
    // and from then on: bf16_refused() says so.
    at::Tensor run(const at::Tensor& content, c10::ScalarType compute = at::kFloat);
    bool bf16_refused() const;

    // A segmentation model (its sidecar names classes): the class probabilities [1, C, H, W]
    // (softmax of its logits, bilinearly resized to H x W first when it returns another size) for
    // content [1, 3, H, W] in 0..1. The module may return the logits or a dict with "out"
    // (torchvision's models). Throws nt::Error naming the model otherwise.
    at::Tensor probabilities(const at::Tensor& content);

    const ScriptSidecar& sidecar() const { return sidecar_; }
    const std::filesystem::path& path() const { return path_; }

private:
    // Checks the input, moves the module to its device, applies the sidecar's input range,
    // normalisation and channel order, and runs forward (under the caller's NoGradGuard).
    c10::IValue forward(const at::Tensor& content, bool autocast_bf16 = false);
    struct Impl;
    std::filesystem::path path_;
    ScriptSidecar sidecar_;
    std::unique_ptr<Impl> impl_;
};

}  // namespace nt
