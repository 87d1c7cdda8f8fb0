#pragma once
// The inspection views' rows in the "View and export" section: difference and its gain, the
// channel shown, histograms. Their keys (D, C, hold B, G) are in the action registry.
#include <map>
#include <string>

#include "viewer/state/canvas_view.h"
#include "viewer/ui/inspect_view.h"

namespace nt::viewer {

void draw_view_controls(InspectView& view, std::map<std::string, Rect>& rects);

}  // namespace nt::viewer
