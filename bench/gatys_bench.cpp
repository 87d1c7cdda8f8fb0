// Gatys neural style (nets/gatys.h): milliseconds per iteration (one evaluation of the
// losses and their gradient, and the optimiser's step) at 256x256 and 512x512 with L-BFGS and
// Adam, fp32 on the CPU (and with bf16 convolutions where the CPU has them), with the process's
// peak memory; and how many bytes L-BFGS's history
// takes at each size. Random VGG-19 weights: the time does not depend on their values.
#include <benchmark/benchmark.h>

#include <ATen/ATen.h>

#include <string>

#include "bench/peak_memory.h"
#include "base/device.h"
#include "nets/gatys.h"
#include "nets/precision.h"
#include "nets/vgg19.h"

namespace {

using nt::bench::peak_memory_mib;
using nt::bench::reset_peak_memory;

nt::Vgg19Features& network() {
    static nt::Vgg19Features net = [] {
        nt::use_all_cpu_cores();
        nt::Vgg19Features n(nt::VggLayout::Caffe);
        for (at::Tensor& p : n->parameters()) p.set_requires_grad(false);
        return n;
    }();
    return net;
}

void BM_GatysIteration(benchmark::State& state) {
    const int side = int(state.range(0));
    const bool lbfgs = state.range(1) == 0;
    if (state.range(2) && !nt::cpu_bf16_support().any()) {
        state.SkipWithError("no native bf16 on this CPU");
        return;
    }
    at::manual_seed(1);
    const at::Tensor content = at::rand({1, 3, side, side}), style = at::rand({1, 3, side, side});
    nt::GatysSettings s;
    s.iterations = 10;
    s.optimizer = lbfgs ? nt::GatysOptimizer::Lbfgs : nt::GatysOptimizer::Adam;
    s.learning_rate = lbfgs ? 1.0 : 10.0;
    s.bf16 = state.range(2) != 0;
    reset_peak_memory();
    for (auto _ : state) benchmark::DoNotOptimize(nt::gatys_transfer(*network(), content, {style}, {}, s).data_ptr());
    // Per iteration: the run includes the targets (one forward pass of content and style).
    state.SetItemsProcessed(state.iterations() * s.iterations);
    state.counters["s_per_iteration"] = benchmark::Counter(double(s.iterations) * state.iterations(),
                                                           benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
    state.counters["peak_MiB"] = peak_memory_mib();
    state.counters["lbfgs_history"] = lbfgs ? nt::lbfgs_history(s, std::int64_t(side) * side) : 0;
    state.counters["history_MiB"] =
        lbfgs ? 2.0 * nt::lbfgs_history(s, std::int64_t(side) * side) * 3 * side * side * 4 / double(1 << 20) : 0;
}
BENCHMARK(BM_GatysIteration)
    ->ArgsProduct({{256, 512}, {0, 1}, {0, 1}})
    ->ArgNames({"side", "adam", "bf16"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(2);

}  // namespace
