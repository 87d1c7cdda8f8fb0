// Per-frame cost of every registered method at 512x512, 1024x1024 and 1920x1080 on float
// [1, 3, H, W] tensors, and of the steps after it: preserving the content's colours, a mask
// (per frame: the blend; per mask edit: the feathering). What a viewer pays while dragging a slider.
#include <benchmark/benchmark.h>

#include <ATen/ATen.h>

#include <string>

#include "image/mask.h"
#include "methods/method.h"
#include "image/preserve_colors.h"
#include "stylize/stylize.h"
#include "stylize/registry.h"

namespace {

void sizes(benchmark::internal::Benchmark* b) {
    b->Args({512, 512})->Args({1024, 1024})->Args({1920, 1080});
    b->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(0.3);
}

struct Pair {
    at::Tensor content, style;
    Pair(int w, int h) {
        at::manual_seed(1);
        // Photo-like: correlated channels, not uniform noise.
        const at::Tensor shade = at::rand({1, 1, h, w});
        content = (0.7 * shade + 0.3 * at::rand({1, 3, h, w})).contiguous();
        style = (0.2 + 0.5 * at::rand({1, 1, h, w}) * at::rand({1, 3, h, w})).contiguous();
    }
};

// A left-half mask, feathered as the viewer would once per mask edit.
at::Tensor half_mask(int w, int h) {
    at::Tensor m = at::zeros({1, 1, h, w});
    m.narrow(3, 0, w / 2).fill_(1.0);
    return m;
}

void BM_Method(benchmark::State& state, const std::string& name, bool preserve, bool masked) {
    at::InferenceMode inference;
    const int w = int(state.range(0)), h = int(state.range(1));
    const Pair p(w, h);
    const nt::Method& method = nt::method_by_name(name);
    const nt::ParamValues params = nt::resolve_params(method.info(), {});
    const at::Tensor mask = masked ? nt::feather_mask(half_mask(w, h), 8.0) : at::Tensor();
    for (auto _ : state) {
        const at::Tensor stylized = method.apply(p.content, p.style, params);
        benchmark::DoNotOptimize(nt::finish_stylized(p.content, stylized, preserve, mask).data_ptr());
    }
}

void BM_FeatherMask(benchmark::State& state, double radius) {
    at::InferenceMode inference;
    const at::Tensor mask = half_mask(int(state.range(0)), int(state.range(1)));
    for (auto _ : state) benchmark::DoNotOptimize(nt::feather_mask(mask, radius).data_ptr());
}

void BM_PreserveColorsOnly(benchmark::State& state) {
    at::InferenceMode inference;
    const Pair p(int(state.range(0)), int(state.range(1)));
    for (auto _ : state) benchmark::DoNotOptimize(nt::preserve_content_colors(p.content, p.style).data_ptr());
}

void BM_ApplyMaskOnly(benchmark::State& state) {
    at::InferenceMode inference;
    const Pair p(int(state.range(0)), int(state.range(1)));
    const at::Tensor mask = nt::feather_mask(half_mask(int(state.range(0)), int(state.range(1))), 8.0);
    for (auto _ : state) benchmark::DoNotOptimize(nt::apply_mask(p.content, p.style, mask).data_ptr());
}

BENCHMARK_CAPTURE(BM_Method, blend, std::string("blend"), false, false)->Apply(sizes);
BENCHMARK_CAPTURE(BM_Method, reinhard, std::string("reinhard"), false, false)->Apply(sizes);
BENCHMARK_CAPTURE(BM_Method, monge_kantorovich, std::string("monge_kantorovich"), false, false)->Apply(sizes);
BENCHMARK_CAPTURE(BM_Method, histogram, std::string("histogram"), false, false)->Apply(sizes);
BENCHMARK_CAPTURE(BM_Method, reinhard_preserve, std::string("reinhard"), true, false)->Apply(sizes);
BENCHMARK_CAPTURE(BM_Method, monge_kantorovich_preserve, std::string("monge_kantorovich"), true, false)->Apply(sizes);
BENCHMARK_CAPTURE(BM_Method, histogram_preserve, std::string("histogram"), true, false)->Apply(sizes);
BENCHMARK_CAPTURE(BM_Method, reinhard_masked, std::string("reinhard"), false, true)->Apply(sizes);
BENCHMARK_CAPTURE(BM_Method, histogram_preserve_masked, std::string("histogram"), true, true)->Apply(sizes);
BENCHMARK(BM_PreserveColorsOnly)->Apply(sizes);
BENCHMARK(BM_ApplyMaskOnly)->Apply(sizes);
BENCHMARK_CAPTURE(BM_FeatherMask, r4, 4.0)->Apply(sizes);
BENCHMARK_CAPTURE(BM_FeatherMask, r16, 16.0)->Apply(sizes);
BENCHMARK_CAPTURE(BM_FeatherMask, r64, 64.0)->Apply(sizes);

}  // namespace
