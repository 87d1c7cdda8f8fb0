#pragma once
// What follows a method's output before it reaches the screen: brought to the working size, mixed
// with the content by its mix parameter, finished (preserve colours, the mask: core
// finish_stylized) and converted to the display's RGBA8. The pipeline runs it on the UI thread
// for small results and hands it to the worker with every job there, so a big result (4000 x
// 3000) arrives display-ready and the frame it arrives in only uploads it. Both places call the
// same functions: the picture is the same bit for bit wherever it was finished.
#include <ATen/Tensor.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "base/cancel.h"
#include "video/temporal_consistency.h"

namespace nt::viewer {

// The finishing of one result.
struct FinishSpec {
    at::Tensor content;         // float [1, 3, H, W]: the working content (size, device, mix and finish)
    std::optional<double> mix;  // the mix parameter's value when the output is the method at 1
    bool finish = false;        // preserve colours or a mask: finish_stylized runs
    bool preserve_colors = false;
    at::Tensor mask;            // the feathered mask [1, 1, H, W]; undefined: none (or the method used it)
    bool output_ready = false;  // the output is already at the working size and clamped (a kept one)
    // A live video's temporal consistency (video_session.h), last: the RGBA8 is pulled towards the
    // previous frame's along the flow of `frame_input` (uint8 [H, W, 3], the working content).
    // Only on the worker: the flow is not the UI thread's to wait for.
    std::shared_ptr<TemporalConsistency> consistency;
    at::Tensor frame_input;
    std::uint64_t frame = 0;  // the content generation: the same frame again is re-blended, not chained
    std::uint64_t look = 0;   // what made the result (method, model, style): a change restarts
    std::string key;          // what the above were made from: a worker result is taken finished only
                              // when its key is the current one
};

struct FinishedResult {
    at::Tensor output;  // the method's output at the working size, clamped to 0..1 (the cache)
    at::Tensor rgba;    // RGBA8 [H, W, 4], display-ready
};

// A worker's output (any size) at the working size of `content`, clamped to 0..1.
at::Tensor to_working_size(const at::Tensor& output, const at::Tensor& content);
// `full` (the method at mix 1, clamped) mixed with `content` by v: mix_by_strength(content, full, v)
// bit for bit; into `buffer` (reused when its size and device fit) when 0 < v < 1.
at::Tensor mix_output(const at::Tensor& content, const at::Tensor& full, double v, at::Tensor& buffer);
// finish_stylized when spec.finish, else `stylized` itself.
at::Tensor finish_output(const FinishSpec& spec, const at::Tensor& stylized);
// An RGBA8 result made consistent with the last frame's by spec.consistency (a copy on the CPU,
// filtered there, back on the result's device).
at::Tensor consistent(const at::Tensor& rgba, const FinishSpec& spec);
// All of it for a worker's raw output, checking `cancel` between the steps (a newer job makes it
// stale: it stops at the next step). The mix goes into `mix_buffer` (the worker's own, reused:
// nothing else reads it); the RGBA8 is new (the UI thread may still show the last one).
FinishedResult finish_result(const at::Tensor& raw, const FinishSpec& spec, const CancelToken& cancel,
                             at::Tensor& mix_buffer);

}  // namespace nt::viewer
