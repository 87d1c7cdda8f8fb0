#include "viewer/ui/video_panel.h"

#include <imgui.h>

#include <cmath>
#include <cstdio>

#include "viewer/ui/panel_widgets.h"

namespace nt::viewer {

std::string clock_text(double seconds) {
    const double s = std::max(0.0, seconds);
    const int minutes = int(s / 60.0);
    char text[32];
    std::snprintf(text, sizeof text, "%d:%04.1f", minutes, s - 60.0 * minutes);
    return text;
}

namespace {

float button_width(int per_row) {
    const float avail = ImGui::GetContentRegionAvail().x;
    return (avail - ImGui::GetStyle().ItemSpacing.x * float(per_row - 1)) / float(per_row);
}

void transport_row(const VideoPanelInfo& info, VideoActions& a, std::map<std::string, Rect>& rects) {
    const float w = button_width(3);
    a.toggle_play = ImGui::Button(info.status.playing ? "Pause" : "Play", ImVec2(w, 0));
    record(rects, "video.play");
    tooltip("Space: play / pause");
    ImGui::SameLine();
    ImGui::BeginDisabled(info.camera);
    a.step = ImGui::Button("Step", ImVec2(w, 0));
    record(rects, "video.step");
    tooltip("Period: pause and show the next frame");
    ImGui::EndDisabled();
    ImGui::SameLine();
    const bool rec = info.recording;
    if (rec) ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.70f, 0.12f, 0.12f, 1.0f));
    a.toggle_record = ImGui::Button(rec ? "Stop rec" : "Record", ImVec2(w, 0));
    if (rec) ImGui::PopStyleColor();
    record(rects, "video.record");
    tooltip("Ctrl+R: record the result as H.264 MP4 at the source's frame rate into " + info.record_to +
            (info.camera ? "" : ", with the clip's audio"));
}

void seek_row(const VideoPanelInfo& info, VideoActions& a, std::map<std::string, Rect>& rects) {
    if (info.camera || info.status.duration_s <= 0) {
        ImGui::TextDisabled("camera: live, no seeking");
        return;
    }
    float position = float(info.status.position_s);
    const std::string label = clock_text(info.status.position_s) + " / " + clock_text(info.status.duration_s);
    ImGui::SetNextItemWidth(-1);
    if (ImGui::SliderFloat("##seek", &position, 0.0f, float(info.status.duration_s), label.c_str()))
        a.seek = double(position);
    record(rects, "video.seek");
}

void smoothing_row(const VideoPanelInfo& info, VideoActions& a, std::map<std::string, Rect>& rects) {
    ImGui::BeginDisabled(!info.uses_statistics);
    float seconds = float(info.smoothing_s);
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.62f);
    if (ImGui::SliderFloat("##smoothing", &seconds, 0.0f, 2.0f, seconds <= 0.0f ? "no smoothing" : "smooth %.2f s"))
        a.smoothing = double(seconds);
    ImGui::EndDisabled();
    record(rects, "video.smoothing");
    tooltip(info.uses_statistics
                ? "The content's colour statistics averaged over this many seconds, so the result does not flicker; "
                  "restarts at a cut. 0: each frame's own."
                : "Only for methods that use the content's statistics (colour transfers, histogram, AdaIN)");
}

void consistency_row(const VideoPanelInfo& info, VideoActions& a, std::map<std::string, Rect>& rects) {
    bool on = info.consistency;
    if (ImGui::Checkbox("Steady", &on)) a.consistency = on;
    record(rects, "video.consistency");
    tooltip(
        "Temporal consistency for any method: each result is pulled towards the last one, moved along the "
        "video's optical flow, where that flow is reliable; restarts at a cut. Shown and recorded.");
    ImGui::SameLine();
    ImGui::BeginDisabled(!info.consistency);
    float strength = float(info.consistency_strength);
    ImGui::SetNextItemWidth(-1);
    if (ImGui::SliderFloat("##consistency", &strength, 0.0f, 1.0f, "strength %.2f"))
        a.consistency_strength = double(strength);
    ImGui::EndDisabled();
    record(rects, "video.consistency_strength");
    tooltip("How far each result moves towards the last one: 0 the frame's own result, 1 the last one held");
}

}  // namespace

void draw_video_controls(const VideoPanelInfo& info, VideoActions& a, std::map<std::string, Rect>& rects) {
    transport_row(info, a, rects);
    seek_row(info, a, rects);
    if (!info.camera) {
        bool loop = info.status.loop;
        if (ImGui::Checkbox("Loop", &loop)) a.loop = loop;
        ImGui::SameLine();
    }
    bool every = info.status.pacing == VideoPacing::EveryFrame;
    if (ImGui::Checkbox("Every frame", &every)) a.every_frame = every;
    record(rects, "video.every_frame");
    tooltip(
        "Stylize every frame, slower than real time when the method cannot keep up (off: the newest frame "
        "wins and the others are dropped)");
    consistency_row(info, a, rects);
    smoothing_row(info, a, rects);
    ImGui::SameLine(ImGui::GetContentRegionMax().x - ImGui::CalcTextSize("Close").x -
                    ImGui::GetStyle().FramePadding.x * 2);
    a.close = ImGui::SmallButton("Close");
    tooltip("Stop the video; the frame shown stays as the content picture");
}

}  // namespace nt::viewer
