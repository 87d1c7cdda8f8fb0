// Patch distribution matching (synthesis/patch_distribution.h): one step at 256x170 (the
// size bench/reference_gpdm.py times plain PyTorch at, for the ratio), its sliced Wasserstein
// gradient and its sort alone, and whole runs with the defaults at 512x512 (and at the viewer's
// 256-pixel preview size), with the time to the first estimate, the median step and peak memory.
#include <benchmark/benchmark.h>

#include <ATen/ATen.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "bench/peak_memory.h"
#include "base/device.h"
#include "imageio/load_image.h"
#include "methods/method.h"
#include "image/resize.h"
#include "synthesis/patch_distribution.h"
#include "synthesis/patch_projection.h"
#include "synthesis/sliced_wasserstein.h"
#include "image/tensor_convert.h"
#include "stylize/registry.h"

namespace {

using nt::bench::peak_memory_mib;
using nt::bench::reset_peak_memory;
using Clock = std::chrono::steady_clock;

std::pair<at::Tensor, at::Tensor> bundled_pair(int w, int h) {
    nt::use_all_cpu_cores();  // as the CLI and the viewer do
    auto load = [&](const char* name) {
        const nt::Image img = nt::load_image(std::string(NT_ASSETS_DIR) + "/" + name);
        return nt::image_to_tensor(nt::resize_bilinear_antialias(img, w, h));
    };
    return {load("content.jpg"), load("style.jpg")};
}

nt::ParamValues defaults() { return nt::default_params(nt::method_by_name("patch_distribution").info()); }

// One whole step (projections, the style's sort, the gradient, the content term, Adam) at 256x170.
void BM_PatchDistributionStep(benchmark::State& state) {
    at::InferenceMode inference;
    const auto [content, style] = bundled_pair(256, 170);
    nt::LevelOptimizer optimizer(content, style, at::Tensor(), {0, 170, 256}, nt::distribution_settings(defaults()));
    std::uint64_t seed = 1;
    for (auto _ : state) benchmark::DoNotOptimize(optimizer.step(seed++));
}
BENCHMARK(BM_PatchDistributionStep)->Unit(benchmark::kMillisecond)->UseRealTime();

// The sliced Wasserstein gradient alone (the picture's projection, sort, scatter and fold), CPU
// kernel and the tensor-operation path other devices run.
void BM_Block_SwdGradient(benchmark::State& state) {
    at::InferenceMode inference;
    const auto [content, style] = bundled_pair(256, 170);
    const at::Tensor p = nt::random_projections(32, 7, 1, at::kCPU);
    const at::Tensor sorted = nt::sorted_projections(p, nt::sample_patch_matrix(style, 7, nt::kStylePatchesMax, 1));
    const bool generic = state.range(0) == 1;
    for (auto _ : state) {
        const nt::SwdGradient g = generic ? nt::patch_swd_gradient_generic(content, p, sorted, 7)
                                          : nt::patch_swd_gradient(content, p, sorted, 7);
        benchmark::DoNotOptimize(g.grad.data_ptr());
    }
    state.SetLabel(generic ? "at::sort + scatter" : "radix kernel");
}
BENCHMARK(BM_Block_SwdGradient)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

// The parts of a step at 256x170: the projection of every patch, the sort of one projection's
// 41 k values per row, the fold, the style's projection and sort.
struct StepParts {
    at::Tensor content, style_patches, projections, projected;
    StepParts() {
        const auto pair = bundled_pair(256, 170);
        content = pair.first;
        style_patches = nt::sample_patch_matrix(pair.second, 7, nt::kStylePatchesMax, 1);
        projections = nt::random_projections(32, 7, 1, at::kCPU);
        projected = nt::project_all_patches(content, projections, 7);
    }
};
const StepParts& parts() {
    static const StepParts p;
    return p;
}

void BM_Block_Projection(benchmark::State& state) {
    at::InferenceMode inference;
    parts();  // made before the clock runs
    for (auto _ : state)
        benchmark::DoNotOptimize(nt::project_all_patches(parts().content, parts().projections, 7).data_ptr());
}
void BM_Block_Fold(benchmark::State& state) {
    at::InferenceMode inference;
    for (auto _ : state)
        benchmark::DoNotOptimize(
            nt::fold_projected_patches(parts().projected, parts().projections, 7, 170, 256).data_ptr());
}
void BM_Block_RadixSortRows(benchmark::State& state) {
    const at::Tensor& rows = parts().projected;
    const std::int64_t n = rows.size(1);
    std::vector<float> sorted(static_cast<std::size_t>(n));
    std::vector<std::int32_t> order(static_cast<std::size_t>(n));
    for (auto _ : state)
        for (std::int64_t k = 0; k < rows.size(0); ++k)
            nt::radix_argsort(rows.data_ptr<float>() + k * n, n, sorted.data(), order.data());
    state.SetLabel("32 rows, one thread");
}
void BM_Block_AtSortRows(benchmark::State& state) {
    at::InferenceMode inference;
    for (auto _ : state) benchmark::DoNotOptimize(std::get<0>(at::sort(parts().projected, 1)).data_ptr());
    state.SetLabel("32 rows, at::sort");
}
void BM_Block_StyleSorted(benchmark::State& state) {
    at::InferenceMode inference;
    for (auto _ : state)
        benchmark::DoNotOptimize(nt::sorted_projections(parts().projections, parts().style_patches).data_ptr());
}
BENCHMARK(BM_Block_Projection)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Block_Fold)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Block_RadixSortRows)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Block_AtSortRows)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Block_StyleSorted)->Unit(benchmark::kMillisecond)->UseRealTime();

// A whole run with the defaults, as the CLI does it.
void BM_PatchDistributionRun(benchmark::State& state) {
    at::InferenceMode inference;
    const int side = int(state.range(0));
    const auto [content, style] = bundled_pair(side, side);
    const nt::Method& method = nt::method_by_name("patch_distribution");
    const nt::ParamValues params = defaults();
    std::vector<double> first, steps;
    reset_peak_memory();
    for (auto _ : state) {
        const auto start = Clock::now();
        auto last = start;
        nt::RunContext ctx;
        ctx.on_step = [&](const nt::StepReport& r) {
            const auto now = Clock::now();
            const double ms = std::chrono::duration<double, std::milli>(now - last).count();
            (r.step == 1 ? first : steps).push_back(ms);
            last = now;
        };
        benchmark::DoNotOptimize(method.run(content, style, params, ctx).data_ptr());
    }
    auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v.empty() ? 0.0 : v[v.size() / 2];
    };
    state.counters["first_step_ms"] = median(first);
    state.counters["median_step_ms"] = median(steps);
    state.counters["steps"] = method.total_steps(side, side, params);
    state.counters["peak_MiB"] = peak_memory_mib();
}
BENCHMARK(BM_PatchDistributionRun)->Arg(256)->Arg(512)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

}  // namespace
