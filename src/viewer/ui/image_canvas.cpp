#include "viewer/ui/image_canvas.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "viewer/ui/histogram_overlay.h"
#include "viewer/state/path_text.h"
#include "viewer/ui/ui_theme.h"

namespace nt::viewer {

namespace {

ImVec2 im(Vec2 v) { return {v.x, v.y}; }
Vec2 vec(ImVec2 v) { return {v.x, v.y}; }

// The visible part of a picture as a request to the display unit, in the canvas's view modes.
display::PanelDraw panel_draw(const CanvasState& c, display::Picture picture, const VisiblePart& part) {
    display::PanelDraw d;
    d.picture = picture;
    d.x = part.screen.x;
    d.y = part.screen.y;
    d.w = part.screen.w;
    d.h = part.screen.h;
    d.u0 = part.uv0.x;
    d.v0 = part.uv0.y;
    d.u1 = part.uv1.x;
    d.v1 = part.uv1.y;
    d.channel = c.inspect.channel;
    return d;
}

// A small label with a dark backdrop, readable on any picture.
void badge(ImDrawList* dl, ImVec2 pos, const char* text) {
    const ImVec2 size = ImGui::CalcTextSize(text);
    const float pad = ImGui::GetStyle().FramePadding.x * 0.6f;
    dl->AddRectFilled(ImVec2(pos.x - pad, pos.y - pad * 0.5f),
                      ImVec2(pos.x + size.x + pad, pos.y + size.y + pad * 0.5f), IM_COL32(0, 0, 0, 150), 3.0f);
    dl->AddText(pos, IM_COL32(235, 235, 235, 255), text);
}

// Wipe divider: returns its x in screen points and whether the mouse is on it.
float divider_x(const CanvasState& c, Rect area, float image_w) {
    return image_to_screen(c.resolved, area, {c.wipe_position * image_w, 0}).x;
}

// The result panel: the result, or the content while the A/B key is held, or the difference; the
// wipe (content | result) is one draw with its split as a uniform.
void draw_result_panel(ImDrawList* dl, const CanvasState& c, Rect area, display::PanelDisplay& display, float iw,
                       float ih) {
    const VisiblePart part = visible_part(c.resolved, area, iw, ih);
    if (part.empty()) return;
    const bool content = display.has_picture(display::Picture::Content);
    if (c.inspect.flip && content) {
        display.queue(dl, panel_draw(c, display::Picture::Content, part));
        return;
    }
    display::PanelDraw d = panel_draw(c, display::Picture::Result, part);
    if (c.inspect.difference && content) {
        d.difference = true;
        d.gain = c.inspect.difference_gain;
        display.queue(dl, d);
        return;
    }
    const bool wipe = c.wipe_enabled && content;
    if (wipe) d.wipe = c.wipe_position;
    display.queue(dl, d);
    if (!wipe) return;
    const float x = divider_x(c, area, iw);
    if (x < area.x || x > area.x + area.w) return;
    const float s = ImGui::GetFontSize() / 15.0f;
    dl->AddLine(ImVec2(x, area.y), ImVec2(x, area.y + area.h), kAccent, 2.0f * s);
    const float cy = area.y + area.h * 0.5f;
    dl->AddCircleFilled(ImVec2(x, cy), 7.0f * s, kAccent);
    const float top = area.y + 8 * s;
    const ImVec2 left_size = ImGui::CalcTextSize("content");
    badge(dl, ImVec2(x - left_size.x - 10 * s, top), "content");
    badge(dl, ImVec2(x + 10 * s, top), "result");
}

// What the panel shows when it is not the plain picture, at its top-right corner.
void draw_view_badge(ImDrawList* dl, const CanvasState& c, const Rect& area, int i, float s) {
    std::string text;
    if (i == kResultPanel && c.inspect.flip) text = "content (A/B)";
    else if (i == kResultPanel && c.inspect.difference) {
        char gain[48];
        std::snprintf(gain, sizeof gain, "|result - content| x%g", c.inspect.difference_gain);
        text = gain;
    }
    if (c.inspect.channel != display::Channel::Rgb)
        text += (text.empty() ? "" : "  ") + std::string(display::channel_name(c.inspect.channel));
    if (text.empty()) return;
    const float w = ImGui::CalcTextSize(text.c_str()).x;
    badge(dl, ImVec2(area.x + area.w - w - 8 * s, area.y + 6 * s), text.c_str());
}

void draw_caption(ImDrawList* dl, const PanelLayout& p, const PanelContent& content, const PixelReadout& readout,
                  int index) {
    const ImGuiStyle& style = ImGui::GetStyle();
    const float y = p.caption.y + (p.caption.h - ImGui::GetFontSize()) * 0.5f;
    const float right = p.caption.x + p.caption.w - style.FramePadding.x;
    float text_right = right;  // the caption gives way to the readout, never overlaps it
    if (readout.valid && readout.has[index]) {
        char rgb[48];
        const auto& v = readout.rgb[index];
        std::snprintf(rgb, sizeof rgb, "%3d %3d %3d", v[0], v[1], v[2]);
        ImGui::PushFont(monospace_font());
        const ImVec2 size = ImGui::CalcTextSize(rgb);
        const float x = right - size.x;
        const float swatch = size.y;
        dl->AddRectFilled(ImVec2(x - swatch - 6, y), ImVec2(x - 6, y + swatch), IM_COL32(v[0], v[1], v[2], 255), 2.0f);
        dl->AddRect(ImVec2(x - swatch - 6, y), ImVec2(x - 6, y + swatch), IM_COL32(255, 255, 255, 60), 2.0f);
        dl->AddText(ImVec2(x, y + (ImGui::GetFontSize() - size.y) * 0.5f), kCaptionText, rgb);
        ImGui::PopFont();
        text_right = x - swatch - 12;
    }
    const std::string text =
        fit_caption(content.title, content.caption, text_right - p.caption.x - style.FramePadding.x,
                    [](const std::string& t) { return ImGui::CalcTextSize(t.c_str()).x; });
    dl->PushClipRect(ImVec2(p.caption.x, p.caption.y),
                     ImVec2(std::max(p.caption.x, text_right), p.caption.y + p.caption.h), true);
    dl->AddText(ImVec2(p.caption.x + style.FramePadding.x, y), kCaptionText, text.c_str());
    dl->PopClipRect();
}

// Why a panel has no picture, wrapped to the panel and centred in it.
void draw_placeholder(ImDrawList* dl, const Rect& area, const std::string& text, float s) {
    const float wrap = std::max(area.w - 24 * s, 40.0f * s);
    const ImVec2 size = ImGui::CalcTextSize(text.c_str(), nullptr, false, wrap);
    const Vec2 center = area.center();
    dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(center.x - size.x * 0.5f, center.y - size.y * 0.5f),
                kDimText, text.c_str(), nullptr, wrap);
}

// The brush outline under the cursor, at its true size on screen, readable on any picture.
void draw_brush(ImDrawList* dl, ImVec2 at, float radius, bool erase, float s) {
    const float r = std::max(radius, 2.0f * s);
    const int segments = std::clamp(static_cast<int>(r * 0.75f), 24, 128);
    dl->AddCircle(at, r, IM_COL32(0, 0, 0, 160), segments, 3.0f * s);
    dl->AddCircle(at, r, erase ? IM_COL32(255, 150, 140, 255) : IM_COL32(255, 255, 255, 235), segments, 1.25f * s);
    // A small cross for the exact centre; also where the arrow cursor (hidden here) would point.
    const float c = 3.0f * s;
    dl->AddLine(ImVec2(at.x - c, at.y), ImVec2(at.x + c, at.y), IM_COL32(255, 255, 255, 200), 1.0f * s);
    dl->AddLine(ImVec2(at.x, at.y - c), ImVec2(at.x, at.y + c), IM_COL32(255, 255, 255, 200), 1.0f * s);
}

// Strokes: started by a left or right press on the content panel while the brush is active, and
// continued by one segment per frame from the previous position, so fast drags leave no gaps.
void track_stroke(CanvasState& c, bool activated, bool active, int hovered_panel, Vec2 mouse) {
    const ImGuiIO& io = ImGui::GetIO();
    const Rect area = c.panels[kContentPanel].image_area;
    if (!active) c.stroke_button = -1;
    if (activated && c.brush.active && hovered_panel == kContentPanel) {
        const int button = io.MouseClicked[ImGuiMouseButton_Left]    ? ImGuiMouseButton_Left
                           : io.MouseClicked[ImGuiMouseButton_Right] ? ImGuiMouseButton_Right
                                                                     : -1;
        if (button >= 0) {
            c.stroke_button = button;
            c.stroke_last = screen_to_image(c.resolved, area, mouse);
            c.strokes.push_back(
                {c.stroke_last, c.stroke_last, button == ImGuiMouseButton_Right || c.brush.erase, true});
            return;
        }
    }
    if (c.stroke_button < 0 || !active) return;
    const Vec2 p = screen_to_image(c.resolved, area, mouse);
    if (p.x == c.stroke_last.x && p.y == c.stroke_last.y) return;
    c.strokes.push_back({c.stroke_last, p, c.stroke_button == ImGuiMouseButton_Right || c.brush.erase, false});
    c.stroke_last = p;
}

// Where a fitted panel's picture (the style with its own aspect) sits in the working frame.
Rect placement(const PanelContent& panel, int iw, int ih) {
    if (!panel.fitted || panel.pixels.empty()) return {0, 0, float(iw), float(ih)};
    return placed_in_frame(float(iw), float(ih), float(panel.pixels.width), float(panel.pixels.height));
}

void update_readout(CanvasState& c, const std::array<PanelContent, kPanelCount>& panels, Vec2 mouse, int iw, int ih) {
    c.readout.valid = false;
    const int index = panel_at(c.panels, mouse);
    if (index < 0) return;
    int px = 0, py = 0;
    if (!pixel_at(c.resolved, c.panels[index].image_area, iw, ih, mouse, px, py)) return;
    for (int i = 0; i < kPanelCount; ++i) {
        const PixelView& img = panels[i].pixels;
        if (img.empty()) return;
        int x = 0, y = 0;
        if (panels[i].fitted) {
            // The style's own pixel at that place, or none where the fitted style leaves a margin.
            c.readout.has[i] = placed_pixel(placement(panels[i], iw, ih), img.width, img.height, px, py, x, y);
            if (!c.readout.has[i]) continue;
        } else {
            // A preview smaller than the working size (the display scales it): its pixel there.
            x = img.width == iw ? px : int(std::int64_t(px) * img.width / iw);
            y = img.height == ih ? py : int(std::int64_t(py) * img.height / ih);
            if (x >= img.width || y >= img.height) return;
            c.readout.has[i] = true;
        }
        const std::uint8_t* p = img.at(x, y);
        c.readout.rgb[i] = {p[0], p[1], p[2]};
    }
    c.readout.valid = true;
    c.readout.x = px;
    c.readout.y = py;
}

// Zoom around the cursor, pan, the wipe divider's drag and double-click to fit.
void handle_view_input(CanvasState& c, bool hovered, bool active, bool activated, int hovered_panel, Vec2 mouse, int iw,
                       int ih) {
    const float s = ImGui::GetFontSize() / 15.0f;
    const ImGuiIO& io = ImGui::GetIO();
    const Rect first_area = c.panels[first_shown_panel(c.panels)].image_area;
    static bool dragging_wipe = false;  // only one canvas exists
    const Rect result_area = c.panels[kResultPanel].image_area;
    const bool near_divider = c.wipe_enabled && iw > 0 && hovered_panel == kResultPanel &&
                              std::fabs(mouse.x - divider_x(c, result_area, static_cast<float>(iw))) < 8 * s;
    if (activated) dragging_wipe = near_divider && io.MouseClicked[ImGuiMouseButton_Left];
    if (!active) dragging_wipe = false;
    if (near_divider || dragging_wipe) ImGui::SetMouseCursor(ImGuiMouseCursor_ResizeEW);

    if (iw > 0 && ih > 0) {
        if (hovered_panel >= 0 && io.MouseWheel != 0.0f) {
            const Rect a = c.panels[hovered_panel].image_area;
            // The same offset from the panel's center in every panel: zooming keeps them in step.
            c.view = zoom_around(c.resolved, first_area, static_cast<float>(iw), static_cast<float>(ih),
                                 {first_area.x + (mouse.x - a.x), first_area.y + (mouse.y - a.y)},
                                 std::pow(1.2f, io.MouseWheel));
        } else if (c.stroke_button >= 0) {
            // Painting: the view stays put.
        } else if (active && dragging_wipe) {
            const Vec2 p = screen_to_image(c.resolved, result_area, mouse);
            c.wipe_position = std::clamp(p.x / static_cast<float>(iw), 0.0f, 1.0f);
        } else if (active && !activated && (io.MouseDelta.x != 0 || io.MouseDelta.y != 0)) {
            // Not on the press's frame: its delta is the move towards the press (a pen or touch
            // tap moves and presses at once), and the pan starts where the button went down.
            c.view = pan_by(c.resolved, first_area, static_cast<float>(iw), static_cast<float>(ih), vec(io.MouseDelta));
        }
        const bool brush_here = c.brush.active && hovered_panel == kContentPanel;
        if (hovered && !brush_here && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) c.view = ViewTransform{};
        c.resolved = resolve(c.view, first_area, static_cast<float>(iw), static_cast<float>(ih));
    }
}

// One panel: its background, picture (or why there is none), the brush badge and the caption.
void draw_panel(ImDrawList* dl, const CanvasState& c, const std::array<PanelContent, kPanelCount>& panels,
                display::PanelDisplay& display, int i, int iw, int ih) {
    const float s = ImGui::GetFontSize() / 15.0f;
    const PanelLayout& p = c.panels[i];
    if (p.frame.empty()) return;  // not in this arrangement
    dl->AddRectFilled(im({p.frame.x, p.frame.y}), ImVec2(p.frame.x + p.frame.w, p.frame.y + p.frame.h),
                      kPanelBackground, 4.0f * s);
    dl->PushClipRect(im({p.image_area.x, p.image_area.y}),
                     ImVec2(p.image_area.x + p.image_area.w, p.image_area.y + p.image_area.h), true);
    if (i == kResultPanel && panels[i].shows_picture)
        draw_result_panel(dl, c, p.image_area, display, static_cast<float>(iw), static_cast<float>(ih));
    else if (panels[i].shows_picture) {
        const VisiblePart part =
            panels[i].fitted ? visible_placed(c.resolved, p.image_area, placement(panels[i], iw, ih))
                             : visible_part(c.resolved, p.image_area, static_cast<float>(iw), static_cast<float>(ih));
        display::PanelDraw d = panel_draw(c, static_cast<display::Picture>(i), part);
        d.mask_tint = i == kContentPanel && c.brush.overlay;
        if (!part.empty()) display.queue(dl, d);
    } else draw_placeholder(dl, p.image_area, panels[i].placeholder, s);
    if (panels[i].shows_picture) draw_view_badge(dl, c, p.image_area, i, s);
    if (panels[i].shows_picture && c.inspect.histograms && panels[i].histogram)
        draw_histogram(dl, p.image_area, *panels[i].histogram, c.inspect.histogram_luminance, s);
    if (i == kContentPanel && c.brush.active && iw > 0) {
        char text[48];
        std::snprintf(text, sizeof text, "%s  %.0f px", c.brush.erase ? "Erase" : "Paint", c.brush.radius * 2.0f);
        badge(dl, ImVec2(p.image_area.x + 8 * s, p.image_area.y + 6 * s), text);
    }
    dl->PopClipRect();
    draw_caption(dl, p, panels[i], c.readout, i);
}

// The brush under the cursor; a thin echo at the same place on the result panel shows what the
// stroke will change.
void draw_brush_preview(ImDrawList* dl, const CanvasState& c, int hovered_panel, Vec2 mouse, int iw) {
    const float s = ImGui::GetFontSize() / 15.0f;
    const bool over_content = hovered_panel == kContentPanel || c.stroke_button >= 0;
    if (c.brush.active && iw > 0 && (over_content || hovered_panel == kResultPanel)) {
        const Rect from = c.panels[hovered_panel >= 0 ? hovered_panel : kContentPanel].image_area;
        const float radius = c.brush.radius * c.resolved.zoom;
        const bool erase = c.brush.erase || c.stroke_button == ImGuiMouseButton_Right;
        for (int i : {int(kContentPanel), int(kResultPanel)}) {
            const Rect a = c.panels[i].image_area;
            if (a.empty()) continue;
            const ImVec2 at(a.x + (mouse.x - from.x), a.y + (mouse.y - from.y));
            dl->PushClipRect(im({a.x, a.y}), ImVec2(a.x + a.w, a.y + a.h), true);
            if (i == kContentPanel) draw_brush(dl, at, radius, erase, s);
            else dl->AddCircle(at, std::max(radius, 2.0f * s), IM_COL32(255, 255, 255, 110), 64, 1.0f * s);
            dl->PopClipRect();
        }
        if (over_content) ImGui::SetMouseCursor(ImGuiMouseCursor_None);
    }
}

}  // namespace

void draw_canvas(Rect area, CanvasState& c, const std::array<PanelContent, kPanelCount>& panels,
                 display::PanelDisplay& display, int iw, int ih) {
    const float s = ImGui::GetFontSize() / 15.0f;
    const float caption_h = ImGui::GetFontSize() + 12 * s;
    c.panels = layout_panels(area, 8 * s, caption_h, iw > 0 ? static_cast<float>(ih) / iw : 0.0f, c.arrangement);

    ImGui::SetNextWindowPos(im({area.x, area.y}));
    ImGui::SetNextWindowSize(ImVec2(area.w, area.h));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                                   ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoScrollWithMouse;
    ImGui::Begin("##canvas", nullptr, flags);
    ImGui::PopStyleVar();
    ImDrawList* dl = ImGui::GetWindowDrawList();

    // Every shown panel has the same size: the transform is resolved for the first one.
    const Rect first_area = c.panels[first_shown_panel(c.panels)].image_area;
    c.resolved = resolve(c.view, first_area, static_cast<float>(iw), static_cast<float>(ih));

    // One invisible button over the canvas owns the mouse: hover, drag and double-click, with any
    // button (left pans, or paints on the content panel with the brush on; middle always pans).
    ImGui::SetCursorScreenPos(ImVec2(area.x, area.y));
    ImGui::InvisibleButton(
        "##panels", ImVec2(std::max(area.w, 1.0f), std::max(area.h, 1.0f)),
        ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight | ImGuiButtonFlags_MouseButtonMiddle);
    const bool hovered = ImGui::IsItemHovered(), active = ImGui::IsItemActive();
    const bool activated = ImGui::IsItemActivated();
    c.strokes.clear();
    const ImGuiIO& io = ImGui::GetIO();
    const Vec2 mouse = vec(io.MousePos);
    const int hovered_panel = hovered ? panel_at(c.panels, mouse) : -1;
    for (int button = 0; button < 3; ++button)
        if (ImGui::IsMouseClicked(button)) c.clicked_last = hovered;
    c.keys_to_canvas = hovered || c.clicked_last;

    if (iw > 0 && ih > 0) track_stroke(c, activated, active, hovered_panel, mouse);
    handle_view_input(c, hovered, active, activated, hovered_panel, mouse, iw, ih);
    update_readout(c, panels, mouse, iw, ih);
    if (!hovered) c.readout.valid = false;

    for (int i = 0; i < kPanelCount; ++i) draw_panel(dl, c, panels, display, i, iw, ih);
    draw_brush_preview(dl, c, hovered_panel, mouse, iw);
    ImGui::End();
}

}  // namespace nt::viewer
