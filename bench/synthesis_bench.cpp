// Patch synthesis (synthesis): a whole run at 400x400 and 1024x1024 on the bundled pictures,
// with the time to the first estimate (what the viewer waits before the result starts to
// change), the median step and the peak memory; then its building blocks at the 400-pixel finest
// level, to say where a run's time goes.
#include <benchmark/benchmark.h>

#include <ATen/ATen.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "bench/peak_memory.h"
#include "base/device.h"
#include "imageio/load_image.h"
#include "methods/histogram_match.h"
#include "methods/method.h"
#include "image/resize.h"
#include "synthesis/domain_transform.h"
#include "synthesis/patch_grid.h"
#include "synthesis/patch_match.h"
#include "synthesis/patch_pca.h"
#include "synthesis/patch_synthesis.h"
#include "image/tensor_convert.h"
#include "stylize/registry.h"

namespace {

using nt::bench::peak_memory_mib;
using nt::bench::reset_peak_memory;

using Clock = std::chrono::steady_clock;

// The bundled content and style at w x h.
std::pair<at::Tensor, at::Tensor> bundled_pair(int w, int h) {
    nt::use_all_cpu_cores();  // as the CLI and the viewer do
    auto load = [&](const char* name) {
        const nt::Image img = nt::load_image(std::string(NT_ASSETS_DIR) + "/" + name);
        return nt::image_to_tensor(nt::resize_bilinear_antialias(img, w, h));
    };
    return {load("content.jpg"), load("style.jpg")};
}

void BM_PatchSynthesisRun(benchmark::State& state) {
    at::InferenceMode inference;
    const int side = int(state.range(0));
    const auto [content, style] = bundled_pair(side, side);
    const nt::Method& method = nt::method_by_name("patch_synthesis");
    const nt::ParamValues params = nt::resolve_params(method.info(), {});
    std::vector<double> first, steps;
    double finest_ms = 0.0, coarse_ms = 0.0;  // summed over the iterations
    reset_peak_memory();
    for (auto _ : state) {
        const auto start = Clock::now();
        auto last = start;
        nt::RunContext ctx;
        ctx.on_step = [&](const nt::StepReport& r) {
            const auto now = Clock::now();
            const double ms = std::chrono::duration<double, std::milli>(now - last).count();
            if (r.step == 1) first.push_back(ms);
            else steps.push_back(ms);
            (r.estimate.size(3) == side ? finest_ms : coarse_ms) += ms;
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
    // Where a run's time goes: the finest level against the coarse ones (the rest, after the
    // last step, is the final mix).
    state.counters["finest_level_ms"] = finest_ms / double(state.iterations());
    state.counters["coarse_levels_ms"] = coarse_ms / double(state.iterations());
}
BENCHMARK(BM_PatchSynthesisRun)->Arg(400)->Arg(1024)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

// The finest level at 400 px with the 9-pixel patches (the largest search): one block each.
struct FinestLevel {
    at::Tensor x, style;
    nt::PatchGrid grid;
    at::Tensor db;
    FinestLevel() {
        std::tie(x, style) = bundled_pair(400, 400);
        grid = nt::make_patch_grid(400, 400, 9, 5);
        db = nt::extract_all_patches(style, 9, nt::database_stride(400, 400, 9)).contiguous();
    }
};
const FinestLevel& finest() {
    static const FinestLevel level;
    return level;
}

void BM_Block_PcaFit(benchmark::State& state) {
    at::InferenceMode inference;
    for (auto _ : state) benchmark::DoNotOptimize(nt::fit_patch_pca(finest().db).basis.data_ptr());
    state.counters["db_patches"] = double(finest().db.size(0));
}

void BM_Block_NearestNeighbours(benchmark::State& state) {
    at::InferenceMode inference;
    const nt::PatchPca pca = nt::fit_patch_pca(finest().db);
    const at::Tensor keys = nt::project_patches(pca, finest().db).contiguous();
    const at::Tensor queries = nt::project_patches(pca, nt::extract_grid_patches(finest().x, finest().grid));
    for (auto _ : state) benchmark::DoNotOptimize(nt::nearest_patches(queries, keys).data_ptr());
    state.counters["queries"] = double(queries.size(0));
    state.counters["dims"] = double(keys.size(1));
    // The GEMM part: 2 Q M d flops.
    state.counters["GFLOP"] = 2.0 * double(queries.size(0)) * double(keys.size(0)) * double(keys.size(1)) / 1e9;
}

void BM_Block_IrlsAggregation(benchmark::State& state) {
    at::InferenceMode inference;
    const at::Tensor patches = nt::extract_grid_patches(finest().x, finest().grid);
    const at::Tensor z = finest().db.index_select(0, at::randint(finest().db.size(0), {patches.size(0)}));
    for (auto _ : state) {
        const at::Tensor w = ((patches - z).norm(2, {1}) + nt::kIrlsEpsilon).pow(nt::kRobustExponent - 2.0);
        benchmark::DoNotOptimize(nt::aggregate_patches(z, w, finest().grid, finest().x).data_ptr());
    }
}

void BM_Block_HistogramMatch(benchmark::State& state) {
    at::InferenceMode inference;
    for (auto _ : state) benchmark::DoNotOptimize(nt::histogram_match(finest().x, finest().style).data_ptr());
}

void BM_Block_DomainTransform(benchmark::State& state) {
    at::InferenceMode inference;
    for (auto _ : state) benchmark::DoNotOptimize(nt::domain_transform_filter(finest().x, 5.0, 0.2, 3).data_ptr());
}

BENCHMARK(BM_Block_PcaFit)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Block_NearestNeighbours)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Block_IrlsAggregation)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Block_HistogramMatch)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Block_DomainTransform)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
