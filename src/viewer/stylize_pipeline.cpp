#include "viewer/stylize_pipeline.h"

#include <ATen/ATen.h>

#include <chrono>

#include "core/stylize.h"
#include "core/tensor_convert.h"

namespace nt::viewer {

PipelineUpdate StylizePipeline::update(const ViewerState& state) {
    PipelineUpdate update;
    if (!state.content.loaded() || !state.style.loaded()) return update;
    const PipelineInputs now = state.pipeline_inputs();
    const RecomputePlan plan = plan_recompute(last_, now);
    // Unchanged inputs: nothing to do. Inputs that just failed are not retried every frame.
    if (!plan.any() || (failed_ && !plan_recompute(failed_, now).any())) return update;

    const auto start = std::chrono::steady_clock::now();
    try {
        if (plan.working_images) {
            WorkingPair pair = make_working_pair(state.content.image, state.style.image, now.size);
            working_content_ = std::move(pair.content);
            working_style_ = std::move(pair.style);
        }
        at::InferenceMode inference;
        if (plan.device_tensors) {
            const c10::Device device = resolve_device(now.device);
            content_tensor_ = image_to_tensor(working_content_, device);
            style_tensor_ = image_to_tensor(working_style_, device);
        }
        const Method& method = method_by_name(now.method);
        const ParamValues params = resolve_params(method.info(), now.params);
        result_ = tensor_to_image(method.apply(content_tensor_, style_tensor_, params));
        last_ = now;
        failed_.reset();
        update.ran = plan;
    } catch (const std::exception& e) {
        // Keep the last good result on screen; retry from scratch on the next change.
        last_.reset();
        failed_ = now;
        update.error = e.what();
        update.ran = plan;
    }
    update.compute_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return update;
}

}  // namespace nt::viewer
