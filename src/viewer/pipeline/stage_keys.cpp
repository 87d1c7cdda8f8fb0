#include "viewer/pipeline/stage_keys.h"

#include <exception>
#include <sstream>

#include "stylize/registry.h"
#include "stylize/stylize.h"
#include "video/temporal_consistency.h"
#include "viewer/pipeline/job_keys.h"

namespace nt::viewer {

std::string working_pictures_key(const ViewerState& state, const PipelineInputs& now) {
    const Image& content = state.content.image;
    const Image& style = state.style.image;
    std::ostringstream key;
    key << now.content_generation << ' ' << now.style_generation << ' ' << to_string(now.size) << " style ";
    try {
        const Size2 target = working_size(now.size, {content.width, content.height});
        const Size2 style_size =
            method_style_size(method_by_name(now.method).info(), {style.width, style.height}, target);
        key << style_size.width << 'x' << style_size.height;
    } catch (const std::exception& e) {
        key << "none: " << e.what();  // the working pictures stage fails with this
    }
    return key.str();
}

std::string device_tensors_key(const std::string& working_pictures, const PipelineInputs& now) {
    return working_pictures + " on " + std::to_string(int(now.device));
}

// The keys take the parameters as they are (ViewerState::pipeline_inputs completes them with the
// defaults): one out of its range is the method stage's error to report, not the key's.
std::string method_key(const std::string& device_tensors, const PipelineInputs& now, int restarts) {
    const MethodInfo& info = method_by_name(now.method).info();
    ParamValues params = now.params;
    if (!info.mix_param.empty()) params[info.mix_param] = 1.0;
    return device_tensors + " | " + job_key(now, info, params, runs_preview(info, now), restarts);
}

std::string finishing_key(const std::string& method, const ViewerState& state, const PipelineInputs& now) {
    return method + " # " + finishing_inputs_key(state, now);
}

std::string finishing_inputs_key(const ViewerState& state, const PipelineInputs& now) {
    const MethodInfo& info = method_by_name(now.method).info();
    const std::string& mix = info.mix_param;
    std::ostringstream key;
    const auto mix_value = mix.empty() ? now.params.end() : now.params.find(mix);
    key << (mix_value == now.params.end() ? -1.0 : mix_value->second) << '|' << now.preserve_colors << '|'
        << now.mask_generation << '/' << now.feather_px << '|' << mask_in_method(info, now) << '|'
        << (state.consistency ? state.consistency->strength() : -1.0);
    return key.str();
}

StageKeys stage_keys(const ViewerState& state, const PipelineInputs& now, int restarts) {
    StageKeys keys;
    keys.working_pictures = working_pictures_key(state, now);
    keys.device_tensors = device_tensors_key(keys.working_pictures, now);
    keys.method = method_key(keys.device_tensors, now, restarts);
    keys.finishing = finishing_key(keys.method, state, now);
    return keys;
}

StageFlags stale_stages(const StageKeys& last, const StageKeys& now) {
    StageFlags stale;
    stale.working_pictures = last.working_pictures != now.working_pictures;
    stale.device_tensors = last.device_tensors != now.device_tensors;
    stale.method = last.method != now.method;
    stale.finishing = last.finishing != now.finishing;
    return stale;
}

bool runs_preview(const MethodInfo& info, const PipelineInputs& now) {
    return now.preview && (info.needs_model || info.iterative);
}

bool mask_in_method(const MethodInfo& info, const PipelineInputs& now) {
    return method_consumes_mask(info, now.extra_style_generation ? 2 : 1);
}

}  // namespace nt::viewer
