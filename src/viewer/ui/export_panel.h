#pragma once
// The "Export full size" row of the VIEW AND EXPORT section: the button (Ctrl+E) while no export
// runs; while one does, its progress (steps of an iterative method, else a sweeping bar) with
// the size and the time spent, and Cancel.
#include <map>
#include <string>

#include "viewer/pipeline/full_size_export.h"
#include "viewer/state/canvas_view.h"
#include "viewer/ui/controls_panel.h"

namespace nt::viewer {

void full_size_export_row(const FullSizeStatus& status, ControlsActions& a, std::map<std::string, Rect>& rects);

// "step 3/24  12.3 s" or "computing  12.3 s", with "cancelling" when asked: the bar's text.
std::string full_size_progress_text(const FullSizeStatus& status);

}  // namespace nt::viewer
