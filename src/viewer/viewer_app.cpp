#include "viewer/viewer_app.h"

#include <ATen/ATen.h>

#define GLFW_INCLUDE_NONE
#include <GL/gl.h>
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <thread>

#include "core/error.h"
#include "core/imageio/load_image.h"
#include "core/imageio/save_image.h"
#include "core/methods/blend_rgba8.h"
#include "viewer/exclusive_export.h"
#include "viewer/frame_benchmark.h"
#include "viewer/framebuffer_capture.h"
#include "viewer/shortcuts_window.h"
#include "viewer/ui_theme.h"

namespace nt::viewer {

namespace {

constexpr int kDefaultWidth = 1280;
constexpr int kDefaultHeight = 720;
constexpr int kSettleFrames = 3;        // frames drawn after any input, so ImGui's hover state settles
constexpr double kIdleWakeSeconds = 10.0;  // an idle viewer wakes this rarely (and draws nothing)
constexpr double kInfoSeconds = 6.0;

double ms_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

// Content and style panels: opaque RGBA8 in the same kind of texture as the result.
void upload_rgb(gl::Rgba8Texture& texture, const Image& image) {
    if (image.empty()) return;
    texture.ensure_size(image.width, image.height);
    texture.fill([&](std::uint8_t* dst, std::size_t stride) {
        rgb_to_rgba8(image.pixels.data(), image.width, image.height, dst, stride);
    });
}

std::string file_name(const std::string& path) { return std::filesystem::path(path).filename().string(); }

// Short form for the path fields: relative to the current folder when inside it, else ~/...
std::string display_path(const std::string& path) {
    std::error_code ec;
    const auto relative = std::filesystem::proximate(path, ec).string();
    if (!ec && !relative.empty() && relative.rfind("..", 0) != 0) return relative;
    const char* home = std::getenv("HOME");
    const std::string h = home ? home : "";
    if (h.size() > 1 && path.rfind(h + "/", 0) == 0) return "~" + path.substr(h.size());
    return path;
}

std::string expand_home(const std::string& path) {
    const char* home = std::getenv("HOME");
    if (home && *home && path.rfind("~/", 0) == 0) return home + path.substr(1);
    return path;
}

// A typed path made absolute (~ expanded), so the settings and recent files still work from
// another folder.
std::string absolute_path(const std::string& typed) {
    std::error_code ec;
    const std::string expanded = expand_home(typed);
    const std::filesystem::path absolute = std::filesystem::absolute(expanded, ec);
    return ec ? expanded : absolute.lexically_normal().string();
}

std::string size_text(int w, int h) { return std::to_string(w) + " \xC3\x97 " + std::to_string(h); }

std::string rect_text(const Rect& r) {
    std::ostringstream os;
    os << r.x << " " << r.y << " " << r.w << " " << r.h;
    return os.str();
}

}  // namespace

ViewerApp::ViewerApp(ViewerOptions options, std::filesystem::path assets_dir)
    : options_(std::move(options)), assets_dir_(std::move(assets_dir)) {
    std::string imgui_ini;
    if (!options_.no_settings) settings_dir_ = settings_dir();
    if (!settings_dir_.empty()) {
        const LoadedSettings loaded = load_settings_file(settings_dir_ / kSettingsFileName);
        settings_error_ = loaded.error;
        if (loaded.settings) {
            loaded_settings_ = *loaded.settings;
            have_settings_ = true;
        }
        try {
            imgui_ini = read_text_file(settings_dir_ / kImGuiLayoutFileName).value_or("");
        } catch (const std::exception& e) {
            settings_error_ = e.what();
        }
    }
    int w = options_.window_width ? options_.window_width
                                  : (loaded_settings_.window_width ? loaded_settings_.window_width : kDefaultWidth);
    int h = options_.window_height ? options_.window_height
                                   : (loaded_settings_.window_height ? loaded_settings_.window_height : kDefaultHeight);
    window_ = std::make_unique<AppWindow>(std::max(w, 320), std::max(h, 240), "neuraltransfer viewer", imgui_ini);
    // Neural methods run on a worker that wakes the event loop when a result is ready.
    pipeline_.set_models(scan_models(resolve_models_dir(options_.models_dir)), [] { glfwPostEmptyEvent(); });
    segmentation_.set_models(pipeline_.neural_worker()->library(), [] { glfwPostEmptyEvent(); });
    load_startup_state();
}

ViewerApp::~ViewerApp() = default;

void ViewerApp::show_error(const std::string& text) {
    error_message_ = text;
    std::fprintf(stderr, "neuraltransfer-viewer: %s\n", text.c_str());
}

void ViewerApp::show_info(const std::string& text) {
    info_message_ = text;
    info_until_ = Clock::now() + std::chrono::milliseconds(static_cast<int>(kInfoSeconds * 1000));
    std::fprintf(stderr, "neuraltransfer-viewer: %s\n", text.c_str());
}

void ViewerApp::restore_from_settings(const ViewerSettings& s) {
    state_.controls = s.controls;
    state_.recent_files = s.recent_files;
    toggles_.wipe = s.wipe_enabled;
    toggles_.mask_overlay = s.mask_overlay;
    show_ui_ = s.show_ui;
}

void ViewerApp::load_startup_state() {
    if (have_settings_) restore_from_settings(loaded_settings_);
    if (!settings_error_.empty()) show_error("Settings ignored: " + settings_error_);
    try {
        apply_control_options(options_, state_.controls);
    } catch (const std::exception& e) {
        show_error(e.what());
        exit_code_ = 1;
    }
    // Pictures: the command line, else the last ones, else the bundled ones.
    const std::string bundled_content = assets_dir_.empty() ? "" : (assets_dir_ / "content.jpg").string();
    const std::string bundled_style = assets_dir_.empty() ? "" : (assets_dir_ / "style.jpg").string();
    const std::vector<std::string> recent = state_.recent_files;
    auto startup = [&](bool content, const std::optional<std::string>& given, const std::string& last,
                       const std::string& bundled) {
        if (given) {
            if (!load_into(content, *given)) exit_code_ = 1;
            return;
        }
        if (!last.empty() && load_into(content, last)) return;
        if (!bundled.empty()) load_into(content, bundled);
    };
    startup(true, options_.content_path, have_settings_ ? loaded_settings_.content_path : "", bundled_content);
    startup(false, options_.style_path, have_settings_ ? loaded_settings_.style_path : "", bundled_style);
    // An unreadable --mask is an error, never silently a result without the mask.
    if (options_.mask_path && !load_mask(*options_.mask_path)) exit_code_ = 1;
    if (options_.extra_style && !load_style2(*options_.extra_style)) exit_code_ = 1;
    if (!state_.content.loaded() && !state_.style.loaded() && error_message_.empty())
        show_error("No pictures: drop a content and a style picture here, or type their paths at the left.");
    // Startup loads should not reorder the recent list the user built.
    if (!recent.empty()) state_.recent_files = recent;
    for (const std::string* p : {&state_.style.path, &state_.content.path}) remember_recent(state_.recent_files, *p);
}

bool ViewerApp::load_into(bool content, const std::string& typed_path) {
    ImageSlot& slot = content ? state_.content : state_.style;
    if (typed_path.empty()) return false;
    const std::string path = absolute_path(typed_path);
    try {
        state_.set_image(slot, path, load_image(path));
        set_path_field(content ? fields_.content_path : fields_.style_path, display_path(path));
        recompute_requested_ = true;
        // A successful load answers an earlier failure for this picture.
        for (const char* stale : {content ? "Cannot load content" : "Cannot load style", "No pictures"})
            if (error_message_.rfind(stale, 0) == 0) error_message_.clear();
        update_title();
        return true;
    } catch (const std::exception& e) {
        show_error(std::string("Cannot load ") + (content ? "content" : "style") + " picture: " + e.what());
        return false;
    }
}

std::optional<std::pair<std::string, Image>> ViewerApp::read_typed_picture(const std::string& typed_path,
                                                                           const std::string& failure,
                                                                           const std::string& empty_hint) {
    if (typed_path.empty()) {
        show_error(failure + ": type the path of a picture first" + empty_hint + ".");
        return std::nullopt;
    }
    const std::string path = absolute_path(typed_path);
    try {
        Image image = load_image(path);
        // A successful load answers an earlier failure of the same kind.
        if (error_message_.rfind(failure, 0) == 0) error_message_.clear();
        return std::make_pair(path, std::move(image));
    } catch (const std::exception& e) {
        show_error(failure + ": " + e.what());
        return std::nullopt;
    }
}

bool ViewerApp::load_style2(const std::string& typed_path) {
    auto picture = read_typed_picture(typed_path, "Cannot load the second style", "");
    if (!picture) return false;
    state_.set_image(state_.style2, picture->first, std::move(picture->second));
    set_path_field(fields_.style2_path, display_path(picture->first));
    recompute_requested_ = true;
    return true;
}

bool ViewerApp::load_mask(const std::string& typed_path) {
    auto picture = read_typed_picture(typed_path, "Cannot load mask", " (white = stylized)");
    if (!picture) return false;
    state_.mask.load(std::move(picture->second));
    state_.mask_enabled = true;
    state_.mask_path = picture->first;
    set_path_field(fields_.mask_path, display_path(picture->first));
    recompute_requested_ = true;
    return true;
}

void ViewerApp::save_mask_numbered() {
    state_.fit_mask();
    if (!state_.mask_enabled || !state_.mask.has_pixels()) {
        show_error("No mask to save: turn on \"Use mask\" and paint, or load a mask picture.");
        return;
    }
    try {
        const Image mask = state_.mask.to_image();
        const auto path = save_numbered_png(mask, std::filesystem::current_path(), "mask");
        state_.mask_path = path.string();
        set_path_field(fields_.mask_path, display_path(path.string()));
        show_info("Saved mask " + size_text(mask.width, mask.height) + " to " + path.string());
    } catch (const std::exception& e) {
        show_error(std::string("Cannot save the mask: ") + e.what());
    }
}

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
            state_.mask.paint_dab(to);
        } else {
            BrushDab from = to;
            from.x = seg.from.x;
            from.y = seg.from.y;
            state_.mask.stroke(from, to);
        }
    }
    recompute_requested_ = true;
}

void ViewerApp::update_mask_overlay() {
    const MaskCanvas& mask = state_.mask;
    if (!mask.has_pixels() || mask_texture_generation_ == mask.generation()) return;
    mask_texture_.ensure_size(mask.width(), mask.height());
    // Warm orange: stands apart from most pictures and from the blue accent of the UI.
    static const std::uint8_t tint[3] = {255, 128, 40};
    mask_texture_.fill([&](std::uint8_t* dst, std::size_t stride) { mask.write_overlay(dst, stride, tint, 0.55f); });
    mask_texture_generation_ = mask.generation();
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
    if (options_.benchmark_frames > 0) return run_benchmark();
    const bool automated = options_.frames > 0;
    int settle = kSettleFrames;
    while (!window_->should_close()) {
        // Sleep while idle; poll while settling, typing (caret blink) or automated.
        const bool timed = !info_message_.empty();
        double timeout = kIdleWakeSeconds;
        if (timed) timeout = std::max(0.01, std::chrono::duration<double>(info_until_ - Clock::now()).count());
        if (ImGui::GetIO().WantTextInput) timeout = std::min(timeout, 0.5);
        // A network computing: redraw at 10 Hz for the progress bar (the worker needs the CPU
        // more than the bar needs frames); its end posts an event.
        const bool computing = pipeline_.pending() || segmentation_.busy();
        if (computing) timeout = std::min(timeout, 0.1);
        const bool busy = automated || settle > 0;
        const bool input = window_->wait_events(busy ? 0.0 : timeout);
        if (input) settle = kSettleFrames;
        const bool due = (timed && Clock::now() >= info_until_) || ImGui::GetIO().WantTextInput || computing;
        if (!busy && !input && !due) continue;  // woke up for nothing: draw nothing

        const bool working_before = pipeline_.pending() || segmentation_.busy();
        frame();
        if (settle > 0) --settle;
        // A result that arrived during this frame came after the controls were drawn (they still
        // say "computing"): draw again, or they stay so until the next input.
        if (recompute_requested_ || working_before != (pipeline_.pending() || segmentation_.busy()))
            settle = kSettleFrames;
        // Automation ends on a frame that shows the final result, not one still waiting for a
        // network or the one in which its result arrived (drawn before the upload).
        const bool changed = result_changed_;
        result_changed_ = false;
        if (automated && ++frames_rendered_ >= options_.frames && !pipeline_.pending() && !changed) break;
    }
    if (automated) finish_automation();
    save_settings();
    return exit_code_;
}

int ViewerApp::run_benchmark() {
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
                     error_message_.empty() ? "" : (": " + error_message_).c_str());
        return 1;
    }
    const ParamSpec& param = info.params.front();
    std::vector<FrameSample> samples;
    samples.reserve(static_cast<std::size_t>(options_.benchmark_frames));
    for (int i = 0; i < options_.benchmark_frames && !window_->should_close(); ++i) {
        window_->wait_events(0.0);
        // A slider swept back and forth over the middle of its range: every frame is a change.
        const double t = double(i % 50) / 49.0;
        const auto start = Clock::now();
        state_.controls.params[method][param.name] =
            param.min_value + (param.max_value - param.min_value) * (0.1 + 0.8 * t);
        recompute_requested_ = true;
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
        glFinish();  // the new result is on screen, not just queued
        samples.push_back({compute_ms_, upload_ms_, frame_ms_ - compute_ms_ - upload_ms_, ms_since(start)});
    }
    const int idle_frames = 30;
    const int recomputes_before = recomputes_;
    for (int i = 0; i < idle_frames; ++i) {
        window_->wait_events(0.0);
        frame();
    }
    const std::string setup = std::to_string(pipeline_.result_width()) + "x" +
                              std::to_string(pipeline_.result_height()) + " " + method + ", " +
                              (pipeline_.result_rgba().is_cuda() ? "CUDA" : "CPU") + ", upload " +
                              result_upload_.route();
    std::fputs(format_report(summarize(setup, samples, idle_frames, recomputes_ - recomputes_before)).c_str(), stdout);
    return exit_code_;
}

void ViewerApp::frame() {
    const auto start = Clock::now();
    if (!info_message_.empty() && start >= info_until_) info_message_.clear();
    const WindowEvents events = window_->take_events();

    window_->begin_frame();
    handle_events(events);
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    const float s = window_->ui_scale();
    const float status_h = show_ui_ ? ImGui::GetFrameHeight() + 6 * s : 0.0f;
    const float top = vp->Pos.y;
    widget_rects_.clear();
    sidebar_width_ = 0;
    state_.interacting = false;
    segmentation_.poll();  // a finished "Mask from segmentation" shows its classes this frame
    if (show_ui_) {
        NeuralPanelInfo neural;
        if (const NeuralWorker* worker = pipeline_.neural_worker()) {
            neural.library = &worker->library();
            neural.computing = pipeline_.pending();
            progress_shown_ = neural.computing;
            neural.progress = worker->progress();
            neural.elapsed_ms = neural.computing ? ms_since(pending_since_) : 0.0;
            neural.preview = shown_preview_;
            neural.status = worker->status();
            neural.segmentation = &segmentation_;
        }
        const ControlsActions actions =
            draw_controls_panel(state_, fields_, toggles_, top, vp->Pos.y + vp->Size.y - status_h, sidebar_width_,
                                widget_rects_, neural);
        recompute_requested_ |= actions.dirty;
        handle_actions(actions);
    }
    // Between the controls and the canvas, so a moved slider shows its result in this frame.
    if (recompute_requested_) recompute();

    // The message bar has a reserved strip above the panels: messages never move the layout.
    const float bar_h = ImGui::GetFrameHeight() + ImGui::GetStyle().WindowPadding.y;
    const Rect bar{vp->Pos.x + sidebar_width_, top, vp->Size.x - sidebar_width_, bar_h};
    draw_message_bar(bar);
    const float pad = 8 * s;
    const Rect canvas_area{bar.x + pad, top + bar_h, bar.w - 2 * pad, vp->Pos.y + vp->Size.y - status_h - top - bar_h - pad};
    std::array<PanelContent, kPanelCount> panels;
    panels[kContentPanel] = {&content_texture_, PixelView::of(pipeline_.working_content()), "Content", ""};
    panels[kStylePanel] = {&style_texture_, PixelView::of(pipeline_.working_style()), "Style", ""};
    panels[kResultPanel] = {&result_texture_, result_pixels(canvas_area), "Result", ""};
    const ImageSlot* slots[] = {&state_.content, &state_.style};
    for (int i = 0; i < 2; ++i)
        if (slots[i]->loaded())
            panels[i].caption = file_name(slots[i]->path) + "  " + size_text(slots[i]->image.width, slots[i]->image.height);
    if (!current_method_info(state_.controls).uses_style) panels[kStylePanel].caption += "  (unused: the model is the style)";
    if (state_.uses_style2()) {
        char share[64];
        std::snprintf(share, sizeof share, "  + %s", file_name(state_.style2.path).c_str());
        panels[kStylePanel].caption += share;
        if (!state_.mask_enabled) {
            std::snprintf(share, sizeof share, " (%.0f%%)", state_.controls.second_style_weight * 100.0);
            panels[kStylePanel].caption += share;
        }
    }
    if (pipeline_.has_result()) {
        panels[kResultPanel].caption = current_method_info(state_.controls).label + "  " +
                                       size_text(pipeline_.result_width(), pipeline_.result_height());
        if (pipeline_.converging()) panels[kResultPanel].caption += "  (converging)";
    }
    gl::Rgba8Texture* textures[kPanelCount] = {&content_texture_, &style_texture_, &result_texture_};
    canvas_.wipe_enabled = toggles_.wipe;
    const Image& working = pipeline_.working_content();
    if (!state_.mask_enabled) toggles_.paint_mask = false;
    canvas_.brush.active = toggles_.paint_mask;
    canvas_.brush.erase = toggles_.erase;
    canvas_.brush.radius = state_.controls.brush_size * 0.5f;
    const bool overlay = state_.mask_enabled && toggles_.mask_overlay && state_.mask.width() == working.width &&
                         state_.mask.height() == working.height;
    if (overlay) update_mask_overlay();
    canvas_.brush.overlay = overlay && mask_texture_.valid() ? &mask_texture_ : nullptr;
    draw_canvas(canvas_area, canvas_, panels, textures, working.width, working.height);
    // Strokes of this frame reach the result and the overlay before it is rendered (textures are
    // referenced by id, so the draw list above shows the new pixels).
    apply_strokes();
    // A drag that ends makes a neural preview stale; a running job is polled every frame.
    if (state_.interacting != was_interacting_ || pipeline_.pending()) recompute_requested_ = true;
    was_interacting_ = state_.interacting;
    if (recompute_requested_) recompute();
    if (overlay) update_mask_overlay();
    if (show_ui_) draw_status_bar(status_h);
    draw_shortcuts_window(show_help_);

    window_->render(0.075f, 0.075f, 0.08f);
    if (screenshot_requested_) capture_screenshot_numbered();
    frame_ms_ = ms_since(start);
    if (!options_.report_path.empty()) write_report();
    window_->swap();
}

void ViewerApp::handle_events(const WindowEvents& events) {
    const ImGuiIO& io = ImGui::GetIO();
    for (const DroppedFiles& drop : events.drops) {
        // Onto the style panel: style. Anywhere else: content, and a second file becomes the style.
        const bool onto_style = panel_at(canvas_.panels, {drop.x, drop.y}) == kStylePanel;
        for (std::size_t i = 0; i < drop.paths.size() && i < 2; ++i) load_into(!(onto_style || i == 1), drop.paths[i]);
    }
    const bool typing = io.WantTextInput;  // plain keys belong to the text field then
    ControlsActions a;
    for (const KeyPress& k : events.keys) {
        const bool ctrl = (k.mods & GLFW_MOD_CONTROL) != 0;
        if (ctrl && k.key == GLFW_KEY_S) a.save_result = true;
        else if (ctrl && k.key == GLFW_KEY_Q) window_->request_close();
        else if (k.key == GLFW_KEY_F11) window_->toggle_fullscreen();
        else if (k.key == GLFW_KEY_F12) a.screenshot = true;
        else if (typing || ctrl) continue;
        else if (k.key == GLFW_KEY_TAB) show_ui_ = !show_ui_;
        else if (k.key == GLFW_KEY_F) a.fit = true;
        else if (k.key == GLFW_KEY_1 || k.key == GLFW_KEY_KP_1) a.one_to_one = true;
        else if (k.key == GLFW_KEY_W) toggles_.wipe = !toggles_.wipe;
        else if (k.key == GLFW_KEY_M) {
            toggles_.paint_mask = !toggles_.paint_mask;
            if (toggles_.paint_mask && !state_.mask_enabled) {
                state_.mask_enabled = true;  // painting an unused mask would show nothing
                recompute_requested_ = true;
            }
        } else if (k.key == GLFW_KEY_X) toggles_.erase = !toggles_.erase;
        else if (k.key == GLFW_KEY_LEFT_BRACKET || k.key == GLFW_KEY_RIGHT_BRACKET) {
            float& size = state_.controls.brush_size;
            size = std::clamp(k.key == GLFW_KEY_RIGHT_BRACKET ? size * 1.25f : size / 1.25f, kMinBrushSize, kMaxBrushSize);
        }
        else if (k.key == GLFW_KEY_H) show_help_ = !show_help_;
        else if (k.key == GLFW_KEY_ESCAPE) show_help_ = false;
    }
    for (unsigned c : events.characters)
        if (c == '?' && !typing) show_help_ = !show_help_;
    handle_actions(a);
}

void ViewerApp::handle_actions(const ControlsActions& a) {
    if (a.segment) segmentation_.compute(pipeline_.working_content(), state_.content.generation, "");
    if (a.segmentation_mask) {
        // The chosen classes become the mask; the brush edits it from there.
        state_.mask.load(segmentation_.mask_picture(state_.segmentation_invert));
        state_.mask_enabled = true;
        recompute_requested_ = true;
    }
    if (a.pause) pipeline_.set_paused(*a.pause);
    if (a.restart) {
        pipeline_.restart();
        recompute_requested_ = true;
    }
    if (a.load_content) load_into(true, *a.load_content);
    if (a.load_style) load_into(false, *a.load_style);
    if (a.load_style2) load_style2(*a.load_style2);
    if (a.clear_style2) {
        state_.clear_style2();
        set_path_field(fields_.style2_path, "");
        recompute_requested_ = true;
    }
    if (a.swap) {
        state_.swap_images();
        set_path_field(fields_.content_path, display_path(state_.content.path));
        set_path_field(fields_.style_path, display_path(state_.style.path));
        recompute_requested_ = true;
        update_title();
    }
    if (a.reset) {
        state_.reset_controls();
        toggles_ = {};
        canvas_.view = ViewTransform{};
        recompute_requested_ = true;
    }
    if (a.fit) canvas_.view = ViewTransform{};
    if (a.one_to_one) {
        const Rect area = canvas_.panels[0].image_area;
        const Image& shown = pipeline_.working_content();
        // One image pixel per framebuffer pixel, whatever the HiDPI scale.
        const float points_per_pixel = 1.0f / std::max(ImGui::GetIO().DisplayFramebufferScale.x, 0.01f);
        canvas_.view = zoom_to(canvas_.resolved, area, static_cast<float>(shown.width), static_cast<float>(shown.height),
                               points_per_pixel);
    }
    if (a.load_mask) load_mask(*a.load_mask);
    if (a.clear_mask || a.invert_mask) {
        state_.fit_mask();
        if (a.clear_mask) state_.mask.clear();
        if (a.invert_mask) state_.mask.invert();
        recompute_requested_ = true;
    }
    if (a.save_mask) save_mask_numbered();
    if (a.save_result) save_result_numbered();
    if (a.screenshot) screenshot_requested_ = true;
    if (a.show_help) show_help_ = !show_help_;
}

PixelView ViewerApp::result_pixels(const Rect& canvas_area) {
    if (!pipeline_.has_result()) return {};
    // A GPU result is downloaded for the readout only while the pointer is over the pictures.
    if (pipeline_.result_rgba().is_cuda()) {
        const ImVec2 m = ImGui::GetIO().MousePos;
        if (!(m.x >= canvas_area.x && m.y >= canvas_area.y && m.x < canvas_area.x + canvas_area.w &&
              m.y < canvas_area.y + canvas_area.h))
            return {};
    }
    const at::Tensor& host = pipeline_.result_rgba_host();
    return {host.data_ptr<std::uint8_t>(), pipeline_.result_width(), pipeline_.result_height(), 4};
}

void ViewerApp::recompute() {
    recompute_requested_ = false;
    state_.fit_mask();  // a new size or picture: the mask follows, so brush pixels are working pixels
    const bool was_pending = pipeline_.pending();
    const PipelineUpdate update = pipeline_.update(state_);
    if (update.pending && !was_pending) pending_since_ = Clock::now();
    if (!update.error.empty()) {
        show_error("Cannot stylize: " + update.error);
        // An automated run (--frames) whose settings cannot be computed (a missing model, a size
        // beyond the limits) did not do what its command line asked.
        if (options_.frames > 0) exit_code_ = 1;
    }
    if (update.ran.any() && update.error.empty()) shown_preview_ = update.preview;
    if (!update.ran.any() || !update.error.empty()) return;
    if (update.pending) {
        // The result follows from the worker; show the new pictures meanwhile.
        upload_rgb(content_texture_, pipeline_.working_content());
        upload_rgb(style_texture_, pipeline_.working_style());
        return;
    }
    ++recomputes_;
    result_changed_ = true;
    if (update.converging) ++estimates_shown_;
    if (update.neural_ms > 0) {
        ++neural_results_;
        network_ms_ = update.neural_ms;
    }
    compute_ms_ = update.compute_ms;
    const auto start = Clock::now();
    if (update.ran.working_images) {
        upload_rgb(content_texture_, pipeline_.working_content());
        upload_rgb(style_texture_, pipeline_.working_style());
    }
    result_upload_.upload(pipeline_, result_texture_);
    upload_ms_ = ms_since(start);
    if (error_message_.rfind("Cannot stylize", 0) == 0) error_message_.clear();
}

void ViewerApp::draw_message_bar(const Rect& bar) {
    const bool error = !error_message_.empty();
    if (!error && info_message_.empty()) return;
    const float h = bar.h;
    ImGui::SetNextWindowPos(ImVec2(bar.x, bar.y));
    ImGui::SetNextWindowSize(ImVec2(bar.w, bar.h));
    ImGui::PushStyleColor(ImGuiCol_WindowBg, ImGui::ColorConvertU32ToFloat4(error ? kErrorBarColor : kInfoBarColor));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(ImGui::GetStyle().WindowPadding.x, 0));
    ImGui::Begin("##message", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoNavInputs);
    ImGui::SetCursorPosY((h - ImGui::GetFrameHeight()) * 0.5f);
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(error ? error_message_.c_str() : info_message_.c_str());
    const float button_w = ImGui::CalcTextSize("Dismiss").x + ImGui::GetStyle().FramePadding.x * 2;
    ImGui::SameLine(std::max(ImGui::GetCursorPosX(), ImGui::GetWindowWidth() - button_w - ImGui::GetStyle().WindowPadding.x));
    if (ImGui::Button("Dismiss")) (error ? error_message_ : info_message_).clear();
    widget_rects_["message_bar"] = bar;
    ImGui::End();
    ImGui::PopStyleVar();
    ImGui::PopStyleColor();
}

void ViewerApp::draw_status_bar(float height) {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->Pos.x, vp->Pos.y + vp->Size.y - height));
    ImGui::SetNextWindowSize(ImVec2(vp->Size.x, height));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(ImGui::GetStyle().WindowPadding.x, 0));
    ImGui::PushStyleColor(ImGuiCol_WindowBg, ImVec4(0.085f, 0.085f, 0.095f, 1.0f));
    ImGui::Begin("##status", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoNavInputs | ImGuiWindowFlags_NoBringToFrontOnFocus);
    ImGui::PushFont(monospace_font());
    ImGui::SetCursorPosY((height - ImGui::GetTextLineHeight()) * 0.5f);
    if (current_method_info(state_.controls).needs_model && network_ms_ > 0)
        ImGui::Text("network %6.0f ms   compute %6.1f ms   upload %5.1f ms   frame %5.1f ms", network_ms_, compute_ms_,
                    upload_ms_, frame_ms_);
    else
        ImGui::Text("compute %6.1f ms   upload %5.1f ms   frame %5.1f ms", compute_ms_, upload_ms_, frame_ms_);
    char right[256];
    const std::string size =
        pipeline_.has_result() ? std::to_string(pipeline_.result_width()) + "x" + std::to_string(pipeline_.result_height())
                               : std::string("-");
    // The device the result really lives on, and how it reached the texture.
    const bool on_gpu = pipeline_.has_result() && pipeline_.result_rgba().is_cuda();
    std::snprintf(right, sizeof right, "%s   %s (%s)   zoom %.0f%%", size.c_str(), on_gpu ? "CUDA" : "CPU",
                  result_upload_.route().c_str(), canvas_.resolved.zoom * 100.0f);
    if (canvas_.readout.valid) {
        char pos[48];
        std::snprintf(pos, sizeof pos, "x %d  y %d", canvas_.readout.x, canvas_.readout.y);
        ImGui::SameLine(ImGui::GetWindowWidth() * 0.5f);
        ImGui::TextUnformatted(pos);
    }
    ImGui::SameLine(ImGui::GetWindowWidth() - ImGui::CalcTextSize(right).x - ImGui::GetStyle().WindowPadding.x);
    ImGui::TextUnformatted(right);
    ImGui::PopFont();
    ImGui::End();
    ImGui::PopStyleColor();
    ImGui::PopStyleVar();
}

void ViewerApp::save_result_numbered() {
    if (!pipeline_.has_result()) {
        show_error("Nothing to save yet: load a content and a style picture first.");
        return;
    }
    try {
        const Image result = pipeline_.result_image();
        const auto path = save_numbered_png(result, std::filesystem::current_path(), "stylized_output");
        show_info("Saved result " + size_text(result.width, result.height) + " to " + path.string());
    } catch (const std::exception& e) {
        show_error(std::string("Cannot save the result: ") + e.what());
    }
}

void ViewerApp::capture_screenshot_numbered() {
    screenshot_requested_ = false;
    int w = 0, h = 0;
    window_->framebuffer_size(w, h);
    try {
        const auto path = save_numbered_png(read_framebuffer(w, h), std::filesystem::current_path(), "screenshot");
        show_info("Saved screenshot to " + path.string());
    } catch (const std::exception& e) {
        show_error(std::string("Cannot save the screenshot: ") + e.what());
    }
}

// --screenshot and --save-result, after the last frame (its back buffer is still readable).
void ViewerApp::finish_automation() {
    if (!options_.screenshot_path.empty()) {
        int w = 0, h = 0;
        window_->framebuffer_size(w, h);
        try {
            save_image(read_framebuffer(w, h), options_.screenshot_path);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "neuraltransfer-viewer: %s\n", e.what());
            exit_code_ = 1;
        }
    }
    if (!options_.save_result_path.empty()) {
        try {
            if (!pipeline_.has_result()) throw Error(options_.save_result_path, "no result to save");
            save_image(pipeline_.result_image(), options_.save_result_path);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "neuraltransfer-viewer: %s\n", e.what());
            exit_code_ = 1;
        }
    }
}

void ViewerApp::write_report() {
    std::ostringstream os;
    int w = 0, h = 0;
    window_->framebuffer_size(w, h);
    os << "framebuffer=" << w << " " << h << "\n";
    const char* names[] = {"content", "style", "result"};
    const Image& shown = pipeline_.working_content();
    for (int i = 0; i < kPanelCount; ++i) {
        os << "panel." << names[i] << "=" << rect_text(canvas_.panels[i].image_area) << "\n";
        const VisiblePart part = visible_part(canvas_.resolved, canvas_.panels[i].image_area,
                                              static_cast<float>(shown.width), static_cast<float>(shown.height));
        os << "image." << names[i] << "=" << rect_text(part.screen) << "\n";
    }
    for (const auto& [name, rect] : widget_rects_) os << name << "=" << rect_text(rect) << "\n";
    os << "error=" << error_message_ << "\n";
    os << "show_ui=" << (show_ui_ ? 1 : 0) << "\n";
    os << "mask=" << (state_.mask_enabled ? 1 : 0) << " paint=" << (toggles_.paint_mask ? 1 : 0)
       << " erase=" << (toggles_.erase ? 1 : 0) << " generation=" << state_.mask.generation() << "\n";
    os << "timings_ms=" << compute_ms_ << " " << upload_ms_ << " " << frame_ms_ << "\n";
    os << "result_size=" << pipeline_.result_width() << " " << pipeline_.result_height() << "\n";
    os << "upload_route=" << result_upload_.route() << "\n";
    os << "neural=" << "pending " << (pipeline_.pending() ? 1 : 0) << " preview " << (shown_preview_ ? 1 : 0)
       << " results " << neural_results_ << "\n";
    os << "progress_shown=" << (progress_shown_ ? "computing" : "idle") << "\n";
    os << "iterative=converging " << (pipeline_.converging() ? 1 : 0) << " step " << pipeline_.shown_step() << " estimates "
       << estimates_shown_ << "\n";
    if (os.str() == last_report_) return;
    last_report_ = os.str();
    try {
        write_text_file_atomically(options_.report_path, last_report_);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "neuraltransfer-viewer: %s\n", e.what());
    }
}

void ViewerApp::save_settings() {
    if (settings_dir_.empty()) return;
    ViewerSettings s;
    s.content_path = state_.content.path;
    s.style_path = state_.style.path;
    s.controls = state_.controls;
    s.recent_files = state_.recent_files;
    s.wipe_enabled = toggles_.wipe;
    s.mask_overlay = toggles_.mask_overlay;
    s.show_ui = show_ui_;
    window_->window_size(s.window_width, s.window_height);
    try {
        save_settings_file(settings_dir_ / kSettingsFileName, s);
        std::size_t size = 0;
        const char* ini = ImGui::SaveIniSettingsToMemory(&size);
        write_text_file_atomically(settings_dir_ / kImGuiLayoutFileName, std::string(ini, size));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "neuraltransfer-viewer: cannot save settings: %s\n", e.what());
    }
}

}  // namespace nt::viewer
