#pragma once
// Look of the viewer: fonts (DejaVu when installed, ImGui's built-in font otherwise), colours and
// spacing, all scaled for HiDPI screens.
struct ImFont;

namespace nt::viewer {

// Rebuilds the font atlas and the style for `scale` (1 on ordinary screens, 2 on most HiDPI).
// The caller recreates the GL font texture when an atlas already existed.
void apply_theme(float scale);

ImFont* monospace_font();  // numbers in the status line and readouts; falls back to the UI font

// Colours shared by several parts of the UI (ImU32, ABGR).
inline constexpr unsigned kErrorBarColor = 0xFF2A2AB8;    // deep red
inline constexpr unsigned kInfoBarColor = 0xFF3C7A2E;     // green
inline constexpr unsigned kPanelBackground = 0xFF1C1A19;  // behind pictures
inline constexpr unsigned kCaptionText = 0xFFD8D8D8;
inline constexpr unsigned kDimText = 0xFF9A9A9A;
inline constexpr unsigned kAccent = 0xFFFFB347;  // wipe divider, highlights (light blue)

}  // namespace nt::viewer
