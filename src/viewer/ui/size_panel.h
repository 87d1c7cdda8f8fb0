#pragma once
// The "Working size and device" section: the presets, Keep aspect, the custom W and H fields
// (committed on Enter or focus change, refused beyond the limits) and CPU / CUDA.
#include <map>
#include <string>

#include "viewer/ui/controls_panel.h"

namespace nt::viewer {

// Edits the controls in place; a refused typed size goes to actions.size_error.
void size_controls(ControlValues& c, const ImageSlot& content, ControlsPanelState& fields, ControlsActions& actions,
                   std::map<std::string, Rect>& rects);
void device_controls(ControlValues& c);
// The networks' number format: Auto (what it resolves to here), FP32, BF16 (off where the CPU
// has no native bf16 and the device is the CPU).
void precision_controls(ControlValues& c);

}  // namespace nt::viewer
