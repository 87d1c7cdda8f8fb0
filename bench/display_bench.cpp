// The panel shader's cost per view on the GL at hand (llvmpipe under Xvfb here): one picture drawn
// by the display unit into a 1920x1080 offscreen framebuffer, then glFinish, so the time covers
// every pixel shaded. Plain is the floor; each view adds its texture reads and arithmetic.
#include <benchmark/benchmark.h>

#include "bench/gl_context.h"

#include <GL/glext.h>
#include <ATen/ATen.h>

#include <memory>
#include <vector>

#include "display/panel_display.h"

namespace {

using nt::bench::gl_context;
using nt::display::PanelDraw;
using nt::display::Picture;

constexpr int kW = 1920, kH = 1080;

struct Target {
    GLuint texture = 0, fbo = 0;
    Target() {
        glGenTextures(1, &texture);
        glBindTexture(GL_TEXTURE_2D, texture);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, kW, kH, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
        glGenFramebuffers(1, &fbo);
        glBindFramebuffer(GL_FRAMEBUFFER, fbo);
        glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, texture, 0);
    }
    ~Target() {
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
        glDeleteFramebuffers(1, &fbo);
        glDeleteTextures(1, &texture);
    }
};

enum class View { Plain, Wipe, Difference, Channel, MaskTint, Grid16x };

void panel_draw(benchmark::State& state, View view) {
    if (!gl_context()) {
        state.SkipWithError("no OpenGL context (run under xvfb-run)");
        return;
    }
    const Target target;
    nt::display::PanelDisplay display;
    nt::Image picture(kW, kH);
    for (std::size_t i = 0; i < picture.pixels.size(); ++i) picture.pixels[i] = std::uint8_t(i * 2654435761u >> 24);
    display.show_picture(Picture::Content, picture);
    const at::Tensor result = at::full({kH, kW, 4}, 128, at::kByte);
    display.show_result(result, [&]() -> const at::Tensor& { return result; });
    std::vector<float> mask(std::size_t(kW) * kH, 0.5f);
    display.show_mask(mask.data(), kW, kH, 1, std::nullopt);
    PanelDraw d;
    d.picture = Picture::Result;
    d.w = kW;
    d.h = kH;
    if (view == View::Wipe) d.wipe = 0.5f;
    if (view == View::Difference) d.difference = true;
    if (view == View::Channel) d.channel = nt::display::Channel::Luminance;
    if (view == View::MaskTint) d.mask_tint = true;
    if (view == View::Grid16x) d.u1 = d.v1 = 1.0f / 16;               // a 120 x 68 corner, 16 pixels per texel
    display.draw_now(d, {0, 0, float(kW), float(kH), 1.0f}, kW, kH);  // compiles the variant
    glFinish();
    for (auto _ : state) {
        display.draw_now(d, {0, 0, float(kW), float(kH), 1.0f}, kW, kH);
        glFinish();
    }
}

void args(benchmark::internal::Benchmark* b) { b->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(0.5); }

void BM_PanelDraw_Plain(benchmark::State& s) { panel_draw(s, View::Plain); }
void BM_PanelDraw_Wipe(benchmark::State& s) { panel_draw(s, View::Wipe); }
void BM_PanelDraw_Difference(benchmark::State& s) { panel_draw(s, View::Difference); }
void BM_PanelDraw_Luminance(benchmark::State& s) { panel_draw(s, View::Channel); }
void BM_PanelDraw_MaskTint(benchmark::State& s) { panel_draw(s, View::MaskTint); }
void BM_PanelDraw_Grid16x(benchmark::State& s) { panel_draw(s, View::Grid16x); }
BENCHMARK(BM_PanelDraw_Plain)->Apply(args);
BENCHMARK(BM_PanelDraw_Wipe)->Apply(args);
BENCHMARK(BM_PanelDraw_Difference)->Apply(args);
BENCHMARK(BM_PanelDraw_Luminance)->Apply(args);
BENCHMARK(BM_PanelDraw_MaskTint)->Apply(args);
BENCHMARK(BM_PanelDraw_Grid16x)->Apply(args);

}  // namespace
