#pragma once
// The three picture panels: content, style and result side by side, sharing one zoom/pan
// (wheel zooms around the cursor, drag pans, double-click fits), a draggable wipe divider on the
// result panel, captions and the RGB values under the cursor. With the mask brush on, left and
// right drags on the content panel become brush strokes (middle drag still pans there, and the
// other panels pan as usual); the canvas only reports them, the app paints the mask.
#include <vector>
#include <array>
#include <cstdint>
#include <map>
#include <string>

#include "viewer/state/canvas_view.h"
#include "image/image.h"
#include "display/panel_display.h"
#include "viewer/state/histogram.h"
#include "viewer/ui/inspect_view.h"

namespace nt::viewer {

struct PixelReadout {
    bool valid = false;
    int x = 0, y = 0;
    std::array<std::array<std::uint8_t, 3>, kPanelCount> rgb{};  // content, style, result
    std::array<bool, kPanelCount> has{};  // per panel: the point is on its picture (a fitted style may not cover it)
};

// The mask brush as the canvas needs it: whether drags paint, and how to preview the brush.
struct MaskBrush {
    bool active = false;   // left/right drags on the content panel paint instead of panning
    bool erase = false;    // a left drag erases (a right drag always does)
    float radius = 16;     // working pixels: the preview circle follows the zoom
    bool overlay = false;  // the mask's tint over the content panel
};

// One piece of a brush stroke in working-pixel coordinates (continuous: pixel i spans [i, i+1)).
// `begin`: the stroke's first dab, at `to`; otherwise dabs along from -> to.
struct PaintSegment {
    Vec2 from, to;
    bool erase = false;
    bool begin = false;
};

struct CanvasState {
    ViewTransform view;                                    // shared by the three panels
    PanelArrangement arrangement = PanelArrangement::All;  // which panels are shown
    bool wipe_enabled = false;
    float wipe_position = 0.5f;                     // 0..1 of the image width
    InspectView inspect;                            // difference, channel, A/B flip, histograms
    std::array<PanelLayout, kPanelCount> panels{};  // this frame's layout (for drops and --report)
    ViewTransform resolved;                         // this frame's concrete transform
    PixelReadout readout;
    MaskBrush brush;                    // set by the app before draw_canvas
    std::vector<PaintSegment> strokes;  // this frame's brush input, for the app
    int stroke_button = -1;             // the mouse button of the stroke under way
    Vec2 stroke_last;                   // where it was last frame (image pixels)
    // Whether the last mouse click was on the canvas (true before any click), and so whether plain
    // keys (letters, Space, Tab) act on it: the pointer is over it, or it was clicked last. A
    // letter typed after a click that missed a text field must not toggle views.
    bool clicked_last = true;
    bool keys_to_canvas = true;
};

// A panel's pixels in host memory, for the readout: `channels` bytes per pixel (3 or 4), rows
// packed. Empty when the pixels are not at hand (a GPU result while the pointer is elsewhere).
struct PixelView {
    const std::uint8_t* data = nullptr;
    int width = 0, height = 0, channels = 3;
    bool empty() const { return !data || width <= 0 || height <= 0; }
    const std::uint8_t* at(int x, int y) const { return data + (static_cast<std::size_t>(y) * width + x) * channels; }
    static PixelView of(const Image& image) {
        return {image.empty() ? nullptr : image.pixels.data(), image.width, image.height, 3};
    }
};

// What each panel shows: whether its picture is on the display, the host pixels for readouts,
// a caption and the histogram (when histograms are shown).
struct PanelContent {
    bool shows_picture = false;
    PixelView pixels;
    std::string title;                       // "Content", ...
    std::string caption;                     // "content.jpg · 1024 × 768"
    std::string placeholder = "No picture";  // shown (wrapped) where there is no picture
    const Histogram* histogram = nullptr;
    // Drawn with the aspect of `pixels`, fitted and centred in the working frame (placed_in_frame):
    // the style, which keeps its own aspect for every method but the pixel-aligned blend.
    bool fitted = false;
};

// Draws the panels inside `area` (screen points) and handles their mouse input. They share the
// frame of the working size `image_w` x `image_h` (a fitted panel's picture is placed in it);
// `display` draws them.
void draw_canvas(Rect area, CanvasState& canvas, const std::array<PanelContent, kPanelCount>& panels,
                 display::PanelDisplay& display, int image_w, int image_h);

}  // namespace nt::viewer
