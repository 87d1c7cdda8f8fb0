#include "viewer/ui/views_panel.h"

#include <imgui.h>

#include "viewer/ui/panel_widgets.h"

namespace nt::viewer {

void draw_view_controls(InspectView& view, std::map<std::string, Rect>& rects) {
    const float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
    ImGui::Checkbox("Difference (D)", &view.difference);
    record(rects, "view.difference");
    tooltip("The result panel shows |result - content| times the gain: black where they agree.");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x);
    ImGui::SliderFloat("##gain", &view.difference_gain, kMinDifferenceGain, kMaxDifferenceGain, "gain x%.0f",
                       ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
    record(rects, "view.gain");
    ImGui::SetNextItemWidth(half);
    int channel = static_cast<int>(view.channel);
    const char* names[display::kChannelCount];
    for (int i = 0; i < display::kChannelCount; ++i) names[i] = display::channel_name(static_cast<display::Channel>(i));
    if (ImGui::Combo("##channel", &channel, names, display::kChannelCount))
        view.channel = static_cast<display::Channel>(channel);
    record(rects, "view.channel");
    tooltip(
        "C: one channel, or the luminance, alone as grey on every panel. Hold B: the content in place of the result.");
    ImGui::SameLine();
    ImGui::Checkbox("Histograms (G)", &view.histograms);
    record(rects, "view.histograms");
    if (view.histograms) {
        ImGui::SameLine();
        ImGui::Checkbox("Y", &view.histogram_luminance);
        tooltip("Histograms of the luminance instead of R, G and B");
    }
}

}  // namespace nt::viewer
