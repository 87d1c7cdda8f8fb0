#pragma once
// Small helpers the sidebar's drawing files share: the last item's rectangle for --report, and a
// tooltip on hover.
#include <imgui.h>

#include <map>
#include <string>

#include "viewer/state/canvas_view.h"

namespace nt::viewer {

inline void record(std::map<std::string, Rect>& rects, const std::string& name) {
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    rects[name] = {a.x, a.y, b.x - a.x, b.y - a.y};
}

// Not while the item is held: a tooltip would cover the value being dragged.
inline void tooltip(const std::string& text) {
    if (!text.empty() && !ImGui::IsItemActive() && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip("%s", text.c_str());
}

}  // namespace nt::viewer
