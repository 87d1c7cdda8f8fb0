#pragma once
// The compute side of the viewer, without GL: keeps the working pictures (CPU copies for display
// and pixel readouts) and their tensors resident on the chosen device, and reruns only the stale
// stages. It is a chain — working pictures -> device tensors -> method -> finishing (mix,
// preserve colours, mask) and display — whose every stage keeps its output with its key (the one
// definition of each: stage_keys.h) and reruns only when that key changes. Idle frames cost
// nothing: update() builds the keys and returns when none changed.
//
// The result is kept display-ready: RGBA8 [H, W, 4] on the compute device, uploaded as is. The
// Blend method takes the fixed-point path (uint8 in, RGBA8 out, within one level of the float
// path, see methods/blend_rgba8.h); every other method runs on float tensors and is converted.
// Exports use result_image(), which is always the exact float path, so a saved result equals the
// command line's for the same settings.
//
// Neural methods (fast_style, adain, torchscript), iterative ones (patch_synthesis) and, beyond
// kInlineMethodPixels, every other method but Blend's fixed-point path run on a worker thread
// (neural_worker.h): update() submits a job and returns with `pending` set, the
// previous result staying on screen; later updates pick the result up. An iterative method's
// intermediate estimates are shown as they arrive (`converging`; Save refuses them) until the
// final result replaces them. While a control is dragged (ViewerState::interacting) the job runs
// at a preview resolution (long side kPreviewSide), and without a mask or preserved colours its
// result stays at that size (result_width() says so; the display scales it to the panel);
// on release the full resolution follows. A fast_style/torchscript result is kept at strength 1 and re-mixed, so the
// strength slider never waits for the network.
//
// With preserve colours or a mask the result takes the float path and then core finish_stylized.
// The method's float output is kept, so a brush stroke, a feather change or a mix parameter reruns
// only the finishing stage; the feathered mask is kept per (mask generation, feather). A worker
// job carries its finishing (result_finishing.h): its result arrives display-ready.
#include <ATen/Tensor.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "viewer/pipeline/neural_worker.h"
#include "viewer/pipeline/result_finishing.h"
#include "viewer/pipeline/stage_keys.h"
#include "viewer/pipeline/working_pair_worker.h"
#include "viewer/state/viewer_state.h"

namespace nt::viewer {

struct PipelineUpdate {
    StageFlags ran;                   // the stages that ran (all false: nothing changed); while pending, only
                                      // working_pictures (new pictures to show) may be set
    double compute_ms = 0.0;          // resize + tensor transfer + method + finishing + conversion to RGBA8
    bool fixed_point = false;         // the Blend fast path produced the result
    bool remixed = false;             // only a mix parameter moved: the cached result at 1 was re-mixed
    std::string error;                // non-empty when a stage failed; the previous result stays
    bool pending = false;             // a neural job is computing this update's result; the previous one stays
    bool preview = false;             // the result shown is a low-resolution preview
    double neural_ms = 0.0;           // when a neural result arrived: its time on the worker
    std::string neural_precision;     // ... and the number format it computed in
    bool finished_on_worker = false;  // a worker result arrived display-ready: this update only took it
    bool converging = false;          // the result is an iterative method's intermediate estimate
    int step = 0, total_steps = 0;    // which one
};

// Working sizes with a long side above this get a preview at this long side while dragging.
inline constexpr int kPreviewSide = 256;
// Methods that need no network run on the UI thread (the result in the same frame) only up to
// this many working pixels; beyond it on the worker, as the networks do.
inline constexpr std::int64_t kInlineMethodPixels = 640 * 480;
// Pictures (or working sizes) above this many pixels are resized on their own thread.
inline constexpr std::int64_t kInlineResizePixels = 2'000'000;
// Results above this many pixels are finished (mix, preserve colours, mask, RGBA8) on the worker
// also when only the finishing changed (a strength slider on a 12 MP result).
inline constexpr std::int64_t kInlineFinishPixels = 2'000'000;

class StylizePipeline {
public:
    // Brings the working pictures, tensors and result up to date with `state`. Never throws: a failure
    // (size beyond the limits, a device error, ...) is reported and the last good result kept.
    PipelineUpdate update(const ViewerState& state);

    // Where neural methods find their models; starts the worker threads (the networks and other
    // costly methods, and the resizing of big pictures). `wake` is called from the
    // worker when a result is ready (the viewer posts an empty GLFW event). Without it, neural
    // methods report that no models were set up.
    void set_models(ModelLibrary library, std::function<void()> wake = {});
    const NeuralWorker* neural_worker() const { return worker_.get(); }
    // A worker job for the current inputs is still running: call update() again soon.
    bool pending() const { return result_pending_; }
    // The result shown is an iterative method's intermediate estimate, not its final result.
    bool converging() const { return shown_converging_; }
    // The result shown is a neural preview (low resolution while a control is held).
    bool shows_preview() const { return shown_preview_; }
    // The step of the estimate shown (0: a final result, or not an iterative method).
    int shown_step() const { return shown_converging_ ? shown_step_ : 0; }
    // Starts the current iterative job again (from the content, or the picture shown when
    // state.iterate_from_current), at the next update.
    void restart();
    // Holds or resumes the running iterative job (NeuralWorker::set_paused).
    void set_paused(bool paused) {
        if (worker_) worker_->set_paused(paused);
    }

    // A result is on the result panel. After a failure there is none (failure() says why), never
    // the previous settings' picture under the new caption.
    bool has_result() const { return result_rgba_.defined(); }
    // Why the last update left no valid result ("" when it did not fail).
    const std::string& failure() const { return failure_; }
    // What the result on the panel was computed from (its caption); nullopt without a result.
    const std::optional<PipelineInputs>& shown_inputs() const { return shown_; }
    const Image& working_content() const { return working_content_; }
    const Image& working_style() const { return working_style_; }
    int result_width() const { return has_result() ? int(result_rgba_.size(1)) : 0; }
    int result_height() const { return has_result() ? int(result_rgba_.size(0)) : 0; }

    // Display-ready RGBA8 [H, W, 4], contiguous, on the compute device.
    const at::Tensor& result_rgba() const { return result_rgba_; }
    // The same in host memory (the tensor itself on the CPU; downloaded once per result on a GPU).
    const at::Tensor& result_rgba_host();
    // The result as the float path computes it (for exports); throws nt::Error saying why when
    // there is none to save: no valid result, a preview, an estimate, or one still computing.
    Image result_image();

private:
    struct MaskKey {
        std::uint64_t generation = 0;
        double feather_px = 0;
        at::Tensor content;  // the working content it was made for (its size and device)
    };
    struct Stages;
    void run_stages(Stages& st, bool poll, PipelineUpdate& update);
    void working_stage(Stages& st);
    WorkingPair working_pair(const ViewerState& state, const PipelineInputs& now, const std::string& key);
    void commit_inputs(Stages& st);
    void keep_inputs_while_pending(Stages& st, PipelineUpdate& update);
    void method_stage(Stages& st, bool on_worker, PipelineUpdate& update);
    at::Tensor run_method(Stages& st, const ParamValues& p, bool on_worker, PipelineUpdate& update);
    void finishing_stage(Stages& st, PipelineUpdate& update);
    at::Tensor worker_finished(Stages& st, FinishSpec spec, PipelineUpdate& update);
    void commit_result(Stages& st, PipelineUpdate& update);
    void drop_result(const std::string& why);
    bool runs_on_worker(const MethodInfo& info, const at::Tensor& content_hwc, bool fixed_point) const;
    at::Tensor float_content();
    at::Tensor float_style();
    // The feathered mask for `now` at the size and device of `content`, cached per MaskKey.
    at::Tensor feathered_mask(const ViewerState& state, const PipelineInputs& now, const at::Tensor& content);
    // A neural method's output for `params` at the working size: from the cache, from a finished
    // job, or nothing yet (a job is submitted; throws NeuralPending).
    // AdaIN's extra style as a float tensor on the device of `content`, at the size `info` takes
    // it for that content (method_style_size).
    at::Tensor extra_style_tensor(const ViewerState& state, const MethodInfo& info, const at::Tensor& content);
    at::Tensor worker_result(Stages& st, const ParamValues& params, PipelineUpdate& update);
    std::optional<at::Tensor> show_estimate(const NeuralEstimate& e, const at::Tensor& content, PipelineUpdate& update);
    FinishSpec finish_spec(Stages& st);
    void make_preview_inputs(const MethodInfo& info, const at::Tensor& content, const at::Tensor& style);
    const at::Tensor& content_for(const at::Tensor& output, const at::Tensor& content) const;
    NeuralJob make_job(const ViewerState& state, const PipelineInputs& now, const ParamValues& params,
                       const at::Tensor& content, const at::Tensor& style, bool scaled);

    // What the kept outputs were made from, stage by stage: working_content_ and working_style_,
    // content_u8_ and style_u8_ (content_f_, style_f_), output_f_, result_rgba_. A stage reruns
    // only when its key differs (or a worker job is still to be asked for its result).
    StageKeys keys_;
    std::optional<StageKeys> failed_;      // the keys of the last failure, not retried
    std::optional<PipelineInputs> shown_;  // what result_rgba_ was computed from (kept on failure)
    Image working_content_;
    Image working_style_;
    at::Tensor content_u8_, style_u8_;  // uint8 [H, W, 3] on the device: the fixed-point path
    at::Tensor content_f_, style_f_;    // float [1, 3, H, W] on the device, made on first need
    at::Tensor output_f_;               // the method's float output (its mix parameter at 1), for finishing
    at::Tensor remix_f_;                // reused buffer for mixing output_f_ with the content
    at::Tensor mask_f_;                 // feathered mask [1, 1, H, W] on the device
    std::optional<MaskKey> mask_key_;
    at::Tensor result_rgba_;
    bool shown_fixed_point_ = false;                  // result_rgba_ came from the fixed-point path
    at::Tensor result_host_;                          // host copy of a GPU result, until the next update
    std::unique_ptr<WorkingPairWorker> pair_worker_;  // with set_models: big resizes off this thread
    std::unique_ptr<NeuralWorker> worker_;
    std::string neural_key_;         // what neural_out_ was computed from
    at::Tensor neural_out_;          // the last neural result at the working size
    bool result_pending_ = false;    // the current inputs' result is still being computed (worker, resize)
    bool shown_preview_ = false;     // result_rgba_ is a preview
    bool shown_converging_ = false;  // result_rgba_ is an intermediate estimate (not saved)
    int shown_step_ = 0, shown_total_steps_ = 0;
    std::string estimate_shown_;  // the worker estimate last taken ("key#step")
    at::Tensor last_picture_;     // the iterative method's picture on screen (float, working size)
    bool restart_ = false;        // restart() was asked: resubmit at the next update
    int restarts_ = 0;            // part of every job key: a restart is a new job
    at::Tensor preview_src_content_, preview_content_;  // content_f and its preview-size copy
    at::Tensor preview_src_style_, preview_style_;
    at::Tensor extra_style_f_, preview_extra_style_;  // AdaIN's extra style at the working / preview size
    std::string extra_style_key_;                     // generation and size extra_style_f_ was made for
    std::optional<Image> exact_result_;               // result_image()'s cache, until the next update
    std::string failure_;                             // why there is no result (the last update failed)
};

}  // namespace nt::viewer
