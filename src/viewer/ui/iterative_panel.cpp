#include "viewer/ui/iterative_panel.h"

#include "viewer/ui/panel_widgets.h"

#include <imgui.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <vector>

namespace nt::viewer {

namespace {

// One series as log10 (losses span decades), with its latest value over the plot.
void value_plot(const std::string& name, const std::vector<float>& values) {
    if (values.empty()) return;
    std::vector<float> logs(values.size());
    std::transform(values.begin(), values.end(), logs.begin(), [](float v) { return std::log10(std::max(v, 1e-30f)); });
    char overlay[64];
    std::snprintf(overlay, sizeof overlay, "%s  %.4g", name.c_str(), double(values.back()));
    ImGui::PlotLines(("##plot." + name).c_str(), logs.data(), int(logs.size()), 0, overlay, FLT_MAX, FLT_MAX,
                     ImVec2(ImGui::GetContentRegionAvail().x, ImGui::GetTextLineHeight() * 2.2f));
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s per iteration (log scale)", name.c_str());
}

}  // namespace

void draw_iterative_controls(ViewerState& state, const NeuralPanelInfo& neural, ControlsActions& a,
                             std::map<std::string, Rect>& rects) {
    const bool from_picture = current_method_info(state.controls).starts_from_picture;
    const NeuralStatus& st = neural.status;
    ImGui::PushID("iterative");
    if (neural.computing) {
        if (ImGui::SmallButton(st.paused ? "Continue" : "Pause")) a.pause = !st.paused;
        record(rects, "iterative.pause");
        ImGui::SameLine();
    }
    if (ImGui::SmallButton("Restart")) a.restart = true;
    record(rects, "iterative.restart");
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Start again %s.",
                          from_picture && state.iterate_from_current ? "from the picture on screen" : "from the start");
    if (from_picture) {
        ImGui::Checkbox("Continue from the picture shown", &state.iterate_from_current);
        record(rects, "iterative.from_current");
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip(
                "A change or a restart starts from the result on screen instead of the content or noise.");
    }
    for (std::size_t i = 0; i < st.value_names.size() && i < st.value_history.size(); ++i)
        value_plot(st.value_names[i], st.value_history[i]);
    if (!st.value_names.empty()) record(rects, "iterative.plot");
    ImGui::PopID();
}

}  // namespace nt::viewer
