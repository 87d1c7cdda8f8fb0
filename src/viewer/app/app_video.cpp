// ViewerApp: a live video as the content (video_session.h): opening it, feeding its frames to
// the pipeline, the VIDEO section's actions, recording and its indicator.
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include "video/video_reader.h"
#include "viewer/io/exclusive_export.h"
#include "viewer/pipeline/frame_benchmark.h"
#include "viewer/state/path_text.h"
#include "viewer/app/viewer_app.h"

namespace nt::viewer {

bool ViewerApp::open_video(const std::string& path) {
    try {
        video_.open(
            path, [] { glfwPostEmptyEvent(); }, !options_.video_paused);
    } catch (const std::exception& e) {
        show_error(std::string("Cannot open the video: ") + e.what());
        return false;
    }
    video_error_shown_.clear();
    if (options_.video_every_frame) video_.source().set_pacing(VideoPacing::EveryFrame);
    const VideoInfo& info = video_.source().info();
    set_path_field(fields_.content_path, display_path(path));
    messages_.clear_error_starting_with("Cannot load content");
    messages_.clear_error_starting_with("Cannot open the video");
    char text[160];
    std::snprintf(text, sizeof text, "Playing %s (%dx%d, %.3g fps%s)", file_name(path).c_str(), info.width, info.height,
                  info.fps(), info.has_audio ? ", with audio" : "");
    show_info(text);
    if (options_.record) toggle_recording();
    return true;
}

// Before the frame's recompute: the newest frame becomes the content, once the previous one's
// result is on screen (video_session.h says why not sooner).
void ViewerApp::poll_video() {
    if (std::optional<std::string> done = video_.finished_recording())
        done->rfind("Recorded", 0) == 0 ? show_info(*done) : show_error(*done);
    state_.temporal = video_.active() ? &video_.temporal() : nullptr;
    state_.consistency = video_.active() ? video_.consistency() : nullptr;
    if (!video_.active()) return;
    VideoSource& source = video_.source();
    const VideoSourceStatus status = source.status();
    if (!status.error.empty() && status.error != video_error_shown_) {
        video_error_shown_ = status.error;
        show_error("Video stopped: " + status.error);
    }
    const MethodInfo& method = current_method_info(state_.controls);
    if (method.iterative && status.playing) {
        source.pause();
        show_error(method.label +
                   " takes seconds a frame: not for live video. Paused on this frame; Space plays "
                   "with another method.");
    }
    std::optional<VideoFrame> frame = video_.next_frame(!pipeline_.pending());
    if (!frame) return;
    state_.set_image(state_.content, source.path().string(), std::move(frame->picture));
    video_.frame_content(state_.content.generation, frame->time_s, state_.content.image);
}

// After a new result reached the texture.
void ViewerApp::video_result_shown() {
    // A preview (a control held) is not the frame's result, and has another size: not recorded.
    if (!video_.active() || !pipeline_.has_result() || !pipeline_.shown_inputs() || pipeline_.converging() ||
        pipeline_.shows_preview())
        return;
    video_.result_shown(pipeline_.shown_inputs()->content_generation,
                        video_.recording() ? pipeline_.result_rgba_host() : at::Tensor());
}

void ViewerApp::handle_video_actions(const VideoActions& a) {
    if (!video_.active()) {
        if (a.toggle_play || a.step || a.toggle_record)
            show_info("Open a video as the content first (drop it on the content panel).");
        return;
    }
    VideoSource& source = video_.source();
    if (a.toggle_play) {
        const MethodInfo& method = current_method_info(state_.controls);
        if (source.status().playing) source.pause();
        else if (method.iterative)
            show_error(method.label +
                       " takes seconds a frame: not for live video. Step (.) stylizes one frame at a time.");
        else source.play();
    }
    if (a.step) source.step();
    if (a.seek) source.seek(*a.seek);
    if (a.loop) source.set_loop(*a.loop);
    if (a.every_frame) source.set_pacing(*a.every_frame ? VideoPacing::EveryFrame : VideoPacing::RealTime);
    if (a.toggle_record) toggle_recording();
    if (a.smoothing) video_.set_smoothing(*a.smoothing);
    if (a.consistency || a.consistency_strength)
        video_.set_consistency(a.consistency.value_or(video_.consistency_on()),
                               a.consistency_strength.value_or(video_.consistency_strength()));
    if (a.close) {
        const std::string name = file_name(source.path().string());
        video_.close();
        show_info("Closed " + name + "; the frame shown stays as the content.");
    }
}

void ViewerApp::toggle_recording() {
    if (video_.recording()) {
        video_.stop_recording();
        show_info("Finishing the recording\xE2\x80\xA6");
        return;
    }
    const std::filesystem::path dir = export_folder();
    const std::filesystem::path path =
        dir / numbered_name("recording", next_free_number(dir, "recording", ".mp4"), ".mp4");
    try {
        video_.start_recording(path);
        show_info("Recording to " + path.string());
    } catch (const std::exception& e) {
        show_error(std::string("Cannot record: ") + e.what());
    }
}

VideoPanelInfo ViewerApp::video_panel_info() const {
    VideoPanelInfo info;
    const VideoSource& source = video_.source();
    info.status = source.status();
    info.camera = source.is_camera();
    info.recording = video_.recording();
    info.smoothing_s = video_.smoothing_s();
    info.uses_statistics = current_method_info(state_.controls).content_statistics;
    info.consistency = video_.consistency_on();
    info.consistency_strength = video_.consistency_strength();
    if (const auto r = video_.recorder_status()) info.recorded_s = r->length_s;
    info.record_to = export_folder().empty() ? "the current folder" : display_path(export_folder().string());
    return info;
}

// "source 29.9 fps  stylized 12.1 fps  dropped 57" for the status bar ("" without a video).
std::string ViewerApp::video_status_text() const {
    if (!video_.active()) return "";
    const VideoSourceStatus s = video_.source().status();
    char text[160];
    std::snprintf(text, sizeof text, "%s %s  source %4.1f fps  stylized %4.1f fps  dropped %lld",
                  s.playing ? "playing" : "paused", clock_text(s.position_s).c_str(), s.source_fps,
                  video_.stylized_fps(), static_cast<long long>(s.dropped));
    return text;
}

// A red "● REC 0:12.4" at the top right of the canvas (the result panel's corner in every
// layout) while recording.
void ViewerApp::draw_recording_indicator(const Rect& canvas_area) {
    const std::optional<RecorderStatus> s = video_.recorder_status();
    if (!s || !s->recording) return;
    const std::string text = "REC " + clock_text(s->length_s);
    ImDrawList* draw = ImGui::GetForegroundDrawList();
    const float pad = 6.0f * window_->ui_scale();
    const ImVec2 size = ImGui::CalcTextSize(text.c_str());
    const float dot = size.y * 0.35f;
    const ImVec2 max(canvas_area.x + canvas_area.w - pad, canvas_area.y + pad + size.y + 2 * pad);
    const ImVec2 min(max.x - size.x - 2 * dot - 4 * pad, canvas_area.y + pad);
    draw->AddRectFilled(min, max, IM_COL32(20, 20, 22, 210), 4.0f);
    draw->AddCircleFilled(ImVec2(min.x + pad + dot, (min.y + max.y) * 0.5f), dot, IM_COL32(235, 40, 40, 255));
    draw->AddText(ImVec2(min.x + 2 * pad + 2 * dot, min.y + pad), IM_COL32(255, 90, 90, 255), text.c_str());
    widget_rects_["rec_indicator"] = Rect{min.x, min.y, max.x - min.x, max.y - min.y};
}

// --benchmark N with a video: N frames decoded, stylized and drawn as fast as they can be (the
// source waits for each result: nothing dropped), timed from the first result to the last.
int ViewerApp::run_video_benchmark() {
    VideoSource& source = video_.source();
    source.set_loop(false);
    source.set_pacing(VideoPacing::EveryFrame);
    source.play();
    // Warm-up: the first results allocate, resize the style and build fonts.
    const auto wait_for_results = [&](std::int64_t count) {
        while (video_.results() < count && !window_->should_close() && !source.status().ended &&
               source.status().error.empty()) {
            // While a network computes, nothing is drawn: frames would take its CPU (as --benchmark's).
            const NeuralWorker* worker = pipeline_.neural_worker();
            if (pipeline_.pending() && worker && worker->busy()) {
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
                continue;
            }
            window_->wait_events(0.0);
            frame();
        }
    };
    wait_for_results(3);
    std::vector<double> intervals, compute, upload, draw;
    auto last = Clock::now();
    const auto start = last;
    const std::int64_t first = video_.results();
    while (video_.results() - first < options_.benchmark_frames) {
        const std::int64_t before = video_.results();
        wait_for_results(before + 1);
        if (video_.results() == before) break;  // the clip ended
        display_.finish();                      // the result is on screen, not just queued
        intervals.push_back(ms_since(last));
        last = Clock::now();
        compute.push_back(stats_.compute_ms);
        upload.push_back(stats_.upload_ms);
        draw.push_back(stats_.frame_ms - stats_.compute_ms - stats_.upload_ms);
    }
    const double seconds = std::chrono::duration<double>(last - start).count();
    const double fps = seconds > 0 ? double(intervals.size()) / seconds : 0.0;
    const std::string clip = file_name(source.path().string());
    const VideoInfo& info = source.info();
    const StageStats per = stage_stats(intervals), c = stage_stats(compute), u = stage_stats(upload),
                     d = stage_stats(draw);
    std::printf(
        "video benchmark: %s %dx%d -> %dx%d %s, %zu frames in %.2f s: %.1f frames/s "
        "(decode + stylize + display, none dropped)\n"
        "  per frame ms   median %7.2f   p95 %7.2f   min %7.2f\n"
        "  compute ms     median %7.2f   upload ms median %6.2f   draw ms median %6.2f\n"
        "benchmark-json: {\"video\": \"%s\", \"method\": \"%s\", \"frames\": %zu, \"fps\": %.2f, "
        "\"frame_ms_median\": %.3f, \"compute_ms_median\": %.3f}\n",
        clip.c_str(), info.width, info.height, pipeline_.result_width(), pipeline_.result_height(),
        state_.controls.method.c_str(), intervals.size(), seconds, fps, per.median_ms, per.p95_ms, per.min_ms,
        c.median_ms, u.median_ms, d.median_ms, clip.c_str(), state_.controls.method.c_str(), intervals.size(), fps,
        per.median_ms, c.median_ms);
    return intervals.empty() ? 1 : exit_code_;
}

}  // namespace nt::viewer
