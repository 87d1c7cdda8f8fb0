#include "nets/gatys_levels.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "image/sizing.h"
#include "image/tensor_resize.h"

namespace nt {

std::vector<GatysLevel> gatys_levels(std::int64_t top_h, std::int64_t top_w, int iterations) {
    std::vector<GatysLevel> levels;
    std::int64_t h = top_h, w = top_w;
    // From the top down, halving while the long side stays at least the first level's side.
    levels.push_back({h, w, 0});
    while (std::max(h, w) / 2 >= kGatysFirstLevelSide) {
        h = std::max<std::int64_t>(1, (h + 1) / 2);
        w = std::max<std::int64_t>(1, (w + 1) / 2);
        levels.push_back({h, w, 0});
    }
    std::reverse(levels.begin(), levels.end());
    const int floor_iterations = std::max(1, iterations / 10);
    int n = iterations;
    for (GatysLevel& level : levels) {
        level.iterations = std::max(floor_iterations, n);
        n /= 2;
    }
    return levels;
}

int gatys_level_steps(const std::vector<GatysLevel>& levels) {
    int total = 0;
    for (const GatysLevel& l : levels) total += l.iterations;
    return total;
}

namespace {

// The styles for one level: the size each has for the whole content (style_working_size) scaled
// as the level is, so that strokes keep their size relative to the picture at every level.
// Truncated, so that the level's own sizing (gatys_transfer's) keeps them as they are.
std::vector<at::Tensor> level_styles(const std::vector<at::Tensor>& styles, const at::Tensor& content,
                                     const GatysLevel& level) {
    const double factor = std::sqrt(double(level.height * level.width) / double(content.size(2) * content.size(3)));
    std::vector<at::Tensor> out;
    for (const at::Tensor& style : styles) {
        const Size2 base =
            style_working_size({int(style.size(3)), int(style.size(2))}, {int(content.size(3)), int(content.size(2))});
        out.push_back(resize_tensor(style, std::max<std::int64_t>(1, std::int64_t(base.height * factor)),
                                    std::max<std::int64_t>(1, std::int64_t(base.width * factor))));
    }
    return out;
}

}  // namespace

at::Tensor gatys_coarse_to_fine(Vgg19FeaturesImpl& net, const at::Tensor& content,
                                const std::vector<at::Tensor>& styles, const std::vector<double>& weights,
                                const GatysSettings& s, std::int64_t top_h, std::int64_t top_w,
                                const StepCallback& on_step, const CancelToken& cancel, const at::Tensor& init) {
    const std::vector<GatysLevel> levels = gatys_levels(top_h, top_w, s.iterations);
    const int total = gatys_level_steps(levels);
    at::Tensor picture = init;
    int done = 0;
    for (std::size_t i = 0; i < levels.size(); ++i) {
        const GatysLevel& level = levels[i];
        GatysSettings ls = s;
        ls.iterations = level.iterations;
        const std::string stage = "level " + std::to_string(i + 1) + "/" + std::to_string(levels.size()) + " · " +
                                  std::to_string(level.width) + "x" + std::to_string(level.height);
        StepCallback level_step;
        if (on_step)
            level_step = [&](const StepReport& r) {
                StepReport numbered = r;
                numbered.step = done + r.step;
                numbered.total = total;
                numbered.stage = stage + (r.stage.empty() ? "" : " · " + r.stage);
                on_step(numbered);
            };
        const at::Tensor level_content = resize_tensor(content, level.height, level.width);
        const at::Tensor level_init =
            picture.defined() ? resize_tensor(picture, level.height, level.width).clamp(0.0, 1.0) : at::Tensor();
        picture = gatys_transfer(net, level_content, level_styles(styles, content, level), weights, ls, level_step,
                                 cancel, level_init);
        done += level.iterations;
    }
    return resize_tensor(picture, content.size(2), content.size(3)).clamp(0.0, 1.0);
}

}  // namespace nt
