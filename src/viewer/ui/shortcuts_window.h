#pragma once
// The keyboard and mouse reference (H or ?): the rows of action_registry.h.

namespace nt::viewer {

// Draws the window while `open`; its close button clears `open`.
void draw_shortcuts_window(bool& open);

}  // namespace nt::viewer
