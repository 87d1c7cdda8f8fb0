#include "viewer/shortcuts_window.h"

#include <imgui.h>

namespace nt::viewer {

namespace {

struct Shortcut {
    const char* keys;
    const char* action;
};

constexpr Shortcut kShortcuts[] = {
    {"Mouse wheel", "Zoom around the cursor (all panels)"},
    {"Drag", "Pan (all panels)"},
    {"M", "Mask brush on / off (turns the mask on)"},
    {"Left / right drag", "With the brush: paint / erase on the content panel"},
    {"Middle drag", "Pan, also while the brush is on"},
    {"X", "Left drag paints or erases"},
    {"[  ]", "Smaller / larger brush"},
    {"Double-click", "Fit"},
    {"Drag the divider", "Move the wipe (result panel)"},
    {"F", "Fit the pictures to the panels"},
    {"1", "1:1, one image pixel per screen pixel"},
    {"W", "Wipe: content | result on the result panel"},
    {"Ctrl+S", "Save the result (stylized_output_NNNN.png)"},
    {"F12", "Screenshot of the window (screenshot_NNNN.png)"},
    {"Tab", "Hide / show the controls"},
    {"F11", "Fullscreen"},
    {"H or ?", "This list"},
    {"Ctrl+Q", "Quit"},
    {"Drop files", "On the content or style panel to load there"},
};

}  // namespace

void draw_shortcuts_window(bool& open) {
    if (!open) return;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.5f),
                            ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    if (ImGui::Begin("Keyboard and mouse", &open,
                     ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoNavInputs)) {
        if (ImGui::BeginTable("##shortcuts", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_PadOuterX)) {
            for (const Shortcut& s : kShortcuts) {
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextColored(ImVec4(0.55f, 0.75f, 1.0f, 1.0f), "%s", s.keys);
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(s.action);
            }
            ImGui::EndTable();
        }
        ImGui::Spacing();
        ImGui::TextDisabled("Ctrl+click a slider to type a value. Esc closes this window.");
    }
    ImGui::End();
}

}  // namespace nt::viewer
