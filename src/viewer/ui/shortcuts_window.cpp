#include "viewer/ui/shortcuts_window.h"

#include <imgui.h>

#include "viewer/state/action_registry.h"

namespace nt::viewer {

void draw_shortcuts_window(bool& open) {
    if (!open) return;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.5f),
                            ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    if (ImGui::Begin("Keyboard and mouse", &open,
                     ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoNavInputs)) {
        if (ImGui::BeginTable("##shortcuts", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_PadOuterX)) {
            for (const Shortcut& s : shortcuts()) {
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextColored(ImVec4(0.55f, 0.75f, 1.0f, 1.0f), "%s", s.keys);
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(s.description);
            }
            ImGui::EndTable();
        }
        ImGui::Spacing();
        ImGui::TextDisabled("Ctrl+click a slider to type a value. Esc closes this window.");
    }
    ImGui::End();
}

}  // namespace nt::viewer
