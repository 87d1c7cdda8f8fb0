// The whole per-frame path with the texture upload, in a real GL 3.3 context (run under xvfb-run
// on machines without a display): blend into upload memory, then into the RGBA8 texture, then
// glFinish so the time covers the texture being ready to draw. Both upload modes of
// nt::gl::Rgba8Texture are measured so the viewer's default can be chosen by measurement.
#include <benchmark/benchmark.h>

#include "bench/gl_context.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "methods/blend_rgba8.h"
#include "display/mask_texture.h"
#include "display/rgba8_texture.h"

namespace {

using nt::bench::gl_context;

struct Inputs {
    int width, height;
    std::vector<std::uint8_t> content, style;
    Inputs(int w, int h) : width(w), height(h), content(std::size_t(w) * h * 3), style(content.size()) {
        for (std::size_t i = 0; i < content.size(); ++i) {
            content[i] = std::uint8_t(i * 2654435761u >> 24);
            style[i] = std::uint8_t(i * 40503u >> 8);
        }
    }
};

void sizes(benchmark::internal::Benchmark* b) {
    b->Args({512, 512})->Args({1920, 1080})->Args({3840, 2160});
    b->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(0.5);
}

void frame_path(benchmark::State& state, nt::gl::UploadMode mode) {
    if (!gl_context()) {
        state.SkipWithError("no OpenGL context (run under xvfb-run)");
        return;
    }
    const Inputs in(int(state.range(0)), int(state.range(1)));
    nt::gl::Rgba8Texture texture;
    texture.set_upload_mode(mode);
    texture.ensure_size(in.width, in.height);
    double alpha = 0.4;
    for (auto _ : state) {
        alpha = alpha > 0.5 ? 0.3 : alpha + 0.01;  // a slider being dragged: every frame differs
        texture.fill([&](std::uint8_t* dst, std::size_t stride) {
            nt::blend_rgb_into_rgba8(in.content.data(), in.style.data(), in.width, in.height, alpha, dst, stride);
        });
        glFinish();
    }
    state.SetLabel(texture.immutable() ? "immutable storage" : "glTexImage2D storage");
}

void BM_FramePath_TexSubImage(benchmark::State& state) { frame_path(state, nt::gl::UploadMode::Direct); }
BENCHMARK(BM_FramePath_TexSubImage)->Apply(sizes);

void BM_FramePath_PBO(benchmark::State& state) { frame_path(state, nt::gl::UploadMode::Pbo); }
BENCHMARK(BM_FramePath_PBO)->Apply(sizes);

// The upload alone, of a frame already in memory.
void BM_Upload_TexSubImage(benchmark::State& state) {
    if (!gl_context()) {
        state.SkipWithError("no OpenGL context (run under xvfb-run)");
        return;
    }
    const int w = int(state.range(0)), h = int(state.range(1));
    std::vector<std::uint8_t> frame(std::size_t(w) * h * 4, 128);
    nt::gl::Rgba8Texture texture;
    texture.ensure_size(w, h);
    for (auto _ : state) {
        texture.upload(frame.data(), std::size_t(w) * 4);
        glFinish();
    }
}
BENCHMARK(BM_Upload_TexSubImage)->Apply(sizes);

// One frame of a brush stroke: the mask texture brought up to date after a segment whose dabs
// touched a 48 x 48 box (a 32-pixel brush moved 16 pixels). Before issue 15 the viewer rewrote the
// whole mask as an RGBA8 tint (tint RGB, alpha = mask * 0.55) and re-uploaded all of it, as the
// first benchmark does; now the R8 mask texture receives only the box.
std::vector<float> stroke_mask(int w, int h) {
    std::vector<float> mask(std::size_t(w) * h, 0.0f);
    for (int y = h / 2; y < h / 2 + 48; ++y)
        for (int x = w / 2; x < w / 2 + 48; ++x) mask[std::size_t(y) * w + x] = 1.0f;
    return mask;
}

void BM_MaskStroke_FullRgba8Tint(benchmark::State& state) {
    if (!gl_context()) {
        state.SkipWithError("no OpenGL context (run under xvfb-run)");
        return;
    }
    const int w = int(state.range(0)), h = int(state.range(1));
    const std::vector<float> mask = stroke_mask(w, h);
    nt::gl::Rgba8Texture texture;
    texture.ensure_size(w, h);
    for (auto _ : state) {
        texture.fill([&](std::uint8_t* dst, std::size_t stride) {
            for (int y = 0; y < h; ++y) {
                std::uint8_t* out = dst + stride * y;
                const float* row = mask.data() + std::size_t(y) * w;
                for (int x = 0; x < w; ++x, out += 4) {
                    out[0] = 255;
                    out[1] = 128;
                    out[2] = 40;
                    out[3] = std::uint8_t(std::lround(std::clamp(row[x], 0.0f, 1.0f) * 0.55f * 255.0f));
                }
            }
        });
        glFinish();
    }
}
BENCHMARK(BM_MaskStroke_FullRgba8Tint)->Apply(sizes);

void BM_MaskStroke_R8Region(benchmark::State& state) {
    if (!gl_context()) {
        state.SkipWithError("no OpenGL context (run under xvfb-run)");
        return;
    }
    const int w = int(state.range(0)), h = int(state.range(1));
    const std::vector<float> mask = stroke_mask(w, h);
    nt::display::MaskTexture texture;
    texture.update(mask.data(), w, h, {0, 0, w, h});  // the first upload: all of it, once
    const nt::display::PixelRegion box{w / 2, h / 2, w / 2 + 48, h / 2 + 48};
    for (auto _ : state) {
        texture.update(mask.data(), w, h, box);
        glFinish();
    }
}
BENCHMARK(BM_MaskStroke_R8Region)->Apply(sizes);

}  // namespace
