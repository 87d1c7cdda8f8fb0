#include "viewer/ui/export_panel.h"

#include <imgui.h>

#include <cfloat>
#include <cmath>
#include <cstdio>

#include "stylize/registry.h"
#include "viewer/state/path_text.h"
#include "viewer/ui/panel_widgets.h"

namespace nt::viewer {

std::string full_size_progress_text(const FullSizeStatus& status) {
    char text[160];
    const std::string size = size_text(status.size.width, status.size.height);
    if (status.cancelling) std::snprintf(text, sizeof text, "cancelling %s  %.1f s", size.c_str(), status.elapsed_s);
    else if (status.total > 0)
        std::snprintf(text, sizeof text, "%s: step %d/%d  %.1f s", size.c_str(), status.step, status.total,
                      status.elapsed_s);
    else std::snprintf(text, sizeof text, "%s: computing  %.1f s", size.c_str(), status.elapsed_s);
    return text;
}

void full_size_export_row(const FullSizeStatus& status, ControlsActions& a, std::map<std::string, Rect>& rects) {
    if (!status.running) {
        a.export_full_size = ImGui::Button("Export full size", ImVec2(-FLT_MIN, 0));
        record(rects, "export_full_size");
        tooltip(
            "Ctrl+E: the current settings at the content picture's own resolution, computed in the background "
            "(the preview stays at the working size), as stylized_full_size_NNNN.png in the export folder, "
            "never overwriting. The same picture the CLI writes with --size original.");
        return;
    }
    const std::string text = full_size_progress_text(status);
    const char* cancel = "Cancel";
    const float cancel_w = ImGui::CalcTextSize(cancel).x + ImGui::GetStyle().FramePadding.x * 2;
    // Steps when the method reports them; else a sweeping fill: a network says only that it runs.
    float fraction = status.total > 0 ? float(status.step) / float(status.total) : 0.0f;
    if (status.total <= 0) {
        const double t = ImGui::GetTime();
        fraction = static_cast<float>(t - std::floor(t));
    }
    ImGui::ProgressBar(fraction,
                       ImVec2(ImGui::GetContentRegionAvail().x - cancel_w - ImGui::GetStyle().ItemSpacing.x, 0),
                       text.c_str());
    record(rects, "export_full_size.progress");
    const std::string stage = status.stage.empty() ? "" : ": " + status.stage;
    tooltip("Exporting the " + method_by_name(status.method).info().label + " result at the content's own size" +
            stage);
    ImGui::SameLine();
    ImGui::BeginDisabled(status.cancelling);
    a.cancel_full_size = ImGui::Button(cancel);
    ImGui::EndDisabled();
    record(rects, "export_full_size.cancel");
    tooltip("Stop the export: nothing is written");
}

}  // namespace nt::viewer
