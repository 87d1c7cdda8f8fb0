#include "viewer/ui/segmentation_panel.h"

#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "viewer/ui/panel_widgets.h"
#include "viewer/pipeline/segmentation_masks.h"

namespace nt::viewer {

void draw_segmentation_controls(ViewerState& state, const NeuralPanelInfo& neural, ControlsActions& a,
                                std::map<std::string, Rect>& rects) {
    SegmentationMasks* seg = neural.segmentation;
    if (!seg || seg->models().empty() || !state.content.loaded()) return;
    ImGui::PushID("segmentation");
    // The remembered model, or the folder's first when it lacks it (the choice is remembered).
    std::string& model = state.controls.segmentation_model;
    model = chosen_segmentation_model(seg->models(), model);
    const bool busy = seg->busy();
    if (ImGui::Button(busy ? "Finding objects..." : "Mask from segmentation")) a.segment = !busy;
    record(rects, "segmentation.find");
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Find the objects in the content with %s, then choose which the style covers.",
                          model.c_str());
    if (seg->models().size() > 1) {
        // Several models: which one finds the objects is the user's choice, never picked silently.
        ImGui::SameLine();
        ImGui::SetNextItemWidth(-FLT_MIN);
        if (ImGui::BeginCombo("##segmentation_model", model.c_str())) {
            for (const ModelEntry& e : seg->models()) {
                if (ImGui::Selectable(e.name.c_str(), e.name == model) && e.name != model) {
                    model = e.name;
                    a.segment = !busy;  // the classes shown were the other model's
                }
                if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", e.path.string().c_str());
            }
            ImGui::EndCombo();
        }
        record(rects, "segmentation.model");
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("The segmentation model, from the models folder's segmentation/");
    }
    if (!seg->error().empty()) ImGui::TextWrapped("%s", seg->error().c_str());
    const std::optional<Size2> size = state.expected_working_size();
    if (size && seg->ready_for(state.content.generation, size->width, size->height, model)) {
        std::vector<int>& chosen = seg->selected();
        for (const SegmentationClass& c : seg->classes()) {
            bool on = std::find(chosen.begin(), chosen.end(), c.index) != chosen.end();
            char label[96];
            std::snprintf(label, sizeof label, "%s  %.0f%%", c.name.c_str(), c.share * 100.0);
            if (ImGui::Checkbox(label, &on)) {
                if (on) chosen.push_back(c.index);
                else chosen.erase(std::remove(chosen.begin(), chosen.end(), c.index), chosen.end());
                a.segmentation_mask = true;
            }
            record(rects, "segmentation.class." + c.name);
        }
        if (ImGui::Checkbox("Everything else", &state.segmentation_invert)) a.segmentation_mask = true;
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Style everything but the chosen classes.");
    }
    ImGui::PopID();
}

}  // namespace nt::viewer
