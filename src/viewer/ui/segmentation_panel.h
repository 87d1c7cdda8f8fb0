#pragma once
// "Mask from segmentation" in the MASK section: a button that finds the objects in the content
// (on the segmentation worker), then a checkbox per class present with its share of the picture;
// the chosen classes (or everything else, inverted) become the mask, which the brush can edit.
#include <map>
#include <string>

#include "viewer/ui/controls_panel.h"

namespace nt::viewer {

void draw_segmentation_controls(ViewerState& state, const NeuralPanelInfo& neural, ControlsActions& actions,
                                std::map<std::string, Rect>& rects);

}  // namespace nt::viewer
