// Per-frame blend costs at 512x512, 1920x1080 and 3840x2160, with the references it is judged
// against in the same run: the original's float path with its conversion back to interleaved
// uint8 pixels, and one memcpy of an output frame (the memory-bound floor).
#include <benchmark/benchmark.h>

#include <ATen/ATen.h>

#include <cstring>
#include <vector>

#include "methods/blend.h"
#include "methods/blend_rgba8.h"

namespace {

struct Frame {
    int width, height;
    std::vector<std::uint8_t> content, style;  // RGB8, as the viewer keeps its working images
    Frame(int w, int h) : width(w), height(h), content(std::size_t(w) * h * 3), style(content.size()) {
        for (std::size_t i = 0; i < content.size(); ++i) {
            content[i] = std::uint8_t(i * 2654435761u >> 24);
            style[i] = std::uint8_t(i * 40503u >> 8);
        }
    }
    std::int64_t pixels() const { return std::int64_t(width) * height; }
};

void sizes(benchmark::internal::Benchmark* b) {
    b->Args({512, 512})->Args({1920, 1080})->Args({3840, 2160});
    b->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(0.5);
}

// The original: float NCHW tensors in 0..1, 0.6 * c + 0.4 * s.
void BM_OriginalFloat_BlendOnly(benchmark::State& state) {
    const Frame f(int(state.range(0)), int(state.range(1)));
    const at::Tensor c = at::rand({1, 3, f.height, f.width}), s = at::rand({1, 3, f.height, f.width});
    for (auto _ : state) benchmark::DoNotOptimize(nt::blend(c, s, 0.4));
    state.SetBytesProcessed(state.iterations() * f.pixels() * 3 * 4 * 3);
}
BENCHMARK(BM_OriginalFloat_BlendOnly)->Apply(sizes);

// The original's whole per-frame path: blend, clamp, x * 255 to uint8, NCHW -> interleaved HWC.
void BM_OriginalFloat_BlendAndConvert(benchmark::State& state) {
    const Frame f(int(state.range(0)), int(state.range(1)));
    const at::Tensor c = at::rand({1, 3, f.height, f.width}), s = at::rand({1, 3, f.height, f.width});
    for (auto _ : state) {
        at::Tensor rgb =
            nt::blend(c, s, 0.4).squeeze(0).clamp(0, 1).mul(255).to(at::kByte).permute({1, 2, 0}).contiguous();
        benchmark::DoNotOptimize(rgb.data_ptr());
    }
    state.SetBytesProcessed(state.iterations() * f.pixels() * 3 * 3);
}
BENCHMARK(BM_OriginalFloat_BlendAndConvert)->Apply(sizes);

// Ours: uint8 RGB in, display-ready RGBA8 out, fixed point.
void BM_Blend_IntoRGBA8(benchmark::State& state) {
    const Frame f(int(state.range(0)), int(state.range(1)));
    std::vector<std::uint8_t> out(std::size_t(f.pixels()) * 4);
    for (auto _ : state) {
        nt::blend_rgb_into_rgba8(f.content.data(), f.style.data(), f.width, f.height, 0.4, out.data(),
                                 std::size_t(f.width) * 4);
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(state.iterations() * f.pixels() * (3 + 3 + 4));
}
BENCHMARK(BM_Blend_IntoRGBA8)->Apply(sizes);

// The same through the tensor entry point (what a CUDA build uses with GPU tensors).
void BM_Blend_IntoRGBA8_Tensor(benchmark::State& state) {
    const Frame f(int(state.range(0)), int(state.range(1)));
    const at::Tensor c = at::from_blob(const_cast<std::uint8_t*>(f.content.data()), {f.height, f.width, 3}, at::kByte);
    const at::Tensor s = at::from_blob(const_cast<std::uint8_t*>(f.style.data()), {f.height, f.width, 3}, at::kByte);
    at::Tensor out = at::empty({f.height, f.width, 4}, at::kByte);
    for (auto _ : state) benchmark::DoNotOptimize(nt::blend_rgba8(c, s, 0.4, out).data_ptr());
    state.SetBytesProcessed(state.iterations() * f.pixels() * (3 + 3 + 4));
}
BENCHMARK(BM_Blend_IntoRGBA8_Tensor)->Apply(sizes);

// The floor: one copy of an RGBA8 output frame.
void BM_Memcpy_RGBA8Frame(benchmark::State& state) {
    const Frame f(int(state.range(0)), int(state.range(1)));
    std::vector<std::uint8_t> src(std::size_t(f.pixels()) * 4, 1), dst(src.size());
    for (auto _ : state) {
        std::memcpy(dst.data(), src.data(), src.size());
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(state.iterations() * f.pixels() * 4 * 2);
}
BENCHMARK(BM_Memcpy_RGBA8Frame)->Apply(sizes);

}  // namespace
