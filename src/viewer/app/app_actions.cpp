// ViewerApp, actions: keys, dropped files and the controls' requests carried out, brush strokes
// into the mask, and the pipeline brought up to date with the state.
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>

#include "viewer/state/action_registry.h"
#include "viewer/state/path_text.h"
#include "viewer/app/viewer_app.h"

namespace nt::viewer {

// This frame's brush strokes into the mask; the result follows in the same frame.
void ViewerApp::apply_strokes() {
    if (canvas_.strokes.empty()) return;
    state_.interacting = true;  // neural methods preview at low resolution while painting
    state_.fit_mask();
    if (!state_.mask.has_pixels()) return;
    const ControlValues& c = state_.controls;
    for (const PaintSegment& seg : canvas_.strokes) {
        const BrushDab to{seg.to.x, seg.to.y, c.brush_size * 0.5f, c.brush_hardness, seg.erase};
        if (seg.begin) {
            state_.mask.begin_stroke();  // the whole stroke is one undo step
            state_.mask.paint_dab(to);
        } else {
            BrushDab from = to;
            from.x = seg.from.x;
            from.y = seg.from.y;
            state_.mask.stroke(from, to);
        }
    }
}

void ViewerApp::handle_events(const WindowEvents& events) {
    const ImGuiIO& io = ImGui::GetIO();
    for (const DroppedFiles& drop : events.drops) {
        // Onto the style panel: style. Anywhere else: content, and a second file becomes the style.
        const bool onto_style = panel_at(canvas_.panels, {drop.x, drop.y}) == kStylePanel;
        for (std::size_t i = 0; i < drop.paths.size() && i < 2; ++i) load_later(!(onto_style || i == 1), drop.paths[i]);
    }
    // Plain keys belong to a text field being typed in; those that type a character act on the
    // pictures only while the canvas has the keyboard (CanvasState::keys_to_canvas). Ctrl and
    // F-key shortcuts act anywhere.
    for (const KeyPress& k : events.keys) {
        const bool plain_keys_off = io.WantTextInput || (!canvas_.keys_to_canvas && key_types_a_character(k.key));
        if (const std::optional<Action> action = action_for_key(k.key, k.mods, plain_keys_off)) perform(*action);
    }
    for (unsigned c : events.characters)
        if (c == '?' && !io.WantTextInput && canvas_.keys_to_canvas) perform(Action::Help);
}

// One keyboard action of the registry (action_registry.h).
void ViewerApp::perform(Action action) {
    ControlsActions a;
    switch (action) {
        case Action::SaveResult: a.save_result = true; break;
        case Action::SaveResultAs: a.browse = Browse::SaveResultAs; break;
        case Action::ExportFullSize: a.export_full_size = true; break;
        case Action::Quit: window_->request_close(); break;
        case Action::Fullscreen: window_->toggle_fullscreen(); break;
        case Action::Screenshot: a.screenshot = true; break;
        case Action::UndoMask: a.undo_mask = true; break;
        case Action::RedoMask: a.redo_mask = true; break;
        case Action::ToggleUi: show_ui_ = !show_ui_; break;
        case Action::CycleLayout: canvas_.arrangement = next_arrangement(canvas_.arrangement); break;
        case Action::Fit: a.fit = true; break;
        case Action::OneToOne: a.one_to_one = true; break;
        case Action::Wipe: toggles_.wipe = !toggles_.wipe; break;
        case Action::PaintMask:
            toggles_.paint_mask = !toggles_.paint_mask;
            if (toggles_.paint_mask) state_.mask_enabled = true;  // painting an unused mask would show nothing
            break;
        case Action::EraseMode: toggles_.erase = !toggles_.erase; break;
        case Action::BrushSmaller:
        case Action::BrushLarger: {
            float& size = state_.controls.brush_size;
            size =
                std::clamp(action == Action::BrushLarger ? size * 1.25f : size / 1.25f, kMinBrushSize, kMaxBrushSize);
            break;
        }
        case Action::Help: show_help_ = !show_help_; break;
        case Action::CloseHelp: show_help_ = false; break;
        case Action::PlayPause: a.video.toggle_play = true; break;
        case Action::StepFrame: a.video.step = true; break;
        case Action::Record: a.video.toggle_record = true; break;
        case Action::Difference: toggles_.inspect.difference = !toggles_.inspect.difference; break;
        case Action::CycleChannel: toggles_.inspect.channel = display::next_channel(toggles_.inspect.channel); break;
        case Action::FlipAB: break;  // acts while held (update_inspect_view)
        case Action::Histograms: toggles_.inspect.histograms = !toggles_.inspect.histograms; break;
    }
    handle_actions(a);
}

void ViewerApp::handle_actions(const ControlsActions& a) {
    if (a.browse) open_file_dialog(*a.browse);
    if (a.segment)
        segmentation_.compute(pipeline_.working_content(), state_.content.generation,
                              chosen_segmentation_model(segmentation_.models(), state_.controls.segmentation_model));
    if (a.segmentation_mask) {
        // The chosen classes become the mask; the brush edits it from there.
        state_.mask.load(segmentation_.mask_picture(state_.segmentation_invert));
        state_.mask_enabled = true;
    }
    handle_video_actions(a.video);
    if (a.export_full_size) export_full_size();
    if (a.cancel_full_size) cancel_full_size_export();
    if (a.pause) pipeline_.set_paused(*a.pause);
    if (a.restart) pipeline_.restart();
    if (a.load_content) load_later(true, *a.load_content);
    if (a.load_style) load_later(false, *a.load_style);
    if (a.load_extra_style) load_extra_style(*a.load_extra_style);
    if (a.clear_extra_style) {
        state_.clear_extra_style();
        set_path_field(fields_.extra_style_path, "");
    }
    if (a.swap) {
        state_.swap_images();
        set_path_field(fields_.content_path, display_path(state_.content.path));
        set_path_field(fields_.style_path, display_path(state_.style.path));
        update_title();
    }
    if (a.reset) {
        state_.reset_controls();
        toggles_ = {};
        canvas_.view = ViewTransform{};
    }
    if (a.fit) canvas_.view = ViewTransform{};
    if (a.one_to_one) {
        const Rect area = canvas_.panels[first_shown_panel(canvas_.panels)].image_area;
        const Image& shown = pipeline_.working_content();
        // One image pixel per framebuffer pixel, whatever the HiDPI scale.
        const float points_per_pixel = 1.0f / std::max(ImGui::GetIO().DisplayFramebufferScale.x, 0.01f);
        canvas_.view = zoom_to(canvas_.resolved, area, static_cast<float>(shown.width),
                               static_cast<float>(shown.height), points_per_pixel);
    }
    if (a.load_mask) load_mask(*a.load_mask);
    if (a.clear_mask || a.invert_mask) {
        state_.fit_mask();
        if (a.clear_mask) state_.mask.clear();
        if (a.invert_mask) state_.mask.invert();
    }
    if (a.undo_mask && !state_.mask.undo()) show_info("Nothing to undo in the mask.");
    if (a.redo_mask && !state_.mask.redo()) show_info("Nothing to redo in the mask.");
    if (a.save_mask) save_mask_numbered();
    if (a.save_result) save_result_numbered();
    if (a.save_result_as) save_result_as(*a.save_result_as);
    if (a.screenshot) screenshot_requested_ = true;
    if (a.show_help) show_help_ = !show_help_;
}

void ViewerApp::recompute() {
    state_.fit_mask();  // a new size or picture: the mask follows, so brush pixels are working pixels
    const bool was_pending = pipeline_.pending();
    const PipelineUpdate update = pipeline_.update(state_);
    if (update.pending && !was_pending) pending_since_ = Clock::now();
    if (!update.error.empty()) {
        show_error(MessageSource::Result, "Cannot stylize: " + update.error);
        // An automated run (--frames) whose settings cannot be computed (a missing model, a size
        // beyond the limits) did not do what its command line asked.
        if (options_.frames > 0) exit_code_ = 1;
    }
    if (!update.ran.any() || !update.error.empty()) return;
    if (update.pending) {
        // The result follows from the worker; show the new pictures meanwhile. The time this
        // thread spent (resizing, submitting) is what the status bar's "compute" says.
        stats_.compute_ms = update.compute_ms;
        display_.show_picture(display::Picture::Content, pipeline_.working_content());
        display_.show_picture(display::Picture::Style, pipeline_.working_style());
        return;
    }
    ++stats_.recomputes;
    result_changed_ = true;
    if (update.converging) ++stats_.estimates_shown;
    if (update.neural_ms > 0) {
        ++stats_.neural_results;
        stats_.network_ms = update.neural_ms;
        stats_.network_precision = update.neural_precision;
        stats_.network_method = pipeline_.shown_inputs() ? pipeline_.shown_inputs()->method : state_.controls.method;
    }
    stats_.compute_ms = update.compute_ms;
    const auto start = Clock::now();
    if (update.ran.working_pictures) {
        display_.show_picture(display::Picture::Content, pipeline_.working_content());
        display_.show_picture(display::Picture::Style, pipeline_.working_style());
    }
    if (pipeline_.has_result())
        display_.show_result(pipeline_.result_rgba(),
                             [this]() -> const at::Tensor& { return pipeline_.result_rgba_host(); });
    stats_.upload_ms = ms_since(start);
    if (update.neural_ms > 0) {
        stats_.arrival_ms = update.compute_ms;
        stats_.arrival_upload_ms = stats_.upload_ms;
    }
    video_result_shown();
    // A result answers the errors about having none.
    messages_.clear(MessageSource::Result);
    for (const char* stale : {"Cannot save: no valid result", "Cannot save yet"})
        messages_.clear_error_starting_with(stale);
}

}  // namespace nt::viewer
