#pragma once
// The controls of an iterative method while it runs (drawn under the method's sliders): pause /
// continue and restart, where a restart (or any change) starts from, and for methods that report
// values per step (Gatys' losses) a small live plot of each.
#include <map>
#include <string>

#include "viewer/ui/controls_panel.h"

namespace nt::viewer {

void draw_iterative_controls(ViewerState& state, const NeuralPanelInfo& neural, ControlsActions& actions,
                             std::map<std::string, Rect>& rects);

}  // namespace nt::viewer
