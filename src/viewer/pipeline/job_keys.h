#pragma once
// What a worker job's result depends on (its key: two jobs with one key give one result), and the
// smaller copy of the inputs a preview runs on while a control is held. No GL.
#include <ATen/Tensor.h>

#include <cstdint>
#include <string>
#include <utility>

#include "methods/method.h"
#include "viewer/state/viewer_state.h"

namespace nt::viewer {

// The preview size for a working size: the long side brought down to `preview_side` (the same
// size when it is already that small).
std::pair<int64_t, int64_t> preview_size(int64_t height, int64_t width, int preview_side);

// Area-averaged downscale of float [1, C, H, W] (a preview only needs to be fast and not alias).
at::Tensor shrink(const at::Tensor& t, std::pair<int64_t, int64_t> size);

// The key of a method's run on the worker: the inputs, the size and device, the parameters, and
// whether it runs at the preview size.
std::string neural_key(const PipelineInputs& now, const MethodInfo& info, const ParamValues& params,
                       bool preview_scaled);
// The key of a worker job: neural_key and the number of restarts (a restart is a new job even
// with the same inputs; the old one may be paused or done).
std::string job_key(const PipelineInputs& now, const MethodInfo& info, const ParamValues& params, bool preview_scaled,
                    int restarts);

}  // namespace nt::viewer
