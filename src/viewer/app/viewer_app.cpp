#include "viewer/app/viewer_app.h"

#include <ATen/ATen.h>

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <thread>

#include "base/error.h"
#include "imageio/load_image.h"
#include "imageio/save_image.h"
#include "methods/blend_rgba8.h"
#include "viewer/io/exclusive_export.h"
#include "viewer/pipeline/frame_benchmark.h"
#include "viewer/state/path_text.h"
#include "viewer/io/quit_guard.h"
#include "viewer/ui/shortcuts_window.h"
#include "viewer/ui/ui_theme.h"
#include "stylize/registry.h"

namespace nt::viewer {

namespace {

constexpr int kDefaultWidth = 1280;
constexpr int kDefaultHeight = 720;
constexpr int kSettleFrames = 3;           // frames drawn after any input, so ImGui's hover state settles
constexpr double kIdleWakeSeconds = 10.0;  // an idle viewer wakes this rarely (and draws nothing)

}  // namespace

ViewerApp::ViewerApp(ViewerOptions options, std::filesystem::path assets_dir)
    : options_(std::move(options)), assets_dir_(std::move(assets_dir)), full_size_([] { glfwPostEmptyEvent(); }),
      loader_([] { glfwPostEmptyEvent(); }), file_dialog_([] { glfwPostEmptyEvent(); }) {
    std::string imgui_ini;
    read_settings_files(imgui_ini);
    int w = options_.window_width ? options_.window_width
                                  : (settings_.loaded.window_width ? settings_.loaded.window_width : kDefaultWidth);
    int h = options_.window_height ? options_.window_height
                                   : (settings_.loaded.window_height ? settings_.loaded.window_height : kDefaultHeight);
    window_ = std::make_unique<AppWindow>(std::max(w, 320), std::max(h, 240), "neuraltransfer viewer", imgui_ini);
    // The models: --models, else the folder chosen in the window last time, else the default.
    const std::string chosen_models = options_.models_dir.empty() ? settings_.loaded.models_dir : options_.models_dir;
    use_models_folder(resolve_models_dir(chosen_models));
    folders_.chosen_models = settings_.loaded.models_dir;
    folders_.exports = settings_.loaded.export_dir;
    load_startup_state();
}

ViewerApp::~ViewerApp() = default;

void ViewerApp::show_error(MessageSource source, const std::string& text) {
    messages_.error(source, text);
    std::fprintf(stderr, "neuraltransfer-viewer: %s\n", text.c_str());
}

void ViewerApp::show_info(MessageSource source, const std::string& text) {
    messages_.info(source, text);
    std::fprintf(stderr, "neuraltransfer-viewer: %s\n", text.c_str());
}

void ViewerApp::update_title() {
    if (!window_) return;
    std::string title = "neuraltransfer viewer";
    if (state_.content.loaded()) title += " \xE2\x80\x94 " + file_name(state_.content.path);
    if (state_.style.loaded()) title += " + " + file_name(state_.style.path);
    glfwSetWindowTitle(window_->handle(), title.c_str());
}

int ViewerApp::run() {
    update_title();
    try {
        display_.prepare();  // a driver that refuses the panel shader is reported, not a crash
    } catch (const std::exception& e) {
        show_error(std::string("Cannot draw the pictures: ") + e.what());
    }
    if (options_.benchmark_frames > 0) return video_.active() ? run_video_benchmark() : run_benchmark();
    const bool automated = options_.frames > 0;
    int settle = kSettleFrames;
    while (!window_->should_close() && !quit_signal_received()) {
        // Sleep while idle; poll while settling, typing (caret blink) or automated.
        const std::optional<Clock::time_point> info_until = messages_.info_deadline();
        const bool timed = info_until.has_value();
        double timeout = kIdleWakeSeconds;
        if (timed) timeout = std::max(0.01, std::chrono::duration<double>(*info_until - Clock::now()).count());
        if (ImGui::GetIO().WantTextInput) timeout = std::min(timeout, 0.5);
        // A network computing: redraw at 10 Hz for the progress bar (the worker needs the CPU
        // more than the bar needs frames); its end posts an event.
        // A paused job held at a step boundary changes nothing: no redraws for it.
        const NeuralWorker* worker = pipeline_.neural_worker();
        const bool held = worker && worker->holding();
        const bool computing =
            (pipeline_.pending() && !held) || segmentation_.busy() || loader_.busy() || full_size_.running();
        if (computing || video_.recording()) timeout = std::min(timeout, 0.1);
        // Automated runs poll, except while the startup pictures decode (the loader posts an event).
        const bool busy = (automated && !loads_pending()) || settle > 0 || window_->input_queued();
        const bool input = window_->wait_events(busy ? 0.0 : timeout);
        if (input) settle = kSettleFrames;
        // A decoded picture wakes the loop with an empty event, which is no input: draw for it.
        const bool due = (timed && Clock::now() >= *info_until) || file_dialog_.has_choice() ||
                         loader_.has_finished() || full_size_.has_outcome() || ImGui::GetIO().WantTextInput ||
                         computing || video_.recording() ||
                         (video_.frame_waiting() && !pipeline_.pending());  // taken only once the result is in
        if (!busy && !input && !due) continue;                              // woke up for nothing: draw nothing

        const bool working_before = pipeline_.pending() || segmentation_.busy();
        frame();
        if (settle > 0) --settle;
        const bool changed = result_changed_;
        result_changed_ = false;
        // A result that arrived during this frame came after the controls were drawn (they still
        // say "computing"): draw again, or they stay so until the next input.
        if (changed || working_before != (pipeline_.pending() || segmentation_.busy())) settle = kSettleFrames;
        // Automation ends on a frame that shows the final result, not one still waiting for a
        // network or the one in which its result arrived (drawn before the upload).
        // Nor one drawn before the startup pictures were in.
        if (automated && ++frames_rendered_ >= options_.frames && !pipeline_.pending() && !changed && !loads_pending())
            break;
    }
    if (automated) finish_automation();
    save_settings();
    return exit_code_;
}

int ViewerApp::run_benchmark() {
    while (loads_pending() && !window_->should_close()) {  // the pictures decode on the loader's thread
        window_->wait_events(0.01);
        frame();
    }
    // Warm-up frames: decoding is done, but the first frames resize, allocate and build fonts.
    for (int i = 0; i < 5 && !window_->should_close(); ++i) {
        window_->wait_events(0.0);
        frame();
    }
    while (pipeline_.pending() && !window_->should_close()) {  // a network's first result
        window_->wait_events(0.002);
        frame();
    }
    const std::string method = state_.controls.method;
    const MethodInfo& info = method_by_name(method).info();
    if (info.params.empty() || !pipeline_.has_result()) {
        std::fprintf(stderr, "neuraltransfer-viewer: --benchmark needs a result and a method with a parameter%s\n",
                     messages_.error_text().empty() ? "" : (": " + messages_.error_text()).c_str());
        return 1;
    }
    const ParamSpec& param = info.params.front();
    // --benchmark-drag: the slider is held throughout, as in a real drag (a neural method then
    // shows its low-resolution preview); released before the idle frames.
    benchmark_dragging_ = options_.benchmark_drag;
    std::vector<FrameSample> samples;
    samples.reserve(static_cast<std::size_t>(options_.benchmark_frames));
    for (int i = 0; i < options_.benchmark_frames && !window_->should_close(); ++i) {
        window_->wait_events(0.0);
        // A slider swept back and forth over the middle of its range: every frame is a change.
        const double t = double(i % 50) / 49.0;
        const auto start = Clock::now();
        state_.controls.params[method][param.name] =
            param.min_value + (param.max_value - param.min_value) * (0.1 + 0.8 * t);
        frame();
        // A neural method: the frame that shows this value's result. Frames are drawn only once the
        // worker is done, so drawing does not take CPU from the network while it runs.
        while (pipeline_.pending() && !window_->should_close()) {
            const NeuralWorker* worker = pipeline_.neural_worker();
            if (worker && worker->busy()) {
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
                continue;
            }
            window_->wait_events(0.0);
            frame();
        }
        display_.finish();  // the new result is on screen, not just queued
        const double draw_ms = stats_.frame_ms - stats_.compute_ms - stats_.upload_ms;
        samples.push_back({stats_.compute_ms, stats_.upload_ms, draw_ms, ms_since(start)});
    }
    if (benchmark_dragging_) {
        benchmark_dragging_ = false;  // the release: the full resolution follows, then idle
        do {
            window_->wait_events(0.005);
            frame();
        } while (pipeline_.pending() && !window_->should_close());
    }
    const int idle_frames = 30;
    const int recomputes_before = stats_.recomputes;
    for (int i = 0; i < idle_frames; ++i) {
        window_->wait_events(0.0);
        frame();
    }
    const std::string setup =
        std::to_string(pipeline_.result_width()) + "x" + std::to_string(pipeline_.result_height()) + " " + method +
        ", " + (pipeline_.result_rgba().is_cuda() ? "CUDA" : "CPU") + ", upload " + display_.upload_route();
    std::fputs(format_report(summarize(setup, samples, idle_frames, stats_.recomputes - recomputes_before)).c_str(),
               stdout);
    return exit_code_;
}

void ViewerApp::frame() {
    const auto start = Clock::now();
    messages_.expire(start);
    const WindowEvents events = window_->take_events();

    window_->begin_frame();
    display_.begin_frame();
    apply_loaded_pictures();
    apply_file_dialog_choice();
    take_full_size_outcome();
    handle_events(events);
    poll_video();
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    const float s = window_->ui_scale();
    const float status_h = show_ui_ ? ImGui::GetFrameHeight() + 6 * s : 0.0f;
    const float top = vp->Pos.y;
    widget_rects_.clear();
    sidebar_width_ = 0;
    // A stroke under way keeps a neural method at its preview size from the frame's start, so the
    // first recompute does not ask for the full resolution between two of its segments.
    state_.interacting = canvas_.stroke_button >= 0 || benchmark_dragging_;
    segmentation_.poll();  // a finished "Mask from segmentation" shows its classes this frame
    if (show_ui_) draw_controls(top, vp->Pos.y + vp->Size.y - status_h);
    // Between the controls and the canvas, so a moved slider shows its result in this frame.
    recompute();

    // The message bar has a reserved strip above the panels: messages never move the layout.
    const float bar_h = ImGui::GetFrameHeight() + ImGui::GetStyle().WindowPadding.y;
    const Rect bar{vp->Pos.x + sidebar_width_, top, vp->Size.x - sidebar_width_, bar_h};
    const float pad = 8 * s;
    const Rect canvas_area{bar.x + pad, top + bar_h, bar.w - 2 * pad,
                           vp->Pos.y + vp->Size.y - status_h - top - bar_h - pad};
    draw_panels(canvas_area);
    draw_recording_indicator(canvas_area);
    // Drawn after the panels: a long message wraps onto them instead of moving them.
    draw_message_bar(bar);
    if (show_ui_) draw_status_bar(status_h);
    else draw_hidden_ui_hint();
    draw_shortcuts_window(show_help_);

    window_->render(0.075f, 0.075f, 0.08f);
    if (const std::string failure = display_.take_failure(); !failure.empty())
        show_error("Cannot draw the pictures: " + failure);
    if (screenshot_requested_) capture_screenshot_numbered();
    stats_.frame_ms = ms_since(start);
    if (!options_.report_path.empty()) write_report();
    window_->swap();
}

// The sidebar, told how the worker is doing; carries out what it asks for.
void ViewerApp::draw_controls(float top, float bottom) {
    NeuralPanelInfo neural;
    if (const NeuralWorker* worker = pipeline_.neural_worker()) {
        neural.library = &worker->library();
        neural.computing = pipeline_.pending();
        stats_.progress_shown = neural.computing;
        neural.progress = worker->progress();
        neural.elapsed_ms = neural.computing ? ms_since(pending_since_) : 0.0;
        neural.preview = pipeline_.shows_preview();
        neural.status = worker->status();
        neural.segmentation = &segmentation_;
    }
    fields_.file_dialog = !file_dialog_.program().empty();
    fields_.export_dir = folders_.exports.empty() ? "" : display_path(folders_.exports.string());
    neural.full_size = full_size_.status();
    neural.can_undo_mask = state_.mask.can_undo();
    neural.can_redo_mask = state_.mask.can_redo();
    const VideoPanelInfo video = video_.active() ? video_panel_info() : VideoPanelInfo{};
    if (video_.active()) neural.video = &video;
    const ControlsActions actions =
        draw_controls_panel(state_, fields_, toggles_, top, bottom, sidebar_width_, widget_rects_, neural);
    if (actions.size_error) show_error(*actions.size_error);
    handle_actions(actions);
}

// The picture panels, the brush strokes made on them this frame, and the result they lead to.
void ViewerApp::draw_panels(const Rect& canvas_area) {
    std::array<PanelContent, kPanelCount> panels = panel_contents(canvas_area);
    attach_histograms(panels);
    drawn_result_ = panels[kResultPanel];
    canvas_.wipe_enabled = toggles_.wipe;
    const Image& working = pipeline_.working_content();
    if (!state_.mask_enabled) toggles_.paint_mask = false;
    canvas_.brush.active = toggles_.paint_mask;
    canvas_.brush.erase = toggles_.erase;
    canvas_.brush.radius = state_.controls.brush_size * 0.5f;
    const bool overlay = state_.mask_enabled && toggles_.mask_overlay && state_.mask.width() == working.width &&
                         state_.mask.height() == working.height;
    if (overlay) update_mask_overlay();
    canvas_.brush.overlay = overlay && display_.has_mask();
    update_inspect_view();
    draw_canvas(canvas_area, canvas_, panels, display_, working.width, working.height);
    // Strokes of this frame reach the result and the overlay before it is rendered (textures are
    // referenced by id, so the draw list above shows the new pixels).
    // Only strokes change anything after the panels were laid out: a worker's result is taken
    // before them (the first recompute of the frame), so the caption drawn is the result's.
    if (!canvas_.strokes.empty()) {
        apply_strokes();
        recompute();
    }
    if (overlay) update_mask_overlay();
}

}  // namespace nt::viewer
