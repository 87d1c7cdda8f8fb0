#pragma once
// Gatys at large sizes, coarse to fine, as neural-style's multires recipes run it (its example
// scripts chain 512 -> 1024 -> 2048 ... with -init image): the first level optimises the picture
// at a long side between 512 and 1023 pixels with the full iteration count, and each level after
// it doubles the size, starts from the previous result upsampled, and runs half the iterations
// of the one before (at least a tenth of them): the large structure is settled where iterations
// are cheap, and the fine levels only refine it. Styles keep their size relative to the content
// at every level (style_scale), so strokes grow with the output. Pictures up to 1023 pixels run
// as one level, exactly as gatys_transfer.
#include <ATen/Tensor.h>

#include <cstdint>
#include <vector>

#include "nets/gatys.h"

namespace nt {

inline constexpr int kGatysFirstLevelSide = 512;

struct GatysLevel {
    std::int64_t height = 0, width = 0;
    int iterations = 0;
};

// The levels up to top_h x top_w, coarsest first (the last is top_h x top_w).
std::vector<GatysLevel> gatys_levels(std::int64_t top_h, std::int64_t top_w, int iterations);
// Their iterations in all.
int gatys_level_steps(const std::vector<GatysLevel>& levels);

// gatys_transfer level by level up to top_h x top_w (<= the content's size: the memory budget's
// cap, stylize/memory_budget.h), the last level's picture upsampled to the content's size when it is
// smaller. Steps are numbered across the levels (StepReport::stage names the level).
at::Tensor gatys_coarse_to_fine(Vgg19FeaturesImpl& net, const at::Tensor& content,
                                const std::vector<at::Tensor>& styles, const std::vector<double>& weights,
                                const GatysSettings& s, std::int64_t top_h, std::int64_t top_w,
                                const StepCallback& on_step = {}, const CancelToken& cancel = {},
                                const at::Tensor& init = {});

}  // namespace nt
