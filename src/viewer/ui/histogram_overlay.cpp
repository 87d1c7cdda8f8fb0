#include "viewer/ui/histogram_overlay.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>

namespace nt::viewer {

namespace {

// The curve of one row, 256 bins across `box`, heights sqrt(count / peak).
void curve(ImDrawList* dl, const ImVec2& min, const ImVec2& max, const Histogram& h, int row, ImU32 colour,
           bool filled) {
    if (h.peak[row] == 0) return;
    const float w = max.x - min.x, height = max.y - min.y;
    ImVec2 points[256];
    for (int i = 0; i < 256; ++i) {
        const float v = std::sqrt(static_cast<float>(h.bins[row][i]) / static_cast<float>(h.peak[row]));
        points[i] = ImVec2(min.x + w * (static_cast<float>(i) + 0.5f) / 256.0f, max.y - v * height);
    }
    if (filled)
        for (int i = 0; i < 256; ++i) dl->AddLine(ImVec2(points[i].x, max.y), points[i], colour, w / 256.0f + 0.5f);
    else dl->AddPolyline(points, 256, colour, 0, 1.25f);
}

}  // namespace

void draw_histogram(ImDrawList* dl, const Rect& area, const Histogram& histogram, bool luminance, float s) {
    const float w = std::min(168.0f * s, area.w - 16 * s), h = std::min(60.0f * s, area.h * 0.4f);
    if (w < 32 * s || h < 16 * s || histogram.pixels == 0) return;
    const ImVec2 min(area.x + 8 * s, area.y + area.h - h - 8 * s), max(min.x + w, min.y + h);
    dl->AddRectFilled(ImVec2(min.x - 3 * s, min.y - 3 * s), ImVec2(max.x + 3 * s, max.y + 3 * s),
                      IM_COL32(0, 0, 0, 170), 3.0f * s);
    if (luminance) {
        curve(dl, min, max, histogram, Histogram::Luminance, IM_COL32(220, 220, 220, 200), true);
        return;
    }
    curve(dl, min, max, histogram, Histogram::Red, IM_COL32(255, 80, 80, 230), false);
    curve(dl, min, max, histogram, Histogram::Green, IM_COL32(80, 230, 80, 230), false);
    curve(dl, min, max, histogram, Histogram::Blue, IM_COL32(90, 140, 255, 230), false);
}

}  // namespace nt::viewer
