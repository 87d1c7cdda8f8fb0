#pragma once
// The pipeline's stages and the one definition of each stage's key: what its output is made from.
// The stages run in order: the working pictures (content and style at the working size), the
// device tensors (those on the compute device), the method (its output at mix 1) and the finishing
// (mix, preserve colours, mask, RGBA8 for display). Each key holds the key of the stage before it,
// so a stage whose key changed makes every later stage stale; a stage is stale exactly when its
// key differs from the one its kept output was made with (stale_stages). No GL.
#include <string>

#include "methods/method.h"
#include "viewer/state/viewer_state.h"

namespace nt::viewer {

// One key per stage, in the stages' order.
struct StageKeys {
    std::string working_pictures;
    std::string device_tensors;
    std::string method;
    std::string finishing;
};

// One flag per stage: stale (stale_stages), or ran (PipelineUpdate::ran).
struct StageFlags {
    bool working_pictures = false;
    bool device_tensors = false;
    bool method = false;
    bool finishing = false;
    bool any() const { return working_pictures || device_tensors || method || finishing; }
    static StageFlags all() { return {true, true, true, true}; }
};

// The working pictures: the two pictures, the working size and the style's size for the method
// (method_style_size: the blend's stretch or the style's own aspect), so a method of another rule
// resizes the style. Never throws: a size beyond the limits is named in the key, and the stage
// itself reports it.
std::string working_pictures_key(const ViewerState& state, const PipelineInputs& now);
// The device tensors: the working pictures on the compute device.
std::string device_tensors_key(const std::string& working_pictures, const PipelineInputs& now);
// The method: everything its output depends on, with its mix parameter at 1 (the finishing mixes),
// and `restarts` (a restart is a new run with the same inputs).
std::string method_key(const std::string& device_tensors, const PipelineInputs& now, int restarts);
// The finishing: the method's output (its key) and the finishing's own inputs.
std::string finishing_key(const std::string& method, const ViewerState& state, const PipelineInputs& now);
// The finishing's own inputs: the mix value, preserve colours, the mask (unless the method paints
// it itself) and a live video's temporal consistency strength. A worker job's result comes
// finished for these (FinishSpec::key).
std::string finishing_inputs_key(const ViewerState& state, const PipelineInputs& now);

// Every stage's key for `now` (`state` holds the pictures and the video's consistency).
StageKeys stage_keys(const ViewerState& state, const PipelineInputs& now, int restarts);
// The stages whose key changed from `last` (every stage from an empty StageKeys{}).
StageFlags stale_stages(const StageKeys& last, const StageKeys& now);

// Whether the method runs at the preview size: a network or an iterative method while a control
// is held (PipelineInputs::preview).
bool runs_preview(const MethodInfo& info, const PipelineInputs& now);
// Whether the method applies the mask itself (AdaIN with two styles paints its black region), so
// the finishing does not.
bool mask_in_method(const MethodInfo& info, const PipelineInputs& now);

}  // namespace nt::viewer
