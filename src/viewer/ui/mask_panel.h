#pragma once
// The "Mask" section: Use mask, the brush (size, hardness, paint / erase), feather, overlay,
// undo / redo, clear, invert, save, and a mask picture to load.
#include <map>
#include <string>

#include "viewer/ui/controls_panel.h"

namespace nt::viewer {

void mask_controls(ViewerState& state, ControlsPanelState& fields, ViewToggles& toggles, ControlsActions& actions,
                   std::map<std::string, Rect>& rects, const NeuralPanelInfo& neural);

}  // namespace nt::viewer
