#pragma once
// The three picture panels: content, style and result side by side, sharing one zoom/pan
// (wheel zooms around the cursor, drag pans, double-click fits), a draggable wipe divider on the
// result panel, captions and the RGB values under the cursor.
#include <array>
#include <cstdint>
#include <map>
#include <string>

#include "viewer/canvas_view.h"
#include "viewer/gl_texture.h"

namespace nt::viewer {

struct PixelReadout {
    bool valid = false;
    int x = 0, y = 0;
    std::array<std::array<std::uint8_t, 3>, kPanelCount> rgb{};  // content, style, result
};

struct CanvasState {
    ViewTransform view;                           // shared by the three panels
    bool wipe_enabled = false;
    float wipe_position = 0.5f;                   // 0..1 of the image width
    std::array<PanelLayout, kPanelCount> panels{};  // this frame's layout (for drops and --report)
    ViewTransform resolved;                       // this frame's concrete transform
    PixelReadout readout;
};

// What each panel shows: its texture, the CPU copy for readouts, and a caption.
struct PanelContent {
    const GlTexture* texture = nullptr;
    const Image* pixels = nullptr;
    std::string title;     // "Content", ...
    std::string caption;   // "content.jpg · 1024 × 768"
};

// Draws the panels inside `area` (screen points) and handles their mouse input.
void draw_canvas(Rect area, CanvasState& canvas, const std::array<PanelContent, kPanelCount>& panels,
                 GlTexture* const textures[kPanelCount]);

}  // namespace nt::viewer
