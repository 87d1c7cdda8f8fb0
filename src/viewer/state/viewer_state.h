#pragma once
// The viewer's state without any window or GL: the two input pictures and the control values.
// The UI edits this state and the pipeline (stylize_pipeline.h) reads it, its stages rerunning when
// their keys (pipeline/stage_keys.h) change; unit tests drive it directly.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/device.h"
#include "image/image.h"
#include "methods/method.h"
#include "image/sizing.h"
#include "nets/precision.h"
#include "viewer/state/mask_canvas.h"
#include "stylize/registry.h"

namespace nt {
class TemporalConsistency;  // video/temporal_consistency.h
}

namespace nt::viewer {

// The working-resolution choices offered in the controls panel.
enum class SizePreset { Side256, Side512, Side1024, Original, Custom };

struct ControlValues {
    std::string method;                            // a name from method_registry()
    std::map<std::string, ParamValues> params;     // per method, so switching back keeps values
    std::map<std::string, std::string> models;     // per neural method: the model's name
    std::string segmentation_model;                // "Mask from segmentation": a name in models/segmentation
    SizePreset size_preset = SizePreset::Side512;  // with keep_aspect: long side 512
    bool keep_aspect = true;                       // presets are long:N (the content's aspect), not NxN
    int custom_width = 768;                        // Custom: WxH, or long:custom_width with keep_aspect
    int custom_height = 768;
    DeviceChoice device = DeviceChoice::Cpu;
    Precision precision = Precision::Auto;  // the networks' number format (nets/precision.h)
    bool preserve_colors = false;           // the content's colours after any method
    double feather_px = 0.0;                // Gaussian sigma of the mask, working pixels
    float brush_size = 32.0f;               // mask brush diameter, working pixels
    float brush_hardness = 0.8f;            // 0 soft .. 1 hard edge
    double extra_style_weight = 0.5;        // AdaIN: the extra style's share of the mix

    bool operator==(const ControlValues& o) const;
    bool operator!=(const ControlValues& o) const { return !(*this == o); }
};

inline constexpr float kMinBrushSize = 1.0f;
inline constexpr float kMaxBrushSize = 1024.0f;

// The first registered method, every method's parameters at their defaults, long side 512 (the
// content's aspect kept; the CLI's --size 512 square is the preset "512 x 512"), CPU.
ControlValues default_controls();

// The working size the controls describe.
SizeSpec size_spec(const ControlValues& controls);
// Sets the controls so that size_spec() gives `spec` (presets when it is one, Custom otherwise).
void set_size_spec(ControlValues& controls, const SizeSpec& spec);

// The current method's model name ("" for methods without one).
std::string current_model(const ControlValues& controls);

// The current method's parameter values, completed with defaults.
ParamValues current_params(const ControlValues& controls);
const MethodInfo& current_method_info(const ControlValues& controls);

// One input picture: where it came from and its decoded pixels. `generation` changes with
// every load or swap, so the pipeline notices a new picture even from the same path.
struct ImageSlot {
    std::string path;
    Image image;
    std::uint64_t generation = 0;
    bool loaded() const { return !image.empty(); }
};

// What the result depends on, the pictures as their generations: the pipeline builds its stage
// keys from it (pipeline/stage_keys.h) and remembers the last one it computed from.
struct PipelineInputs {
    std::uint64_t content_generation = 0;
    std::uint64_t style_generation = 0;
    SizeSpec size;
    DeviceChoice device = DeviceChoice::Cpu;
    Precision precision = Precision::Auto;
    std::string method;
    ParamValues params;
    bool preserve_colors = false;
    std::uint64_t mask_generation = 0;         // 0: no mask; else MaskCanvas::generation()
    double feather_px = 0.0;                   // 0 whenever there is no mask (the slider alone changes nothing)
    std::string model;                         // fast_style, torchscript: the model's name
    std::uint64_t extra_style_generation = 0;  // AdaIN's extra style (0: none or another method)
    double extra_style_weight = 0.0;           // its share of the mix (0 without one)
    bool preview = false;  // a network or iterative method while a control is dragged: low resolution
};

// Most recently used first, no duplicates, at most kMaxRecentFiles.
inline constexpr std::size_t kMaxRecentFiles = 10;
void remember_recent(std::vector<std::string>& recent, const std::string& path);

class ViewerState {
public:
    ImageSlot content;
    ImageSlot style;
    // AdaIN's optional extra style: mixed with the first by extra_style_weight, or painted into
    // the mask's black region when a mask is on (as the CLI's --extra-style).
    ImageSlot extra_style;
    ControlValues controls = default_controls();
    std::vector<std::string> recent_files;
    // The mask is not a control value: its pixels are never saved in the settings, and Reset
    // keeps it, as it keeps the pictures.
    MaskCanvas mask;
    bool mask_enabled = false;
    // A slider is being dragged or a stroke painted this frame: neural methods show a
    // low-resolution preview until it is released, and so do iterative methods.
    bool interacting = false;
    // An iterative network (Gatys) restarts from the picture on screen, not from its init setting.
    bool iterate_from_current = false;
    // "Mask from segmentation": the mask is everything but the chosen classes.
    bool segmentation_invert = false;
    std::string mask_path;  // the picture it was last loaded from or saved to, for the path field
    // While the content is a live video: its running content statistics (video_session.h owns
    // them), so that colour methods and AdaIN do not flicker. Not a pipeline input: a new frame is.
    TemporalStats* temporal = nullptr;
    // ... and its temporal consistency (video/temporal_consistency.h) when it is on: every
    // full result is pulled towards the last frame's along the flow, on the worker. Shared: a
    // worker job may still hold it when the video closes.
    std::shared_ptr<TemporalConsistency> consistency;

    // Put a decoded picture into a slot (a new generation) and remember its path.
    void set_image(ImageSlot& slot, const std::string& path, Image image);
    void swap_images();
    void clear_extra_style() { extra_style = ImageSlot{}; }
    // Whether the extra style takes part in the current result (AdaIN with one loaded).
    bool uses_extra_style() const;
    void reset_controls() { controls = default_controls(); }
    PipelineInputs pipeline_inputs() const;
    // The working size the controls give for the current content; nullopt without content or
    // when the size is beyond the limits (the pipeline reports that).
    std::optional<Size2> expected_working_size() const;
    // Brings the mask to expected_working_size(), so brush coordinates are working pixels.
    void fit_mask();

private:
    std::uint64_t next_generation_ = 1;
};

}  // namespace nt::viewer
