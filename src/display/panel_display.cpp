#include "display/panel_display.h"

#define GL_GLEXT_PROTOTYPES 1
#include <GL/gl.h>
#include <GL/glext.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "base/error.h"
#include "methods/blend_rgba8.h"
#include "display/embedded_shaders.h"
#include "display/gl_program.h"
#include "display/texture_fit.h"

namespace nt::display {

const char* channel_name(Channel c) {
    switch (c) {
        case Channel::Red: return "R";
        case Channel::Green: return "G";
        case Channel::Blue: return "B";
        case Channel::Luminance: return "Luminance";
        case Channel::Rgb: break;
    }
    return "RGB";
}

Channel next_channel(Channel c) { return static_cast<Channel>((static_cast<int>(c) + 1) % kChannelCount); }

namespace {

// Warm orange: stands apart from most pictures and from the blue accent of the UI.
constexpr float kTintColour[4] = {255 / 255.0f, 128 / 255.0f, 40 / 255.0f, 0.55f};

}  // namespace

std::string panel_fragment_source(unsigned features) {
    static const char* const names[] = {"NT_NEAREST", "NT_GRID", "NT_WIPE", "NT_DIFFERENCE", "NT_CHANNEL", "NT_TINT"};
    std::string source = shaders::kPanelFrag;
    std::string defines;
    for (unsigned i = 0; i < 6; ++i)
        if (features & (1u << i)) defines += std::string("#define ") + names[i] + "\n";
    const std::size_t line_end = source.find('\n');  // after "#version 330 core"
    return source.insert(line_end == std::string::npos ? source.size() : line_end + 1, defines);
}

struct PanelDisplay::Variant {
    GlProgram program;
    int rect, uv, display, picture, other, mask, wipe, gain, channel, tint_color;
};

PanelDisplay::PanelDisplay() = default;

PanelDisplay::~PanelDisplay() {
    if (vertex_array_ != 0) {
        const GLuint vao = vertex_array_;
        glDeleteVertexArrays(1, &vao);
    }
}

const gl::Rgba8Texture& PanelDisplay::texture(Picture which) const { return textures_[static_cast<int>(which)]; }

int PanelDisplay::max_texture_side() {
    if (max_texture_side_ == 0) {
        GLint side = 0;
        glGetIntegerv(GL_MAX_TEXTURE_SIZE, &side);
        max_texture_side_ = side > 0 ? side : 4096;  // GL 3.3 promises at least 1024; be modest
    }
    return max_texture_side_;
}

void PanelDisplay::show_picture(Picture which, const Image& rgb) {
    if (rgb.empty() || which == Picture::Result) return;
    const FitSize fit = fit_within(rgb.width, rgb.height, max_texture_side());
    const Image small = fit.scaled() ? downscale_picture(rgb, fit) : Image{};
    const Image& shown = fit.scaled() ? small : rgb;
    gl::Rgba8Texture& t = textures_[static_cast<int>(which)];
    t.ensure_size(shown.width, shown.height);
    t.fill([&](std::uint8_t* dst, std::size_t stride) {
        rgb_to_rgba8(shown.pixels.data(), shown.width, shown.height, dst, stride);
    });
    shown_scales_[static_cast<int>(which)] = fit.scale;
    ++generations_[static_cast<int>(which)];
}

void PanelDisplay::show_result(const at::Tensor& rgba, const std::function<const at::Tensor&()>& host_copy) {
    const FitSize fit = fit_within(int(rgba.size(1)), int(rgba.size(0)), max_texture_side());
    if (fit.scaled()) {
        const at::Tensor small = downscale_rgba8(rgba, fit);
        const at::Tensor small_host = small.cpu();
        result_upload_.upload(
            small, [&]() -> const at::Tensor& { return small_host; }, textures_[static_cast<int>(Picture::Result)]);
    } else {
        result_upload_.upload(rgba, host_copy, textures_[static_cast<int>(Picture::Result)]);
    }
    shown_scales_[static_cast<int>(Picture::Result)] = fit.scale;
    ++generations_[static_cast<int>(Picture::Result)];
}

std::size_t PanelDisplay::show_mask(const float* values, int width, int height, std::uint64_t generation,
                                    std::optional<PixelRegion> changed) {
    const FitSize fit = fit_within(width, height, max_texture_side());
    if (generation == mask_generation_ && mask_.width() == fit.width && mask_.height() == fit.height) return 0;
    std::size_t sent = 0;
    if (fit.scaled()) {  // the whole mask, scaled down like the pictures it is drawn over
        const std::vector<float> small = downscale_mask(values, width, height, fit);
        sent = mask_.update(small.data(), fit.width, fit.height, PixelRegion{0, 0, fit.width, fit.height});
    } else {
        sent = mask_.update(values, width, height, changed.value_or(PixelRegion{0, 0, width, height}));
    }
    mask_generation_ = generation;
    return sent;
}

void PanelDisplay::prepare() {
    if (!variant(0)) throw Error(take_failure());
}

std::string PanelDisplay::take_failure() { return std::exchange(unreported_failure_, std::string()); }

const PanelDisplay::Variant* PanelDisplay::variant(unsigned features) {
    if (vertex_array_ == 0) {
        GLuint vao = 0;
        glGenVertexArrays(1, &vao);
        vertex_array_ = vao;
    }
    const auto known = variants_.find(features);
    if (known != variants_.end()) return known->second.get();
    std::unique_ptr<Variant>& v = variants_[features];
    GlProgram program;
    try {
        program = GlProgram(shaders::kPanelVert, panel_fragment_source(features).c_str(), "the panel shader");
    } catch (const std::exception& e) {
        unreported_failure_ = e.what();  // v stays null: not compiled again
        return nullptr;
    }
    const auto at = [&](const char* name) { return program.uniform(name); };
    const int rect = at("u_rect"), uv = at("u_uv"), display = at("u_display"), picture = at("u_picture"),
              other = at("u_other"), mask = at("u_mask"), wipe = at("u_wipe"), gain = at("u_gain"),
              channel = at("u_channel"), tint_color = at("u_tint_color");
    v = std::make_unique<Variant>(
        Variant{std::move(program), rect, uv, display, picture, other, mask, wipe, gain, channel, tint_color});
    return v.get();
}

void PanelDisplay::finish() { glFinish(); }

void PanelDisplay::begin_frame() { queued_.clear(); }

void PanelDisplay::queue(ImDrawList* list, const PanelDraw& draw) {
    if (!has_picture(draw.picture) || draw.w <= 0 || draw.h <= 0) return;
    queued_.push_back({this, draw});
    list->AddCallback(&PanelDisplay::on_callback, &queued_.back());
    list->AddCallback(ImDrawCallback_ResetRenderState, nullptr);  // ImGui's own program and state again
}

void PanelDisplay::on_callback(const ImDrawList*, const ImDrawCmd* command) {
    const auto* queued = static_cast<const Queued*>(command->UserCallbackData);
    const ImDrawData* data = ImGui::GetDrawData();
    if (!queued || !data) return;
    const DisplayArea area{data->DisplayPos.x, data->DisplayPos.y, data->DisplaySize.x, data->DisplaySize.y,
                           data->FramebufferScale.x};
    // ImGui's renderer sets the scissor for its own commands only: clip to this one's rectangle.
    const float fb_h = data->DisplaySize.y * data->FramebufferScale.y;
    const ImVec4 clip = command->ClipRect;
    const float x0 = (clip.x - area.x) * area.scale, y0 = (clip.y - area.y) * data->FramebufferScale.y;
    const float x1 = (clip.z - area.x) * area.scale, y1 = (clip.w - area.y) * data->FramebufferScale.y;
    if (x1 <= x0 || y1 <= y0) return;
    glScissor(GLint(x0), GLint(fb_h - y1), GLsizei(x1 - x0), GLsizei(y1 - y0));
    queued->display->draw(queued->draw, area);
}

void PanelDisplay::draw_now(const PanelDraw& draw, const DisplayArea& area, int framebuffer_w, int framebuffer_h) {
    if (!has_picture(draw.picture)) return;
    glViewport(0, 0, framebuffer_w, framebuffer_h);
    glDisable(GL_SCISSOR_TEST);
    glDisable(GL_BLEND);
    this->draw(draw, area);
}

void PanelDisplay::draw(const PanelDraw& d, const DisplayArea& area) {
    const gl::Rgba8Texture& picture = texture(d.picture);
    const gl::Rgba8Texture& content = has_picture(Picture::Content) ? texture(Picture::Content) : picture;
    // Framebuffer pixels per texel of this picture (a smaller preview is magnified more).
    const float span = std::fabs(d.u1 - d.u0) * static_cast<float>(picture.width());
    const float magnification = span > 0 ? d.w * area.scale / span : 1.0f;
    const bool tint = d.mask_tint && mask_.valid();
    unsigned features = 0;
    if (magnification >= 0.999f) features |= kNearest;  // 1:1 within rounding counts as 1:1
    if (magnification >= kGridFromMagnification) features |= kGrid;
    if (d.wipe >= 0.0f) features |= kWipe;
    if (d.difference) features |= kDifference;
    if (d.channel != Channel::Rgb) features |= kChannel;
    if (tint) features |= kTint;
    const Variant* found = variant(features);
    if (!found) return;  // reported through take_failure()
    const Variant& u = *found;
    glUseProgram(u.program.id());
    glBindVertexArray(vertex_array_);
    glUniform4f(u.rect, d.x, d.y, d.w, d.h);
    glUniform4f(u.uv, d.u0, d.v0, d.u1, d.v1);
    glUniform4f(u.display, area.x, area.y, area.w, area.h);
    glUniform1i(u.picture, 0);
    glUniform1i(u.other, 1);
    glUniform1i(u.mask, 2);
    glUniform1f(u.wipe, d.wipe);
    glUniform1f(u.gain, d.gain);
    glUniform1i(u.channel, static_cast<int>(d.channel));
    glUniform4f(u.tint_color, kTintColour[0], kTintColour[1], kTintColour[2], kTintColour[3]);
    glActiveTexture(GL_TEXTURE2);
    glBindTexture(GL_TEXTURE_2D, tint ? mask_.id() : 0);
    glActiveTexture(GL_TEXTURE1);
    glBindTexture(GL_TEXTURE_2D, content.id());
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, picture.id());
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
}

}  // namespace nt::display
