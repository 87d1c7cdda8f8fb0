#pragma once
// Geometry of the image canvas, without GL: where the three panels go, and the shared zoom/pan
// that maps image pixels to screen points. The panels share one frame, the working size: content
// and result have it, so one transform serves them all and they stay synchronized; a style with
// its own aspect is drawn fitted and centred in that frame (placed_in_frame).
#include <array>

namespace nt::viewer {

struct Vec2 {
    float x = 0, y = 0;
};

struct Rect {
    float x = 0, y = 0, w = 0, h = 0;
    bool contains(Vec2 p) const { return p.x >= x && p.y >= y && p.x < x + w && p.y < y + h; }
    Vec2 center() const { return {x + w * 0.5f, y + h * 0.5f}; }
    bool empty() const { return w <= 0 || h <= 0; }
};

enum PanelIndex { kContentPanel = 0, kStylePanel = 1, kResultPanel = 2, kPanelCount = 3 };

struct PanelLayout {
    Rect frame;       // the whole panel
    Rect image_area;  // where the picture is drawn (clipped)
    Rect caption;     // the line under it
};

// Which panels the canvas shows: all three, the result alone (large), or content | result.
enum class PanelArrangement { All, ResultOnly, ContentResult };
inline constexpr int kArrangementCount = 3;
// The next one in that order (the key that cycles them).
PanelArrangement next_arrangement(PanelArrangement a);
const char* arrangement_name(PanelArrangement a);  // "three panels", ...
bool panel_shown(PanelArrangement a, int panel);

// The shown panels, all the same size, `gap` apart in `canvas`, each with a caption strip at the
// bottom; hidden panels get empty rects. Without `image_aspect` (height / width of the pictures,
// 0: unknown) they stand side by side and fill the canvas. With it they go in one row, one
// column or two per row (three panels: two above, one centered below), whichever shows the
// pictures largest, and each panel is only as large as its fitted picture, the block centered, so
// captions sit right under the pictures. Degenerate (tiny) canvases give empty rects, never
// negative sizes.
std::array<PanelLayout, kPanelCount> layout_panels(Rect canvas, float gap, float caption_height,
                                                   float image_aspect = 0.0f,
                                                   PanelArrangement arrangement = PanelArrangement::All);

// Index of the panel whose frame holds `p`, or -1.
int panel_at(const std::array<PanelLayout, kPanelCount>& panels, Vec2 p);
// The first panel with a non-empty frame (all shown panels have the same size, so its image
// area is the one the shared transform is resolved for); the result panel when none is.
int first_shown_panel(const std::array<PanelLayout, kPanelCount>& panels);

// Zoom is screen points per image pixel; center is the image point shown at the area's center.
// While `fit` is set the zoom follows the area (window resizes keep the picture fitted).
struct ViewTransform {
    bool fit = true;
    float zoom = 1.0f;
    Vec2 center;
};

inline constexpr float kMaxZoom = 64.0f;      // image pixels become 64-point squares
inline constexpr float kMinZoomOfFit = 0.1f;  // zooming out stops at a tenth of the fitted size

// The largest zoom showing the whole image in the area.
float fit_zoom(Rect area, float image_w, float image_h);
// `view` with fit resolved: a concrete zoom and center for this area and image.
ViewTransform resolve(const ViewTransform& view, Rect area, float image_w, float image_h);

Vec2 image_to_screen(const ViewTransform& resolved, Rect area, Vec2 image_point);
Vec2 screen_to_image(const ViewTransform& resolved, Rect area, Vec2 screen_point);

// Multiplies the zoom by `factor`, keeping the image point under `cursor` in place; clamped to
// [kMinZoomOfFit * fit, kMaxZoom]. The result is no longer in fit mode.
ViewTransform zoom_around(const ViewTransform& view, Rect area, float image_w, float image_h, Vec2 cursor,
                          float factor);
// Sets an absolute zoom (e.g. 1:1) around the area's center.
ViewTransform zoom_to(const ViewTransform& view, Rect area, float image_w, float image_h, float zoom);
// Moves the picture by `delta` screen points; the center stays within the image.
ViewTransform pan_by(const ViewTransform& view, Rect area, float image_w, float image_h, Vec2 delta);

// The part of the image's columns [u_from, u_to] (0..1 of its width) that is visible in the
// area: its screen rect and texture coordinates. Empty when nothing is visible.
struct VisiblePart {
    Rect screen;
    Vec2 uv0, uv1;
    bool empty() const { return screen.empty(); }
};
VisiblePart visible_part(const ViewTransform& resolved, Rect area, float image_w, float image_h, float u_from = 0.0f,
                         float u_to = 1.0f);

// Where a picture of another shape is drawn in the panels' shared frame of frame_w x frame_h
// image pixels (the style with its own aspect beside the content's working size): as large as
// fits, centred, in the frame's image coordinates. The whole frame for a picture of its aspect.
Rect placed_in_frame(float frame_w, float frame_h, float picture_w, float picture_h);
// The part of a picture drawn over `placed` (frame image coordinates, as placed_in_frame gives)
// that is visible in the area: its screen rect and texture coordinates (0..1 over the picture).
VisiblePart visible_placed(const ViewTransform& resolved, Rect area, Rect placed);
// The pixel of a picture of picture_w x picture_h drawn over `placed` at frame pixel (fx, fy)
// (its centre); false when that point is outside the picture.
bool placed_pixel(Rect placed, int picture_w, int picture_h, int fx, int fy, int& px, int& py);

// Whole pixel under a screen point; false when outside the image.
bool pixel_at(const ViewTransform& resolved, Rect area, int image_w, int image_h, Vec2 screen_point, int& px, int& py);

}  // namespace nt::viewer
