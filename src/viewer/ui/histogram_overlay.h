#pragma once
// A panel's histogram drawn small over the bottom-left corner of its picture: R, G and B as
// coloured curves (or the luminance as one grey area) on a dark backdrop, square-root scaled so
// a single dominant colour does not flatten the rest.
#include "viewer/state/canvas_view.h"
#include "viewer/state/histogram.h"

struct ImDrawList;

namespace nt::viewer {

// `area`: the panel's picture area (screen points); `s`: the UI scale.
void draw_histogram(ImDrawList* dl, const Rect& area, const Histogram& histogram, bool luminance, float s);

}  // namespace nt::viewer
