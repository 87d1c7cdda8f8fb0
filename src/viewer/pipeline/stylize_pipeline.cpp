#include "viewer/pipeline/stylize_pipeline.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <sstream>
#include <string>
#include <utility>

#include "base/error.h"
#include "image/mask.h"
#include "image/resize.h"
#include "methods/blend_rgba8.h"
#include "stylize/stylize.h"
#include "image/tensor_convert.h"
#include "image/tensor_resize.h"
#include "viewer/pipeline/job_keys.h"
#include "viewer/pipeline/result_finishing.h"
#include "viewer/pipeline/stage_keys.h"
#include "stylize/registry.h"

namespace nt::viewer {

namespace {

// uint8 HWC -> float [1, 3, H, W] in 0..1, contiguous as image_to_tensor's (patch synthesis' argmin differs on NHWC).
at::Tensor to_float_nchw(const at::Tensor& hwc) {
    return hwc.permute({2, 0, 1}).contiguous().to(at::kFloat).div(255).unsqueeze(0);
}

// The size of a style tensor for a preview of `small` (height, width): as the method takes it
// (core method_style_size), from the style's own size.
std::pair<int64_t, int64_t> preview_style_size(const MethodInfo& info, const at::Tensor& style,
                                               std::pair<int64_t, int64_t> small) {
    const Size2 size =
        method_style_size(info, {int(style.size(3)), int(style.size(2))}, {int(small.second), int(small.first)});
    return {size.height, size.width};
}

// Thrown inside update() when a neural result is not ready yet.
struct NeuralPending {};
// Thrown inside update() while the working pictures are resized on their own thread.
struct InputsPending {};

}  // namespace

// This update's tensors, stage by stage, with the keys of what they are made from. The members
// change only when every stage succeeded (commit_inputs, commit_result), so a failure leaves the
// last good state in place.
struct StylizePipeline::Stages {
    Stages(const ViewerState& s, const PipelineInputs& n, const Method& m, StageKeys k)
        : state(s), now(n), method(m), params(resolve_params(m.info(), n.params)), keys(std::move(k)) {}
    const ViewerState& state;
    const PipelineInputs& now;
    const Method& method;
    ParamValues params;
    StageKeys keys;                   // this update's
    StageFlags stale;                 // the stages whose key changed since their kept output
    StageFlags ran;                   // the stages that ran
    std::optional<WorkingPair> pair;  // new working pictures, until committed
    at::Tensor content_u8, style_u8, content_f, style_f;
    at::Tensor output, remix, out;           // the method's (at mix 1), the mix buffer, the display's RGBA8
    std::optional<FinishedResult> finished;  // a worker result that arrived display-ready
};

bool StylizePipeline::runs_on_worker(const MethodInfo& info, const at::Tensor& content_hwc, bool fixed_point) const {
    if (info.needs_model || info.iterative) return true;
    // Any other method too once it is costly (Reinhard at 24 MP took 5 s): the window keeps
    // drawing while it computes. Blend's fixed-point path stays: it is a few ms even at 24 MP.
    return worker_ && !fixed_point && content_hwc.size(0) * content_hwc.size(1) > kInlineMethodPixels;
}

at::Tensor StylizePipeline::float_content() {
    if (!content_f_.defined()) content_f_ = to_float_nchw(content_u8_);
    return content_f_;
}

at::Tensor StylizePipeline::float_style() {
    if (!style_f_.defined()) style_f_ = to_float_nchw(style_u8_);
    return style_f_;
}

at::Tensor StylizePipeline::feathered_mask(const ViewerState& state, const PipelineInputs& now,
                                           const at::Tensor& content) {
    if (mask_key_ && mask_key_->generation == now.mask_generation && mask_key_->feather_px == now.feather_px &&
        mask_key_->content.is_same(content))
        return mask_f_;
    const int width = static_cast<int>(content.size(3)), height = static_cast<int>(content.size(2));
    // The same steps as nt::stylize(): the mask at the working size, then feathered on the device.
    at::Tensor mask = feather_mask(state.mask.tensor(width, height, content.device()), now.feather_px);
    mask_f_ = mask;
    mask_key_ = MaskKey{now.mask_generation, now.feather_px, content};
    return mask;
}

void StylizePipeline::set_models(ModelLibrary library, std::function<void()> wake) {
    pair_worker_ = std::make_unique<WorkingPairWorker>(wake);
    worker_ = std::make_unique<NeuralWorker>(std::move(library), std::move(wake));
    neural_key_.clear();
    neural_out_ = at::Tensor();
}

at::Tensor StylizePipeline::extra_style_tensor(const ViewerState& state, const MethodInfo& info,
                                               const at::Tensor& content) {
    const Image& extra = state.extra_style.image;
    const Size2 size =
        method_style_size(info, {extra.width, extra.height}, {int(content.size(3)), int(content.size(2))});
    std::ostringstream key;
    key << state.extra_style.generation << ' ' << size.width << 'x' << size.height << ' ' << content.device();
    if (key.str() != extra_style_key_ || !extra_style_f_.defined()) {
        // As the first style: at the size the method takes it, with the same filter.
        extra_style_f_ = image_to_tensor(resize_bilinear_antialias(extra, size.width, size.height), content.device());
        preview_extra_style_ = at::Tensor();
        extra_style_key_ = key.str();
    }
    return extra_style_f_;
}

// The content and style at the preview size (the style as the method takes it for the preview
// content). The shrunk copies are kept, so the worker's feature caches (keyed by tensor) hit, and
// a preview result is mixed with the same content it came from.
void StylizePipeline::make_preview_inputs(const MethodInfo& info, const at::Tensor& content, const at::Tensor& style) {
    const auto small = preview_size(content.size(2), content.size(3), kPreviewSide);
    if (!preview_src_content_.is_same(content)) {
        preview_src_content_ = content;
        preview_content_ = shrink(content, small);
    }
    if (!preview_src_style_.is_same(style)) {
        preview_src_style_ = style;
        preview_style_ = shrink(style, preview_style_size(info, style, small));
    }
}

// The content a method's output is mixed with: the working content, or for a preview kept at its
// own size (the display scales it to the panel) the preview content.
const at::Tensor& StylizePipeline::content_for(const at::Tensor& output, const at::Tensor& content) const {
    const bool same = output.size(2) == content.size(2) && output.size(3) == content.size(3);
    return same || !preview_content_.defined() ? content : preview_content_;
}

// The job for `now` at the given (full or preview) tensors: the method's run with what it needs
// (the worker adds its models, the cancellation and an iterative method's estimates).
NeuralJob StylizePipeline::make_job(const ViewerState& state, const PipelineInputs& now, const ParamValues& params,
                                    const at::Tensor& content, const at::Tensor& style, bool scaled) {
    const Method& method = method_by_name(now.method);
    const MethodInfo& info = method.info();
    const auto small = preview_size(content.size(2), content.size(3), kPreviewSide);
    if (scaled) make_preview_inputs(info, content, style);
    NeuralJob job;
    job.precision = now.precision;
    job.method = &method;
    job.params = params;
    job.content = scaled ? preview_content_ : content;
    RunContext& ctx = job.context;
    ctx.model = now.model;
    // A live video's running statistics; a preview's own (its statistics are not the frame's).
    ctx.temporal = scaled ? nullptr : state.temporal;
    if (info.reads_mask && now.mask_generation) {
        ctx.mask = feathered_mask(state, now, content);
        if (scaled) ctx.mask = shrink(ctx.mask, small);
    }
    if (info.uses_style) {
        job.style = scaled ? preview_style_ : style;
        if (info.max_styles >= 2 && now.extra_style_generation) {
            const at::Tensor second = extra_style_tensor(state, info, content);
            if (scaled && !preview_extra_style_.defined())
                preview_extra_style_ = shrink(second, preview_style_size(info, second, small));
            ctx.extra_styles.push_back(scaled ? preview_extra_style_ : second);
            // With a mask AdaIN's extra style paints the black region; otherwise the two mix.
            if (!now.mask_generation || !info.extra_style_fills_mask)
                ctx.style_weights = {1.0 - now.extra_style_weight, now.extra_style_weight};
        }
    }
    // Gatys from the picture on screen instead of its init parameter.
    if (info.starts_from_picture && state.iterate_from_current && last_picture_.defined() &&
        last_picture_.sizes().equals(job.content.sizes()))
        ctx.init = last_picture_;
    return job;
}

at::Tensor StylizePipeline::worker_result(Stages& st, const ParamValues& params, PipelineUpdate& update) {
    const ViewerState& state = st.state;
    const PipelineInputs& now = st.now;
    const at::Tensor& content = st.content_f;
    const at::Tensor& style = st.style_f;
    const MethodInfo& info = method_by_name(now.method).info();
    if (!worker_) throw Error(now.method, "the viewer's worker thread was not set up");
    if (info.needs_model && !info.uses_style && now.model.empty()) {
        const char* folder = info.model_kind ? model_kind_folder(*info.model_kind) : "";
        throw Error(info.label, "no model in " + (worker_->library().dir / folder).string() +
                                    " to choose from (tools/convert_weights.py makes them, see docs/MODELS.md)");
    }
    const auto small = preview_size(content.size(2), content.size(3), kPreviewSide);
    // Previews are the networks' (runs_preview): a colour method on the worker stays full size.
    const bool scaled = runs_preview(info, now) && (small.first != content.size(2) || small.second != content.size(3));
    const std::string key = job_key(now, info, params, scaled, restarts_);
    if (key == neural_key_ && neural_out_.defined()) return neural_out_;
    // The full resolution of the same job beats any preview (e.g. while the strength slider of
    // fast_style is dragged: the cached result at 1 is re-mixed, no network runs).
    if (scaled && neural_out_.defined() && neural_key_ == job_key(now, info, params, false, restarts_))
        return neural_out_;
    // A preview with nothing to finish at the working size (no mask, no preserved colours) stays
    // at its own size: the display scales it to the panel, no CPU upscale of every preview.
    const bool small_result = scaled && !now.preserve_colors && !now.mask_generation;
    if (scaled) make_preview_inputs(info, content, style);
    FinishSpec finish = finish_spec(st);
    if (small_result) finish.content = preview_content_;
    if (std::optional<NeuralOutcome> done = worker_->take(); done && done->key == key) {
        if (!done->error.empty()) throw Error(done->error);
        neural_key_ = key;
        // Finished on the worker for the current finishing (a mix or mask that moved while it ran
        // is finished here instead): this thread only uploads it.
        if (done->finished && done->finish_key == finish.key) {
            st.finished = std::move(done->finished);
            update.finished_on_worker = true;
            neural_out_ = st.finished->output;
        } else {
            // Coarse estimates and previews are smaller: brought to the working size (a small
            // preview's own size).
            neural_out_ = to_working_size(done->result, small_result ? preview_content_ : content);
        }
        update.neural_ms = done->ms;
        update.neural_precision = done->precision;
        if (info.iterative) last_picture_ = neural_out_;
        return neural_out_;
    }
    // An iterative job's newest estimate, once each: the result panel shows it converge.
    if (std::optional<NeuralEstimate> e = worker_->latest_estimate(); e && e->key == key)
        if (std::optional<at::Tensor> shown = show_estimate(*e, content, update)) return *shown;
    // An iterative preview: the inputs without the parameters (a held slider changes only those).
    const std::string preview_of = scaled && info.iterative ? job_key(now, info, {}, true, restarts_) : "";
    if (!worker_->working_on(key)) {
        NeuralJob job = make_job(state, now, params, content, style, scaled);
        job.key = key;
        job.finish = finish;
        job.preview_of = preview_of;
        worker_->submit(std::move(job));
    }
    // While a slider moves, the estimate of a preview its newer value replaced stands in for it.
    if (!preview_of.empty())
        if (std::optional<NeuralEstimate> e = worker_->take_preview_estimate(); e && e->preview_of == preview_of)
            if (std::optional<at::Tensor> shown = show_estimate(*e, content, update)) return *shown;
    throw NeuralPending{};
}

// An iterative job's estimate `e` at the working size, unless it is the one already on screen.
std::optional<at::Tensor> StylizePipeline::show_estimate(const NeuralEstimate& e, const at::Tensor& content,
                                                         PipelineUpdate& update) {
    const std::string id = e.key + "#" + std::to_string(e.step);
    if (id == estimate_shown_) return std::nullopt;
    estimate_shown_ = id;
    update.converging = true;
    update.step = e.step;
    update.total_steps = e.total;
    last_picture_ = to_working_size(e.estimate, content);
    return last_picture_;
}

// The working pictures, and their tensors on the device, each kept while its key is the same.
void StylizePipeline::working_stage(Stages& st) {
    st.ran.working_pictures = st.stale.working_pictures;
    st.ran.device_tensors = st.stale.device_tensors;
    if (st.ran.working_pictures) st.pair = working_pair(st.state, st.now, st.keys.working_pictures);
    st.content_u8 = content_u8_;
    st.style_u8 = style_u8_;
    st.content_f = content_f_;
    st.style_f = style_f_;
    st.output = output_f_;
    st.out = result_rgba_;
    st.remix = remix_f_;
    if (!st.ran.device_tensors) return;
    const c10::Device device = resolve_device(st.now.device);
    st.content_u8 = image_to_hwc_tensor(st.pair ? st.pair->content : working_content_, device);
    st.style_u8 = image_to_hwc_tensor(st.pair ? st.pair->style : working_style_, device);
    st.content_f = st.style_f = st.output = st.out = at::Tensor();  // new size or device: new buffers
}

// The pictures at the working size: here when small, else on the resize thread (throws
// InputsPending until it is done), so a big photo or working size never holds the window.
WorkingPair StylizePipeline::working_pair(const ViewerState& state, const PipelineInputs& now, const std::string& key) {
    const Image& content = state.content.image;
    const Image& style = state.style.image;
    const Size2 target = working_size(now.size, {content.width, content.height});  // beyond the limits: throws
    const MethodInfo& info = method_by_name(now.method).info();
    const std::int64_t pixels =
        std::max(std::int64_t(content.width) * content.height, std::int64_t(target.width) * target.height);
    if (!pair_worker_ || pixels <= kInlineResizePixels) return make_working_pair(content, style, now.size, info);
    if (std::optional<WorkingPair> pair = pair_worker_->take_or_request(key, content, style, now.size, info))
        return std::move(*pair);
    throw InputsPending{};
}

// The stages before the method, kept when they succeeded (also while a worker job runs).
void StylizePipeline::commit_inputs(Stages& st) {
    if (st.pair) {
        working_content_ = std::move(st.pair->content);
        working_style_ = std::move(st.pair->style);
        st.pair.reset();
    }
    content_u8_ = st.content_u8;
    style_u8_ = st.style_u8;
    content_f_ = st.content_f;
    style_f_ = st.style_f;
    keys_.working_pictures = st.keys.working_pictures;
    keys_.device_tensors = st.keys.device_tensors;
}

// The method's output at `p`: here, or from the worker (throws NeuralPending until it is in).
at::Tensor StylizePipeline::run_method(Stages& st, const ParamValues& p, bool on_worker, PipelineUpdate& update) {
    if (!on_worker) return st.method.run(st.content_f, st.style_f, p, RunContext{{}, {}, {}, st.state.temporal});
    try {
        return worker_result(st, p, update);
    } catch (const NeuralPending&) {
        keep_inputs_while_pending(st, update);
        throw;
    }
}

// The method stage: its output, kept with the method key. A method with a mix parameter runs at
// 1 and the finishing mixes it with the content, so the mix parameter moving costs no new run.
void StylizePipeline::method_stage(Stages& st, bool on_worker, PipelineUpdate& update) {
    const std::string& mix = st.method.info().mix_param;
    ParamValues p = st.params;
    if (!mix.empty()) p[mix] = 1.0;
    st.output = run_method(st, p, on_worker, update);
    st.ran.method = true;
    // A worker's cached result (no job finished in this update) is a re-mix too.
    update.remixed = !mix.empty() && on_worker && update.neural_ms == 0.0 && !update.converging;
}

// The finishing stage: the mix, preserve colours and the mask, then the display's RGBA8 (done on
// the worker already for a result that arrived finished; there too for a big one).
void StylizePipeline::finishing_stage(Stages& st, PipelineUpdate& update) {
    st.ran.finishing = true;
    if (st.finished) {
        st.out = st.finished->rgba;
        return;
    }
    FinishSpec spec = finish_spec(st);
    spec.content = content_for(st.output, st.content_f);  // a preview kept at its own size
    // Not an iterative estimate: its job still runs on the worker, which a finishing job would stop.
    if (worker_ && !update.converging &&
        (spec.content.size(2) * spec.content.size(3) > kInlineFinishPixels || spec.consistency)) {
        st.out = worker_finished(st, std::move(spec), update);
        return;
    }
    const at::Tensor stylized = spec.mix ? mix_output(spec.content, st.output, *spec.mix, st.remix) : st.output;
    st.out = float_to_rgba8(finish_output(spec, stylized), st.out);
}

// A big result's finishing alone (a mix parameter, preserve colours or the mask moved, the method's
// output kept): a worker job of its own, whose run is that output (throws NeuralPending until the
// RGBA8 is in).
at::Tensor StylizePipeline::worker_finished(Stages& st, FinishSpec spec, PipelineUpdate& update) {
    const std::string key = "finish " + st.keys.finishing;
    if (std::optional<NeuralOutcome> done = worker_->take(); done && done->key == key) {
        if (!done->error.empty()) throw Error(done->error);
        if (done->finished) {
            update.finished_on_worker = true;
            return done->finished->rgba;
        }
    }
    if (!worker_->working_on(key)) {
        NeuralJob job;
        job.key = key;
        job.method = &st.method;  // progress() groups the job with the method's runs, as before
        job.run = [output = st.output](NeuralStylizer&, const RunContext&) { return output; };
        spec.output_ready = true;  // the kept output: at the working size and clamped
        job.finish = std::move(spec);
        worker_->submit(std::move(job));
    }
    keep_inputs_while_pending(st, update);
    throw NeuralPending{};
}

// A worker job computes the result: the stages before the method are kept, and the new working
// pictures can be shown already.
void StylizePipeline::keep_inputs_while_pending(Stages& st, PipelineUpdate& update) {
    commit_inputs(st);
    update.ran = StageFlags{};
    update.ran.working_pictures = st.ran.working_pictures;
}

// How the method's output for `st` is finished: its mix value, preserve colours, the mask.
FinishSpec StylizePipeline::finish_spec(Stages& st) {
    FinishSpec spec;
    spec.content = st.content_f;
    const std::string& mix = st.method.info().mix_param;
    if (!mix.empty()) spec.mix = st.params.at(mix);
    spec.preserve_colors = st.now.preserve_colors;
    spec.finish = st.now.preserve_colors || st.now.mask_generation != 0;
    if (st.now.mask_generation && !mask_in_method(st.method.info(), st.now))
        spec.mask = feathered_mask(st.state, st.now, st.content_f);
    spec.key = finishing_inputs_key(st.state, st.now);
    // A live video's temporal consistency, for full results (a preview is not a frame's result).
    if (st.state.consistency && worker_ && !st.now.preview) {
        spec.consistency = st.state.consistency;
        spec.frame_input = st.content_u8;
        spec.frame = st.now.content_generation;
        spec.look = std::hash<std::string>{}(st.now.method + '|' + st.now.model + '|' +
                                             std::to_string(st.now.style_generation));
    }
    return spec;
}

void StylizePipeline::commit_result(Stages& st, PipelineUpdate& update) {
    commit_inputs(st);
    keys_ = st.keys;
    output_f_ = st.output;
    remix_f_ = st.remix;
    result_rgba_ = st.out;
    shown_fixed_point_ = update.fixed_point;
    shown_preview_ = update.preview = runs_preview(st.method.info(), st.now);
    // An intermediate estimate is on screen: the job goes on, keep polling.
    result_pending_ = update.converging;
    shown_converging_ = update.converging;
    shown_step_ = update.step;
    shown_total_steps_ = update.total_steps;
    result_host_ = at::Tensor();
    exact_result_.reset();
    shown_ = st.now;
    failed_.reset();
    failure_.clear();
    update.ran = st.ran;
}

// The stages in order, each rerun only when its key changed (stage_keys.h): working pictures ->
// device tensors -> method -> finishing and display. A worker job still computing (or a restart)
// keeps asking the method stage for its result.
void StylizePipeline::run_stages(Stages& st, bool poll, PipelineUpdate& update) {
    st.stale = stale_stages(keys_, st.keys);
    working_stage(st);
    const bool finishing = st.now.preserve_colors || st.now.mask_generation != 0;
    // A live video's temporal consistency runs on the worker, after the float finishing: every
    // method goes there then (its flow is not the UI thread's to wait for), none the fixed-point way.
    const bool consistent = st.state.consistency && worker_;
    const bool fixed_point = !finishing && !consistent && st.method.info().fixed_point_rgba8;
    const bool on_worker = consistent || runs_on_worker(st.method.info(), st.content_u8, fixed_point);
    const bool method_stale = poll || st.stale.method || !st.out.defined();
    if (!method_stale && !st.stale.finishing) return;  // nothing changed
    // A method computed here makes whatever the worker still runs stale (e.g. a synthesis
    // left for Blend): stop it instead of letting it use the CPU to the end.
    if (!on_worker && worker_ && worker_->busy()) worker_->cancel_all();
    if (fixed_point) {
        // Into the previous frame's buffer when it fits: no allocation while a slider moves.
        st.out = blend_rgba8(st.content_u8, st.style_u8, st.params.at("alpha"), st.out);
        st.output = at::Tensor();
        st.ran.method = st.ran.finishing = true;
        update.fixed_point = true;
    } else {
        if (!st.content_f.defined()) st.content_f = to_float_nchw(st.content_u8);
        if (!st.style_f.defined()) st.style_f = to_float_nchw(st.style_u8);
        // Only a finishing change (a stroke, the feather, preserve colours, a mix parameter):
        // the method's kept output is finished again.
        if (method_stale || !st.output.defined()) method_stage(st, on_worker, update);
        else update.remixed = !st.method.info().mix_param.empty();
        finishing_stage(st, update);
    }
    commit_result(st, update);
}

PipelineUpdate StylizePipeline::update(const ViewerState& state) {
    PipelineUpdate update;
    if (!state.content.loaded() || !state.style.loaded()) return update;
    const PipelineInputs now = state.pipeline_inputs();
    const StageKeys keys = stage_keys(state, now, restarts_);
    // Inputs that just failed are not retried every frame: only once a stage's key changes.
    if (failed_ && !stale_stages(*failed_, keys).any()) return update;
    const bool poll = result_pending_ || restart_;
    restart_ = false;

    const auto start = std::chrono::steady_clock::now();
    try {
        at::InferenceMode inference;
        Stages stages(state, now, method_by_name(now.method), keys);
        run_stages(stages, poll, update);
    } catch (const InputsPending&) {
        // The pictures are being resized: nothing changes until they are (the working key stays,
        // so the next update asks again); the shown result stays meanwhile.
        result_pending_ = true;
        update.pending = true;
    } catch (const NeuralPending&) {
        // The working pictures and tensors are kept (commit_inputs); the result follows from the
        // worker, and the shown result (and what it was made from) stays until then.
        result_pending_ = true;
        update.pending = true;
    } catch (const std::exception& e) {
        // Retry from scratch on the next change. The previous result is dropped: it was made by
        // other settings, and the panel, its caption and Save must not pass it off as this one.
        keys_ = StageKeys{};
        result_pending_ = false;
        failed_ = keys;
        drop_result(e.what());
        update.error = e.what();
        update.ran = StageFlags::all();
    }
    update.compute_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return update;
}

void StylizePipeline::drop_result(const std::string& why) {
    result_rgba_ = at::Tensor();
    result_host_ = at::Tensor();
    exact_result_.reset();
    shown_.reset();
    shown_preview_ = shown_converging_ = false;
    failure_ = why;
}

void StylizePipeline::restart() {
    if (worker_) worker_->cancel_all();
    neural_key_.clear();
    neural_out_ = at::Tensor();
    estimate_shown_.clear();
    ++restarts_;
    restart_ = true;
}

const at::Tensor& StylizePipeline::result_rgba_host() {
    if (!has_result() || !result_rgba_.is_cuda()) return result_rgba_;
    if (!result_host_.defined()) result_host_ = result_rgba_.to(at::kCPU);
    return result_host_;
}

Image StylizePipeline::result_image() {
    if (!has_result() || !shown_) throw Error(failure_.empty() ? "no result to save" : "no valid result: " + failure_);
    if (result_pending_ && !shown_converging_)
        throw Error("the result of the current settings is still being computed; the panel shows the previous one");
    if (shown_preview_)
        throw Error("the result on screen is a preview: release the control and wait for the full resolution");
    if (shown_converging_)
        throw Error("the result is still converging (step " + std::to_string(shown_step_) + " of " +
                    std::to_string(shown_total_steps_) + "): it can be saved once the last step is done");
    if (!exact_result_) {
        at::InferenceMode inference;
        const Method& method = method_by_name(shown_->method);
        const ParamValues params = resolve_params(method.info(), shown_->params);
        // The exact float path: the same ops as nt::stylize(), on the resident tensors.
        exact_result_ = shown_fixed_point_ ? tensor_to_image(method.apply(float_content(), float_style(), params))
                                           : rgba8_to_image(result_rgba_);
    }
    return *exact_result_;
}

}  // namespace nt::viewer
