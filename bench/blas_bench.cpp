// The BLAS LibTorch calls, and its float32 GEMM rate: Debian's LibTorch links libblas.so.3, which
// is the slow reference BLAS unless OpenBLAS (libopenblas0-pthread, scripts/install_deps.sh) takes
// the alternative over. The row names the library actually mapped, so a regression shows.
#include <benchmark/benchmark.h>

#include <ATen/ATen.h>

#include <fstream>
#include <string>

#include "base/device.h"

namespace {

// The file libblas.so.3 resolved to in this process, e.g. .../openblas-pthread/libblas.so.3.
std::string mapped_blas() {
    std::ifstream maps("/proc/self/maps");
    for (std::string line; std::getline(maps, line);) {
        const auto slash = line.find('/');
        if (slash != std::string::npos && line.find("libblas") != std::string::npos) return line.substr(slash);
    }
    return "none mapped";
}

void BM_Sgemm2048(benchmark::State& state) {
    nt::use_all_cpu_cores();
    at::manual_seed(1);
    const at::Tensor a = at::randn({2048, 2048}), b = at::randn({2048, 2048});
    at::Tensor c = at::empty({2048, 2048});
    for (auto _ : state) benchmark::DoNotOptimize(at::matmul_out(c, a, b).data_ptr());
    state.counters["GFLOP/s"] =
        benchmark::Counter(2.0 * 2048.0 * 2048.0 * 2048.0 * double(state.iterations()), benchmark::Counter::kIsRate);
    state.SetLabel(mapped_blas());
}
BENCHMARK(BM_Sgemm2048)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0);

}  // namespace
