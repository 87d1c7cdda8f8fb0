#include "viewer/pipeline/job_keys.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <sstream>

#include "nets/precision.h"

namespace nt::viewer {

std::pair<int64_t, int64_t> preview_size(int64_t height, int64_t width, int preview_side) {
    const int64_t longest = std::max(height, width);
    if (longest <= preview_side) return {height, width};
    const double scale = double(preview_side) / double(longest);
    return {std::max<int64_t>(8, int64_t(height * scale + 0.5)), std::max<int64_t>(8, int64_t(width * scale + 0.5))};
}

at::Tensor shrink(const at::Tensor& t, std::pair<int64_t, int64_t> size) {
    if (t.size(2) == size.first && t.size(3) == size.second) return t;
    return at::adaptive_avg_pool2d(t, {size.first, size.second});
}

std::string neural_key(const PipelineInputs& now, const MethodInfo& info, const ParamValues& params,
                       bool preview_scaled) {
    const bool uses_style = info.uses_style;
    std::ostringstream key;
    key << now.method << '|' << now.model << '|' << now.content_generation << '|'
        << (uses_style ? now.style_generation : 0) << '|' << now.size.width << 'x' << now.size.height << ':'
        << int(now.size.mode) << '|' << int(now.device) << '|' << (preview_scaled ? "preview" : "full");
    if (info.follows_precision) key << '|' << to_string(now.precision);
    for (const auto& [name, value] : params) key << '|' << name << '=' << value;
    if (info.reads_mask)
        key << "|mask" << now.mask_generation << '/' << now.feather_px << "|extra_style " << now.extra_style_generation
            << '/' << now.extra_style_weight;
    return key.str();
}

std::string job_key(const PipelineInputs& now, const MethodInfo& info, const ParamValues& params, bool preview_scaled,
                    int restarts) {
    return neural_key(now, info, params, preview_scaled) + "|run " + std::to_string(restarts);
}

}  // namespace nt::viewer
