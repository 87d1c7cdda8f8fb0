#include "viewer/state/canvas_view.h"

#include <algorithm>
#include <cmath>

namespace nt::viewer {

PanelArrangement next_arrangement(PanelArrangement a) {
    return static_cast<PanelArrangement>((static_cast<int>(a) + 1) % kArrangementCount);
}

const char* arrangement_name(PanelArrangement a) {
    switch (a) {
        case PanelArrangement::All: return "content, style and result";
        case PanelArrangement::ResultOnly: return "result only";
        case PanelArrangement::ContentResult: return "content | result";
    }
    return "";
}

bool panel_shown(PanelArrangement a, int panel) {
    switch (a) {
        case PanelArrangement::All: return true;
        case PanelArrangement::ResultOnly: return panel == kResultPanel;
        case PanelArrangement::ContentResult: return panel != kStylePanel;
    }
    return true;
}

namespace {

// The shown panels' grid: `cols` per row, the last row centered when it has fewer.
struct PanelGrid {
    int cols = 1, rows = 1;
};

// The panel size (with its caption) that one cell of `grid` leaves in the canvas.
Vec2 cell_size(Rect canvas, float gap, PanelGrid grid) {
    return {std::max(0.0f, (canvas.w - gap * (grid.cols - 1)) / grid.cols),
            std::max(0.0f, (canvas.h - gap * (grid.rows - 1)) / grid.rows)};
}

// The width of a picture fitted into a cell above its caption.
float fitted_width(Vec2 cell, float caption_height, float image_aspect) {
    return std::min(cell.x, std::max(0.0f, cell.y - std::min(caption_height, cell.y)) / image_aspect);
}

// One row, one column or two per row: whichever shows the pictures largest. Without a known aspect,
// one row (as wide as the canvas allows).
PanelGrid best_grid(Rect canvas, float gap, float caption_height, float image_aspect, int shown) {
    PanelGrid best{shown, 1};
    if (shown < 2 || !(image_aspect > 0) || !std::isfinite(image_aspect)) return best;
    float best_width = fitted_width(cell_size(canvas, gap, best), caption_height, image_aspect);
    for (const PanelGrid grid : {PanelGrid{1, shown}, PanelGrid{2, (shown + 1) / 2}}) {
        const float width = fitted_width(cell_size(canvas, gap, grid), caption_height, image_aspect);
        if (width > best_width * 1.001f) {  // a tie keeps the row
            best = grid;
            best_width = width;
        }
    }
    return best;
}

}  // namespace

std::array<PanelLayout, kPanelCount> layout_panels(Rect canvas, float gap, float caption_height, float image_aspect,
                                                   PanelArrangement arrangement) {
    std::array<PanelLayout, kPanelCount> panels{};
    int shown = 0;
    for (int i = 0; i < kPanelCount; ++i) shown += panel_shown(arrangement, i) ? 1 : 0;
    const PanelGrid grid = best_grid(canvas, gap, caption_height, image_aspect, shown);
    const Vec2 cell = cell_size(canvas, gap, grid);
    float panel_w = cell.x, panel_h = cell.y;
    const float caption_h = std::min(caption_height, panel_h);
    if (image_aspect > 0 && std::isfinite(image_aspect)) {
        // As large as a fitted picture (captions right under the pictures, the block centered).
        panel_w = fitted_width(cell, caption_height, image_aspect);
        panel_h = std::min(panel_h, panel_w * image_aspect + caption_h);
    }
    const float block_h = grid.rows * panel_h + (grid.rows - 1) * gap;
    const float top = canvas.y + std::max(0.0f, (canvas.h - block_h) * 0.5f);
    int slot = 0;
    for (int i = 0; i < kPanelCount; ++i) {
        if (!panel_shown(arrangement, i)) continue;  // stays empty: nothing is drawn or hit there
        const int row = slot / grid.cols, col = slot % grid.cols;
        const int in_row = std::min(grid.cols, shown - row * grid.cols);
        const float row_w = in_row * panel_w + (in_row - 1) * gap;
        const float left = canvas.x + std::max(0.0f, (canvas.w - row_w) * 0.5f);
        PanelLayout& p = panels[i];
        p.frame = {left + col * (panel_w + gap), top + row * (panel_h + gap), panel_w, panel_h};
        p.image_area = {p.frame.x, p.frame.y, panel_w, panel_h - caption_h};
        p.caption = {p.frame.x, p.frame.y + panel_h - caption_h, panel_w, caption_h};
        ++slot;
    }
    return panels;
}

int first_shown_panel(const std::array<PanelLayout, kPanelCount>& panels) {
    for (int i = 0; i < kPanelCount; ++i)
        if (!panels[i].frame.empty()) return i;
    return kResultPanel;
}

int panel_at(const std::array<PanelLayout, kPanelCount>& panels, Vec2 p) {
    for (int i = 0; i < kPanelCount; ++i)
        if (panels[i].frame.contains(p)) return i;
    return -1;
}

float fit_zoom(Rect area, float image_w, float image_h) {
    if (area.empty() || image_w <= 0 || image_h <= 0) return 1.0f;
    return std::min(area.w / image_w, area.h / image_h);
}

ViewTransform resolve(const ViewTransform& view, Rect area, float image_w, float image_h) {
    if (!view.fit) return view;
    return {false, fit_zoom(area, image_w, image_h), {image_w * 0.5f, image_h * 0.5f}};
}

Vec2 image_to_screen(const ViewTransform& v, Rect area, Vec2 p) {
    const Vec2 c = area.center();
    return {c.x + (p.x - v.center.x) * v.zoom, c.y + (p.y - v.center.y) * v.zoom};
}

Vec2 screen_to_image(const ViewTransform& v, Rect area, Vec2 s) {
    const Vec2 c = area.center();
    return {v.center.x + (s.x - c.x) / v.zoom, v.center.y + (s.y - c.y) / v.zoom};
}

namespace {

ViewTransform clamp_center(ViewTransform v, float image_w, float image_h) {
    v.center.x = std::clamp(v.center.x, 0.0f, image_w);
    v.center.y = std::clamp(v.center.y, 0.0f, image_h);
    return v;
}

float clamp_zoom(float zoom, Rect area, float image_w, float image_h) {
    const float lo = kMinZoomOfFit * fit_zoom(area, image_w, image_h);
    return std::clamp(zoom, std::min(lo, kMaxZoom), kMaxZoom);
}

}  // namespace

ViewTransform zoom_around(const ViewTransform& view, Rect area, float image_w, float image_h, Vec2 cursor,
                          float factor) {
    const ViewTransform v = resolve(view, area, image_w, image_h);
    if (!(factor > 0) || !std::isfinite(factor)) return v;
    const Vec2 anchor = screen_to_image(v, area, cursor);
    ViewTransform out = v;
    out.zoom = clamp_zoom(v.zoom * factor, area, image_w, image_h);
    // Solve screen_to_image(out, cursor) == anchor for the new center.
    const Vec2 c = area.center();
    out.center = {anchor.x - (cursor.x - c.x) / out.zoom, anchor.y - (cursor.y - c.y) / out.zoom};
    return clamp_center(out, image_w, image_h);
}

ViewTransform zoom_to(const ViewTransform& view, Rect area, float image_w, float image_h, float zoom) {
    ViewTransform v = resolve(view, area, image_w, image_h);
    v.zoom = clamp_zoom(zoom, area, image_w, image_h);
    return v;
}

ViewTransform pan_by(const ViewTransform& view, Rect area, float image_w, float image_h, Vec2 delta) {
    ViewTransform v = resolve(view, area, image_w, image_h);
    v.center.x -= delta.x / v.zoom;
    v.center.y -= delta.y / v.zoom;
    return clamp_center(v, image_w, image_h);
}

namespace {

// The on-screen part of `shown` (an image-space rectangle) inside `area`, with texture
// coordinates relative to `frame` (the picture's own rectangle in image space).
VisiblePart visible_rect(const ViewTransform& v, Rect area, Rect shown, Rect frame) {
    VisiblePart part;
    if (area.empty() || shown.empty() || frame.empty()) return part;
    const Vec2 top_left = image_to_screen(v, area, {shown.x, shown.y});
    const Vec2 bottom_right = image_to_screen(v, area, {shown.x + shown.w, shown.y + shown.h});
    const float x0 = std::max(top_left.x, area.x), y0 = std::max(top_left.y, area.y);
    const float x1 = std::min(bottom_right.x, area.x + area.w), y1 = std::min(bottom_right.y, area.y + area.h);
    if (x1 <= x0 || y1 <= y0) return part;
    part.screen = {x0, y0, x1 - x0, y1 - y0};
    const Vec2 i0 = screen_to_image(v, area, {x0, y0});
    const Vec2 i1 = screen_to_image(v, area, {x1, y1});
    part.uv0 = {(i0.x - frame.x) / frame.w, (i0.y - frame.y) / frame.h};
    part.uv1 = {(i1.x - frame.x) / frame.w, (i1.y - frame.y) / frame.h};
    return part;
}

}  // namespace

VisiblePart visible_part(const ViewTransform& v, Rect area, float image_w, float image_h, float u_from, float u_to) {
    if (image_w <= 0 || image_h <= 0 || u_to <= u_from) return {};
    return visible_rect(v, area, {u_from * image_w, 0, (u_to - u_from) * image_w, image_h}, {0, 0, image_w, image_h});
}

Rect placed_in_frame(float frame_w, float frame_h, float picture_w, float picture_h) {
    if (frame_w <= 0 || frame_h <= 0 || picture_w <= 0 || picture_h <= 0) return {0, 0, frame_w, frame_h};
    const float scale = std::min(frame_w / picture_w, frame_h / picture_h);
    const float w = std::min(frame_w, picture_w * scale), h = std::min(frame_h, picture_h * scale);
    return {(frame_w - w) * 0.5f, (frame_h - h) * 0.5f, w, h};
}

VisiblePart visible_placed(const ViewTransform& v, Rect area, Rect placed) {
    return visible_rect(v, area, placed, placed);
}

bool placed_pixel(Rect placed, int picture_w, int picture_h, int fx, int fy, int& px, int& py) {
    if (placed.empty() || picture_w <= 0 || picture_h <= 0) return false;
    const float u = (float(fx) + 0.5f - placed.x) / placed.w, v = (float(fy) + 0.5f - placed.y) / placed.h;
    if (u < 0 || v < 0 || u >= 1 || v >= 1) return false;
    px = std::min(picture_w - 1, static_cast<int>(u * float(picture_w)));
    py = std::min(picture_h - 1, static_cast<int>(v * float(picture_h)));
    return true;
}

bool pixel_at(const ViewTransform& v, Rect area, int image_w, int image_h, Vec2 s, int& px, int& py) {
    if (!area.contains(s)) return false;
    const Vec2 p = screen_to_image(v, area, s);
    if (p.x < 0 || p.y < 0 || p.x >= image_w || p.y >= image_h) return false;
    px = static_cast<int>(std::floor(p.x));
    py = static_cast<int>(std::floor(p.y));
    return true;
}

}  // namespace nt::viewer
