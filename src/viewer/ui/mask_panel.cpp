#include "viewer/ui/mask_panel.h"

#include <imgui.h>

#include <cfloat>

#include "image/mask.h"
#include "viewer/ui/panel_widgets.h"

namespace nt::viewer {

namespace {

// "Label [slider]" on one row: the mask section has several sliders and little room.
bool row_slider(const char* label, float label_w, const char* id, float& v, float lo, float hi, const char* format,
                ImGuiSliderFlags flags = 0) {
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(label);
    ImGui::SameLine(label_w);
    ImGui::SetNextItemWidth(-FLT_MIN);
    return ImGui::SliderFloat(id, &v, lo, hi, format, flags | ImGuiSliderFlags_AlwaysClamp);
}

// A button that stays lit while its tool is on.
bool toggle_button(const char* label, bool on, ImVec2 size) {
    if (on) {
        ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
        ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
    }
    const bool pressed = ImGui::Button(label, size);
    if (on) ImGui::PopStyleColor(2);
    return pressed;
}

// Brush size and hardness, and the feather.
void brush_rows(ViewerState& state, std::map<std::string, Rect>& rects) {
    ControlValues& c = state.controls;
    const ImGuiStyle& style = ImGui::GetStyle();
    const float label_w = ImGui::CalcTextSize("Feather").x + style.WindowPadding.x + style.ItemSpacing.x * 2;
    // Size and hardness share a row: two half sliders.
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Brush");
    ImGui::SameLine(label_w);
    const float half = (ImGui::GetContentRegionAvail().x - style.ItemSpacing.x) * 0.5f;
    ImGui::SetNextItemWidth(half);
    ImGui::SliderFloat("##brush", &c.brush_size, kMinBrushSize, kMaxBrushSize, "%.0f px",
                       ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
    record(rects, "mask.brush");
    tooltip("Brush diameter in working pixels. [ and ] change it.");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(-FLT_MIN);
    ImGui::SliderFloat("##hardness", &c.brush_hardness, 0.0f, 1.0f, "hard %.2f", ImGuiSliderFlags_AlwaysClamp);
    tooltip("Hardness: 0 soft from the centre out, 1 a hard edge.");
    float feather = static_cast<float>(c.feather_px);
    if (row_slider("Feather", label_w, "##feather", feather, 0.0f, static_cast<float>(kMaxFeatherPx), "%.1f px",
                   ImGuiSliderFlags_Logarithmic))
        c.feather_px = feather;
    state.interacting |= ImGui::IsItemActive();
    record(rects, "mask.feather");
    tooltip(
        "Soften the mask's edges: Gaussian blur of this many working pixels (as --feather).\n"
        "Ctrl+click to type a value.");
}

// Paint / erase, the overlay, and the edits of the whole mask.
void mask_buttons(ViewToggles& toggles, ControlsActions& a, std::map<std::string, Rect>& rects,
                  const NeuralPanelInfo& neural) {
    const ImGuiStyle& style = ImGui::GetStyle();
    if (ImGui::RadioButton("Paint", !toggles.erase)) toggles.erase = false;
    ImGui::SameLine();
    if (ImGui::RadioButton("Erase  (X)", toggles.erase)) toggles.erase = true;
    tooltip("What a left drag does; a right drag always erases.");
    ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - ImGui::CalcTextSize("Overlay").x - ImGui::GetFrameHeight() -
                    style.ItemInnerSpacing.x);
    ImGui::Checkbox("Overlay", &toggles.mask_overlay);
    record(rects, "mask.overlay");
    tooltip("Show the mask as a tint over the content panel.");
    const float fifth = (ImGui::GetContentRegionAvail().x - style.ItemSpacing.x * 4) / 5.0f;
    ImGui::BeginDisabled(!neural.can_undo_mask);
    a.undo_mask = ImGui::Button("Undo", ImVec2(fifth, 0));
    ImGui::EndDisabled();
    record(rects, "mask.undo");
    tooltip("Ctrl+Z: undo the last stroke, clear, invert or load.");
    ImGui::SameLine();
    ImGui::BeginDisabled(!neural.can_redo_mask);
    a.redo_mask = ImGui::Button("Redo", ImVec2(fifth, 0));
    ImGui::EndDisabled();
    tooltip("Ctrl+Shift+Z: redo what was undone.");
    ImGui::SameLine();
    a.clear_mask = ImGui::Button("Clear", ImVec2(fifth, 0));
    tooltip("Style nowhere: the result is the content.");
    ImGui::SameLine();
    a.invert_mask = ImGui::Button("Invert", ImVec2(fifth, 0));
    tooltip("Swap stylized and content areas.");
    ImGui::SameLine();
    a.save_mask = ImGui::Button("Save", ImVec2(-FLT_MIN, 0));
    tooltip("mask_NNNN.png in the export folder (white = stylized), never overwriting.");
}

}  // namespace

void mask_controls(ViewerState& state, ControlsPanelState& fields, ViewToggles& toggles, ControlsActions& a,
                   std::map<std::string, Rect>& rects, const NeuralPanelInfo& neural) {
    const ImGuiStyle& style = ImGui::GetStyle();
    const char* paint_label = toggles.paint_mask ? "Painting  (M)" : "Paint  (M)";
    const float paint_w = ImGui::CalcTextSize("Painting  (M)").x + style.FramePadding.x * 2;
    if (ImGui::Checkbox("Use mask", &state.mask_enabled) && !state.mask_enabled) toggles.paint_mask = false;
    record(rects, "mask.enable");
    tooltip("Apply the style only where the mask is white; the content shows elsewhere.");
    ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - paint_w);
    if (toggle_button(paint_label, toggles.paint_mask, ImVec2(paint_w, 0))) {
        toggles.paint_mask = !toggles.paint_mask;
        if (toggles.paint_mask) state.mask_enabled = true;  // painting an unused mask would show nothing
    }
    record(rects, "mask.paint");
    tooltip(
        "Paint on the content panel: left drag paints, right drag erases.\n"
        "Middle drag pans; the style and result panels pan as usual.");

    if (state.mask_enabled) {
        brush_rows(state, rects);
        mask_buttons(toggles, a, rects, neural);
    }
    ImGui::PushID("mask");
    const float load_w = ImGui::CalcTextSize("Load").x + style.FramePadding.x * 2;
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - load_w - ImGui::GetFrameHeight() -
                            style.ItemSpacing.x * 2);
    if (path_field(fields, fields.mask_path, "mask picture (white = stylized)"))
        a.load_mask = std::string(fields.mask_path.data());
    tooltip(fields.mask_path.data());
    ImGui::SameLine();
    if (ImGui::Button("Load")) a.load_mask = std::string(fields.mask_path.data());
    record(rects, "mask.load");
    tooltip("Read as grey levels and stretched to the working size, as the command line's --mask.");
    ImGui::SameLine();
    if (browse_button(fields, "browse")) a.browse = Browse::Mask;
    ImGui::PopID();
}

}  // namespace nt::viewer
