// The panel shader in a real GL 3.3 core context (Mesa's llvmpipe under Xvfb): it compiles and
// links, and the pixels it draws are the ones each view promises. Every case draws one panel with
// the display unit into an offscreen framebuffer and reads the pixels back.
#define GL_GLEXT_PROTOTYPES 1
#include <GLFW/glfw3.h>
#include <GL/glext.h>
#include <gtest/gtest.h>

#include <ATen/ATen.h>

#include <array>
#include <cstdlib>
#include <functional>
#include <vector>

#include "display/embedded_shaders.h"
#include "display/gl_program.h"
#include "display/panel_display.h"

namespace nt::display {
namespace {

constexpr int kW = 256, kH = 256;  // the framebuffer, one point per pixel

using Rgb = std::array<int, 3>;

// One hidden window for the whole run, and an offscreen RGBA8 framebuffer drawn into.
class PanelShader : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        ASSERT_TRUE(glfwInit()) << "no display (run under xvfb-run)";
        glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
        glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
        glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
        glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
        glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
        window_ = glfwCreateWindow(64, 64, "nt_display_tests", nullptr, nullptr);
        ASSERT_NE(window_, nullptr) << "no GL 3.3 core context";
        glfwMakeContextCurrent(window_);
    }
    static void TearDownTestSuite() {
        if (window_) glfwDestroyWindow(window_);
        glfwTerminate();
    }
    void SetUp() override {
        ASSERT_NE(window_, nullptr);
        glGenTextures(1, &target_);
        glBindTexture(GL_TEXTURE_2D, target_);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, kW, kH, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
        glGenFramebuffers(1, &fbo_);
        glBindFramebuffer(GL_FRAMEBUFFER, fbo_);
        glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, target_, 0);
        ASSERT_EQ(glCheckFramebufferStatus(GL_FRAMEBUFFER), GLenum(GL_FRAMEBUFFER_COMPLETE));
        glClearColor(0.2f, 0.4f, 0.6f, 1.0f);  // 51 102 153 where nothing is drawn
        glClear(GL_COLOR_BUFFER_BIT);
    }
    void TearDown() override {
        display_.reset();  // its GL objects go while the context is current
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
        glDeleteFramebuffers(1, &fbo_);
        glDeleteTextures(1, &target_);
    }

    // Draws and reads back the framebuffer, top row first.
    void draw(const PanelDraw& d) {
        display().draw_now(d, DisplayArea{0, 0, float(kW), float(kH), 1.0f}, kW, kH);
        ASSERT_EQ(glGetError(), GLenum(GL_NO_ERROR));
        std::vector<std::uint8_t> bottom_up(std::size_t(kW) * kH * 4);
        glPixelStorei(GL_PACK_ALIGNMENT, 1);
        glReadPixels(0, 0, kW, kH, GL_RGBA, GL_UNSIGNED_BYTE, bottom_up.data());
        pixels_.assign(bottom_up.size(), 0);
        for (int y = 0; y < kH; ++y)
            std::copy_n(bottom_up.data() + std::size_t(kH - 1 - y) * kW * 4, kW * 4,
                        pixels_.data() + std::size_t(y) * kW * 4);
    }
    Rgb at(int x, int y) const {
        const std::uint8_t* p = pixels_.data() + (std::size_t(y) * kW + x) * 4;
        return {p[0], p[1], p[2]};
    }
    PanelDisplay& display() {
        if (!display_) display_ = std::make_unique<PanelDisplay>();
        return *display_;
    }
    // The result as the pipeline hands it over: RGBA8 [h, w, 4] on the CPU.
    void show_result(const Image& rgb) {
        result_ = at::empty({rgb.height, rgb.width, 4}, at::kByte);
        std::uint8_t* p = result_.data_ptr<std::uint8_t>();
        for (std::size_t i = 0; i < std::size_t(rgb.width) * rgb.height; ++i) {
            std::copy_n(rgb.pixels.data() + 3 * i, 3, p + 4 * i);
            p[4 * i + 3] = 255;
        }
        display().show_result(result_, [this]() -> const at::Tensor& { return result_; });
    }
    static PanelDraw quad(Picture picture, float x, float y, float w, float h) {
        PanelDraw d;
        d.picture = picture;
        d.x = x;
        d.y = y;
        d.w = w;
        d.h = h;
        return d;
    }

    static GLFWwindow* window_;
    std::unique_ptr<PanelDisplay> display_;
    at::Tensor result_;
    GLuint target_ = 0, fbo_ = 0;
    std::vector<std::uint8_t> pixels_;
};

GLFWwindow* PanelShader::window_ = nullptr;

Image picture(int w, int h, const std::function<Rgb(int, int)>& colour) {
    Image image(w, h);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const Rgb c = colour(x, y);
            for (int k = 0; k < 3; ++k) image.at(x, y)[k] = std::uint8_t(c[k]);
        }
    return image;
}

Image noise(int w, int h) {
    return picture(w, h, [](int x, int y) {
        const unsigned v = unsigned(x * 73856093u ^ y * 19349663u) * 2654435761u;
        return Rgb{int(v >> 24), int((v >> 16) & 255), int((v >> 8) & 255)};
    });
}

TEST_F(PanelShader, ShadersCompileAndLink) {
    EXPECT_NO_THROW(display().prepare());
    EXPECT_NO_THROW(GlProgram(shaders::kPanelVert, shaders::kPanelFrag, "panel"));
    // Every variant the display unit may ask for.
    for (unsigned features = 0; features < kPanelFeatureCombinations; ++features) {
        const std::string source = panel_fragment_source(features);
        EXPECT_EQ(source.rfind("#version 330 core\n", 0), 0u);
        EXPECT_NO_THROW(GlProgram(shaders::kPanelVert, source.c_str(), "panel")) << "features " << features;
    }
    // A broken shader is reported with the compiler's log, not drawn as garbage.
    try {
        GlProgram broken(shaders::kPanelVert, "#version 330 core\nvoid main() { undefined_call(); }\n", "broken");
        FAIL() << "a broken fragment shader compiled";
    } catch (const std::exception& e) {
        EXPECT_NE(std::string(e.what()).find("fragment shader does not compile"), std::string::npos) << e.what();
    }
}

TEST_F(PanelShader, IdenticalContentAndResultGiveABlackDifference) {
    const Image content = noise(64, 48);
    display().show_picture(Picture::Content, content);
    show_result(content);
    for (float scale : {1.0f, 3.0f}) {  // filtered and nearest sampling
        PanelDraw d = quad(Picture::Result, 10, 10, 64 * scale, 48 * scale);
        d.difference = true;
        d.gain = 64;
        draw(d);
        for (int y = 10; y < 10 + int(48 * scale); ++y)
            for (int x = 10; x < 10 + int(64 * scale); ++x) ASSERT_EQ(at(x, y), (Rgb{0, 0, 0})) << x << "," << y;
        EXPECT_EQ(at(5, 5), (Rgb{51, 102, 153}));  // outside the quad: untouched
    }
    // A different result is not black, and the gain multiplies the difference.
    Image brighter = content;
    for (auto& v : brighter.pixels) v = std::uint8_t(std::min(255, v + 3));
    show_result(brighter);
    PanelDraw d = quad(Picture::Result, 0, 0, 64, 48);
    d.difference = true;
    d.gain = 10;
    draw(d);
    const Rgb c = at(20, 20);
    const std::uint8_t* src = content.at(20, 20);
    for (int k = 0; k < 3; ++k) EXPECT_NEAR(c[k], std::min(255, (std::min(255, src[k] + 3) - src[k]) * 10), 1);
}

TEST_F(PanelShader, CheckerAt16xIsCrispBlocksWithAGrid) {
    display().show_picture(Picture::Content, picture(8, 8, [](int x, int y) {
                               const int v = (x + y) % 2 ? 255 : 0;
                               return Rgb{v, v, v};
                           }));
    draw(quad(Picture::Content, 0, 0, 128, 128));  // 16 screen pixels per image pixel
    for (int y = 0; y < 128; ++y)
        for (int x = 0; x < 128; ++x) {
            const int v = ((x / 16) + (y / 16)) % 2 ? 255 : 0;
            const bool grid = x % 16 == 0 || y % 16 == 0;  // the first pixel row and column of each block
            const int want = grid ? (v ? 191 : 64) : v;    // the grid: halfway to mid grey
            ASSERT_NEAR(at(x, y)[0], want, 1) << x << "," << y;
        }
    // At 4x: crisp blocks, no grid.
    draw(quad(Picture::Content, 0, 0, 32, 32));
    for (int y = 0; y < 32; ++y)
        for (int x = 0; x < 32; ++x) ASSERT_EQ(at(x, y)[0], ((x / 4) + (y / 4)) % 2 ? 255 : 0) << x << "," << y;
}

TEST_F(PanelShader, WipeSplitsExactlyAtItsPosition) {
    display().show_picture(Picture::Content, picture(100, 40, [](int, int) { return Rgb{255, 0, 0}; }));
    show_result(picture(100, 40, [](int, int) { return Rgb{0, 0, 255}; }));
    for (float split : {0.37f, 0.5f, 0.0f, 1.0f}) {
        PanelDraw d = quad(Picture::Result, 0, 0, 100, 40);
        d.wipe = split;
        draw(d);
        const int edge = int(split * 100 + 0.5f);  // pixel i's centre is at u = (i + 0.5) / 100
        for (int y = 0; y < 40; ++y)
            for (int x = 0; x < 100; ++x)
                ASSERT_EQ(at(x, y), x < edge ? (Rgb{255, 0, 0}) : (Rgb{0, 0, 255})) << "split " << split << " at " << x;
    }
}

TEST_F(PanelShader, RedChannelOfPureGreenIsBlack) {
    display().show_picture(Picture::Content, picture(20, 20, [](int, int) { return Rgb{0, 255, 0}; }));
    PanelDraw d = quad(Picture::Content, 0, 0, 60, 60);
    d.channel = Channel::Red;
    draw(d);
    for (int y = 0; y < 60; ++y)
        for (int x = 0; x < 60; ++x) ASSERT_EQ(at(x, y), (Rgb{0, 0, 0})) << x << "," << y;
    d.channel = Channel::Green;
    draw(d);
    EXPECT_EQ(at(30, 30), (Rgb{255, 255, 255}));
}

TEST_F(PanelShader, LuminanceAndChannelsAreGrey) {
    display().show_picture(Picture::Content, picture(4, 4, [](int, int) { return Rgb{200, 100, 50}; }));
    const std::array<std::pair<Channel, int>, 4> views = {
        {{Channel::Red, 200},
         {Channel::Green, 100},
         {Channel::Blue, 50},
         {Channel::Luminance, int(0.2126 * 200 + 0.7152 * 100 + 0.0722 * 50 + 0.5)}}};
    for (const auto& [channel, grey] : views) {
        PanelDraw d = quad(Picture::Content, 0, 0, 40, 40);
        d.channel = channel;
        draw(d);
        const Rgb c = at(25, 25);  // inside a pixel: at 10x the grid marks each pixel's first row and column
        for (int k = 0; k < 3; ++k) EXPECT_NEAR(c[k], grey, 1) << channel_name(channel);
    }
}

TEST_F(PanelShader, MaskTintFollowsOnlyTheRegionSent) {
    display().show_picture(Picture::Content, picture(50, 40, [](int, int) { return Rgb{0, 0, 0}; }));
    std::vector<float> mask(50 * 40, 0.0f);
    EXPECT_EQ(display().show_mask(mask.data(), 50, 40, 1, std::nullopt), 50u * 40u);  // first: all of it
    // The whole mask is now 1, but only a 10 x 5 region is sent: only that region is tinted.
    std::fill(mask.begin(), mask.end(), 1.0f);
    EXPECT_EQ(display().show_mask(mask.data(), 50, 40, 2, PixelRegion{20, 10, 30, 15}), 50u);
    PanelDraw d = quad(Picture::Content, 0, 0, 50, 40);
    d.mask_tint = true;
    draw(d);
    const Rgb tinted{int(255 * 0.55f + 0.5f), int(128 * 0.55f + 0.5f), int(40 * 0.55f + 0.5f)};
    for (int y = 0; y < 40; ++y)
        for (int x = 0; x < 50; ++x) {
            const bool inside = x >= 20 && x < 30 && y >= 10 && y < 15;
            const Rgb c = at(x, y);
            for (int k = 0; k < 3; ++k) ASSERT_NEAR(c[k], inside ? tinted[k] : 0, 1) << x << "," << y;
        }
    // The same generation again sends nothing; without the tint the picture is plain.
    EXPECT_EQ(display().show_mask(mask.data(), 50, 40, 2, std::nullopt), 0u);
    d.mask_tint = false;
    draw(d);
    EXPECT_EQ(at(25, 12), (Rgb{0, 0, 0}));
}

TEST_F(PanelShader, SmallerPreviewFillsThePanel) {
    // A 4x3 preview in a 12x9 picture's place: the quad is filled, each preview pixel 3x magnified.
    const Image preview = noise(4, 3);
    show_result(preview);
    draw(quad(Picture::Result, 0, 0, 48, 36));  // 12 screen pixels per preview pixel: nearest, grid
    for (int py = 0; py < 3; ++py)
        for (int px = 0; px < 4; ++px) {
            const std::uint8_t* want = preview.at(px, py);
            const Rgb c = at(px * 12 + 6, py * 12 + 6);
            for (int k = 0; k < 3; ++k) ASSERT_EQ(c[k], want[k]) << px << "," << py;
        }
    EXPECT_EQ(at(47, 35)[0], preview.at(3, 2)[0]);
    EXPECT_EQ(at(48, 36), (Rgb{51, 102, 153}));
}

// At 1:1 on a half-pixel offset, filtering would blend neighbours; the exact values are shown.
TEST_F(PanelShader, OneToOneOffByHalfAPixelStaysExact) {
    const Image stripes = picture(32, 8, [](int x, int) {
        const int v = x % 2 ? 255 : 0;
        return Rgb{v, v, v};
    });
    display().show_picture(Picture::Content, stripes);
    draw(quad(Picture::Content, 10.5f, 10.0f, 32, 8));
    for (int x = 12; x < 40; ++x) {
        const int v = at(x, 14)[0];
        ASSERT_TRUE(v == 0 || v == 255) << x << ": " << v;
    }
}

TEST_F(PanelShader, MinifiedIsFilteredNotNearest) {
    // 1-pixel stripes drawn at half size: filtering averages them to grey, nearest would not.
    display().show_picture(Picture::Content, picture(64, 64, [](int x, int) {
                               const int v = x % 2 ? 255 : 0;
                               return Rgb{v, v, v};
                           }));
    draw(quad(Picture::Content, 0, 0, 32, 32));
    for (int x = 2; x < 30; ++x) EXPECT_NEAR(at(x, 16)[0], 128, 2) << x;
}

}  // namespace
// Issue 26: a working size beyond GL_MAX_TEXTURE_SIZE drew a black or garbage panel. It is drawn
// from a copy scaled to fit: four colour bands of a picture one pixel wider than the limit land
// where they belong, and the display says it scaled.
TEST_F(PanelShader, BeyondTheTextureLimitIsDrawnScaled) {
    const int limit = display().max_texture_side();
    ASSERT_GE(limit, 1024);
    const int w = limit + 1, h = 4;
    const std::array<Rgb, 4> bands = {Rgb{250, 20, 20}, Rgb{20, 250, 20}, Rgb{20, 20, 250}, Rgb{250, 250, 20}};
    const Image wide = picture(w, h, [&](int x, int) { return bands[std::size_t(std::min(3, x * 4 / w))]; });
    show_result(wide);
    EXPECT_LT(display().shown_scale(Picture::Result), 1.0f);
    EXPECT_EQ(display().picture_width(Picture::Result), limit);  // w * limit / w, floored
    display().show_picture(Picture::Content, wide);
    EXPECT_LT(display().shown_scale(Picture::Content), 1.0f);
    for (Picture which : {Picture::Result, Picture::Content}) {
        draw(quad(which, 0, 0, 256, 64));
        for (int band = 0; band < 4; ++band) {
            const Rgb c = at(band * 64 + 32, 32);
            for (int k = 0; k < 3; ++k) EXPECT_NEAR(c[k], bands[std::size_t(band)][k], 2) << "band " << band;
        }
    }
}

}  // namespace nt::display
