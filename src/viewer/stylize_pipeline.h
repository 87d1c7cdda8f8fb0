#pragma once
// The compute side of the viewer, without GL: keeps the working pair (CPU copies for display and
// pixel readouts) and its tensors resident on the chosen device, and reruns only the stale
// stages (see plan_recompute). Idle frames cost nothing: update() returns at once when no input
// changed.
#include <ATen/Tensor.h>

#include <optional>
#include <string>

#include "viewer/viewer_state.h"

namespace nt::viewer {

struct PipelineUpdate {
    RecomputePlan ran;         // the stages that ran (all false: nothing changed)
    double compute_ms = 0.0;   // resize + tensor transfer + method + result download
    std::string error;         // non-empty when a stage failed; the previous result stays
};

class StylizePipeline {
public:
    // Brings the working pair, tensors and result up to date with `state`. Never throws: a failure
    // (size beyond the limits, a device error, ...) is reported and the last good result kept.
    PipelineUpdate update(const ViewerState& state);

    // Forget everything (e.g. after an error) so the next update recomputes from scratch.
    void invalidate() {
        last_.reset();
        failed_.reset();
    }

    bool has_result() const { return !result_.empty(); }
    const Image& working_content() const { return working_content_; }
    const Image& working_style() const { return working_style_; }
    const Image& result() const { return result_; }

private:
    std::optional<PipelineInputs> last_;    // what the current result was computed from
    std::optional<PipelineInputs> failed_;  // the inputs of the last failure, not retried
    Image working_content_;
    Image working_style_;
    Image result_;
    at::Tensor content_tensor_;
    at::Tensor style_tensor_;
};

}  // namespace nt::viewer
