// ViewerApp, drawing: the message bar, the status bar, the mask overlay texture, the result's
// pixels for the readout, and the --report of what was drawn.
#include <ATen/ATen.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "viewer/state/path_text.h"
#include "viewer/ui/export_panel.h"
#include "viewer/ui/ui_theme.h"
#include "viewer/app/viewer_app.h"
#include "stylize/registry.h"

namespace nt::viewer {

namespace {

// The working style's aspect differs from its own picture's by more than a pixel's rounding.
bool stretched(const Image& own, const Image& working) {
    if (own.empty() || working.empty()) return false;
    const double a = double(own.width) / own.height, b = double(working.width) / working.height;
    return std::abs(a - b) > 1.0 / std::min(working.width, working.height);
}

std::string rect_text(const Rect& r) {
    std::ostringstream os;
    os << r.x << " " << r.y << " " << r.w << " " << r.h;
    return os.str();
}

}  // namespace

void ViewerApp::update_mask_overlay() {
    const MaskCanvas& mask = state_.mask;
    if (!mask.has_pixels() || display_.mask_generation() == mask.generation()) return;
    // A stroke sends only the rectangle it touched; anything else the whole mask.
    std::optional<display::PixelRegion> changed;
    if (const auto box = mask.changed_since(display_.mask_generation()))
        changed = display::PixelRegion{box->x0, box->y0, box->x1, box->y1};
    display_.show_mask(mask.values().data(), mask.width(), mask.height(), mask.generation(), changed);
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

// The newest message (a confirmation shows over an older error until it times out). A long one
// wraps before Dismiss and the bar grows down over the panels, which never move.
void ViewerApp::draw_message_bar(const Rect& bar) {
    const std::optional<Messages::Shown> shown_message = messages_.shown();
    if (!shown_message) return;
    const bool info = !shown_message->is_error;
    const std::string& message = *shown_message->text;
    const ImGuiStyle& style = ImGui::GetStyle();
    const float button_w = ImGui::CalcTextSize("Dismiss").x + style.FramePadding.x * 2;
    const float wrap_w = std::max(40.0f, bar.w - button_w - style.WindowPadding.x * 2 - style.ItemSpacing.x);
    const float text_h = ImGui::CalcTextSize(message.c_str(), nullptr, false, wrap_w).y;
    const float h = std::max(bar.h, text_h + style.FramePadding.y * 2 + style.WindowPadding.y);
    const Rect shown{bar.x, bar.y, bar.w, h};
    ImGui::SetNextWindowPos(ImVec2(shown.x, shown.y));
    ImGui::SetNextWindowSize(ImVec2(shown.w, shown.h));
    ImGui::PushStyleColor(ImGuiCol_WindowBg, ImGui::ColorConvertU32ToFloat4(info ? kInfoBarColor : kErrorBarColor));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(style.WindowPadding.x, 0));
    ImGui::Begin("##message", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoNavInputs);
    ImGui::SetCursorPosY((h - text_h) * 0.5f);
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + wrap_w);
    ImGui::TextUnformatted(message.c_str());
    ImGui::PopTextWrapPos();
    ImGui::SetCursorPos(
        ImVec2(ImGui::GetWindowWidth() - button_w - style.WindowPadding.x, (h - ImGui::GetFrameHeight()) * 0.5f));
    if (ImGui::Button("Dismiss")) messages_.dismiss_shown();
    widget_rects_["message_bar"] = shown;
    ImGui::End();
    ImGui::PopStyleVar();
    ImGui::PopStyleColor();
}

// With the controls hidden (Tab), a faint line says how to bring them back.
void ViewerApp::draw_hidden_ui_hint() {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    const std::string hint = std::string("Tab: show the controls    L: layout (") +
                             arrangement_name(canvas_.arrangement) + ")    H: shortcuts";
    const ImVec2 size = ImGui::CalcTextSize(hint.c_str());
    const float pad = 6 * window_->ui_scale();
    const ImVec2 at(vp->Pos.x + pad * 2, vp->Pos.y + vp->Size.y - size.y - pad * 2);
    ImDrawList* dl = ImGui::GetForegroundDrawList();
    dl->AddRectFilled(ImVec2(at.x - pad, at.y - pad * 0.5f), ImVec2(at.x + size.x + pad, at.y + size.y + pad * 0.5f),
                      IM_COL32(0, 0, 0, 120), 4.0f);
    dl->AddText(at, IM_COL32(255, 255, 255, 150), hint.c_str());
    widget_rects_["hidden_ui_hint"] = Rect{at.x, at.y, size.x, size.y};
}

// What each panel shows and says. The result's caption comes from what the result on the panel
// was made from (never the controls, which may already name a method still computing or failed).
std::array<PanelContent, kPanelCount> ViewerApp::panel_contents(const Rect& canvas_area) {
    std::array<PanelContent, kPanelCount> panels;
    panels[kContentPanel] = {display_.has_picture(display::Picture::Content),
                             PixelView::of(pipeline_.working_content()), "Content", "", "No picture"};
    panels[kStylePanel] = {display_.has_picture(display::Picture::Style), PixelView::of(pipeline_.working_style()),
                           "Style", "", "No picture"};
    // The style keeps its own aspect (fitted in the working frame), except where the method mixes
    // it pixel by pixel (the blend), which takes it stretched to the content's working size.
    panels[kStylePanel].fitted = true;
    const ImageSlot* slots[] = {&state_.content, &state_.style};
    for (int i = 0; i < 2; ++i) {
        // Decoding on the loader's thread (at startup, or opened from the window).
        std::string loading = loader_.loading(i);
        if (loading.empty()) loading = loader_.loading(kStartupTarget + i);
        if (!loading.empty() && !slots[i]->loaded())
            panels[i].placeholder = "Loading " + file_name(loading) + "\xE2\x80\xA6";
        if (slots[i]->loaded())
            panels[i].caption =
                file_name(slots[i]->path) + "  " + size_text(slots[i]->image.width, slots[i]->image.height);
    }
    // The style is drawn at the working size, which comes from the content: without one it waits.
    if (state_.style.loaded() && !state_.content.loaded())
        panels[kStylePanel].placeholder =
            file_name(state_.style.path) + " is loaded: it shows once a content picture is in.";
    const MethodInfo& method = current_method_info(state_.controls);
    if (!method.uses_style) panels[kStylePanel].caption += "  (unused: the model is the style)";
    else if (method.style_pixel_aligned && stretched(state_.style.image, pipeline_.working_style()))
        panels[kStylePanel].caption += "  (stretched for " + method.label + ")";
    if (state_.uses_extra_style()) {
        char share[64];
        std::snprintf(share, sizeof share, "  + %s", file_name(state_.extra_style.path).c_str());
        panels[kStylePanel].caption += share;
        if (!state_.mask_enabled) {
            std::snprintf(share, sizeof share, " (%.0f%%)", state_.controls.extra_style_weight * 100.0);
            panels[kStylePanel].caption += share;
        }
    }
    PanelContent& result = panels[kResultPanel];
    result = {false, {}, "Result", "", "No picture"};
    const std::string computing = current_method_info(state_.controls).label;
    if (pipeline_.has_result() && pipeline_.shown_inputs()) {
        result.shows_picture = display_.has_picture(display::Picture::Result);
        result.pixels = result_pixels(canvas_area);
        const std::string& made_by = method_by_name(pipeline_.shown_inputs()->method).info().label;
        result.caption = made_by + "  " + size_text(pipeline_.result_width(), pipeline_.result_height());
        // A held slider's estimate is a preview first: the release brings the full resolution.
        if (pipeline_.shows_preview()) result.caption += "  (preview)";
        else if (pipeline_.converging()) result.caption += "  (converging)";
        if (pipeline_.pending() && !pipeline_.converging())
            result.caption += made_by == computing ? "  (updating)" : "  (" + computing + " computing)";
    } else if (pipeline_.pending()) {
        result.placeholder = "Computing " + computing + "\xE2\x80\xA6";
    } else if (!pipeline_.failure().empty()) {
        result.caption = "no valid result";
        result.placeholder = "No valid result: " + pipeline_.failure();
    }
    for (int i = 0; i < kPanelCount; ++i) panels[i].caption += scaled_note(static_cast<display::Picture>(i));
    return panels;
}

// A panel beyond the GL texture limit is drawn from a smaller copy (display/texture_fit.h): its
// caption says so, since zooming in there shows that copy's pixels, not the picture's.
std::string ViewerApp::scaled_note(display::Picture which) {
    const float scale = display_.shown_scale(which);
    if (!(scale < 1.0f) || !display_.has_picture(which)) return "";
    char note[128];
    std::snprintf(note, sizeof note, "  (drawn at %.0f%%: beyond the GL texture limit of %d)", scale * 100.0,
                  display_.max_texture_side());
    return note;
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
    if (current_method_info(state_.controls).needs_model && stats_.network_ms > 0 &&
        stats_.network_method == state_.controls.method)  // another method's time would be stale
        ImGui::Text("network %6.0f ms %s   compute %6.1f ms   upload %5.1f ms   frame %5.1f ms", stats_.network_ms,
                    stats_.network_precision.c_str(), stats_.compute_ms, stats_.upload_ms, stats_.frame_ms);
    else
        ImGui::Text("compute %6.1f ms   upload %5.1f ms   frame %5.1f ms", stats_.compute_ms, stats_.upload_ms,
                    stats_.frame_ms);
    char right[256];
    const std::string size = pipeline_.has_result() ? std::to_string(pipeline_.result_width()) + "x" +
                                                          std::to_string(pipeline_.result_height())
                                                    : std::string("-");
    // The device the result really lives on, and how it reached the texture.
    const bool on_gpu = pipeline_.has_result() && pipeline_.result_rgba().is_cuda();
    // A full-size export in the background, also when its row is scrolled out of the sidebar.
    const FullSizeStatus export_status = full_size_.status();
    const std::string exporting =
        export_status.running ? "export " + full_size_progress_text(export_status) + "   " : "";
    std::snprintf(right, sizeof right, "%s%s   %s (%s)   zoom %.0f%%", exporting.c_str(), size.c_str(),
                  on_gpu ? "CUDA" : "CPU", display_.upload_route().c_str(), canvas_.resolved.zoom * 100.0f);
    // A live video's rates follow the timings; the cursor position then follows them.
    const std::string video = video_status_text();
    const float gap = 3 * ImGui::CalcTextSize(" ").x;
    if (!video.empty()) {
        ImGui::SameLine(0, gap);
        ImGui::TextUnformatted(video.c_str());
    }
    if (canvas_.readout.valid) {
        char pos[48];
        std::snprintf(pos, sizeof pos, "x %d  y %d", canvas_.readout.x, canvas_.readout.y);
        if (video.empty()) ImGui::SameLine(ImGui::GetWindowWidth() * 0.5f);
        else ImGui::SameLine(0, gap);
        ImGui::TextUnformatted(pos);
    }
    ImGui::SameLine(ImGui::GetWindowWidth() - ImGui::CalcTextSize(right).x - ImGui::GetStyle().WindowPadding.x);
    ImGui::TextUnformatted(right);
    ImGui::PopFont();
    ImGui::End();
    ImGui::PopStyleColor();
    ImGui::PopStyleVar();
}

void ViewerApp::write_report() {
    std::ostringstream os;
    int fb_w = 0, fb_h = 0;
    window_->framebuffer_size(fb_w, fb_h);
    os << "framebuffer=" << fb_w << " " << fb_h << "\n";
    const char* names[] = {"content", "style", "result"};
    const Image& shown = pipeline_.working_content();
    const Image& style = pipeline_.working_style();
    for (int i = 0; i < kPanelCount; ++i) {
        os << "panel." << names[i] << "=" << rect_text(canvas_.panels[i].image_area) << "\n";
        const float w = static_cast<float>(shown.width), h = static_cast<float>(shown.height);
        // The style drawn with its own aspect, fitted in the frame (as draw_canvas places it).
        const VisiblePart part = i == kStylePanel
                                     ? visible_placed(canvas_.resolved, canvas_.panels[i].image_area,
                                                      placed_in_frame(w, h, float(style.width), float(style.height)))
                                     : visible_part(canvas_.resolved, canvas_.panels[i].image_area, w, h);
        os << "image." << names[i] << "=" << rect_text(part.screen) << "\n";
    }
    for (const auto& [name, rect] : widget_rects_) os << name << "=" << rect_text(rect) << "\n";
    os << "error=" << messages_.error_text() << "\n";
    os << "info=" << messages_.info_text() << "\n";
    // What the result panel said in this frame: its caption, or why it has no picture.
    os << "result_caption=" << drawn_result_.caption << "\n";
    os << "result_placeholder=" << (drawn_result_.shows_picture ? "" : drawn_result_.placeholder) << "\n";
    os << "arrangement=" << arrangement_name(canvas_.arrangement) << "\n";
    const InspectView& view = canvas_.inspect;
    os << "view=difference " << (view.difference ? 1 : 0) << " gain " << view.difference_gain << " channel "
       << display::channel_name(view.channel) << " flip " << (view.flip ? 1 : 0) << " histograms "
       << (view.histograms ? 1 : 0) << "\n";
    os << "mask_history=undo " << (state_.mask.can_undo() ? 1 : 0) << " redo " << (state_.mask.can_redo() ? 1 : 0)
       << "\n";
    os << "show_ui=" << (show_ui_ ? 1 : 0) << "\n";
    os << "mask=" << (state_.mask_enabled ? 1 : 0) << " paint=" << (toggles_.paint_mask ? 1 : 0)
       << " erase=" << (toggles_.erase ? 1 : 0) << " generation=" << state_.mask.generation() << "\n";
    os << "timings_ms=" << stats_.compute_ms << " " << stats_.upload_ms << " " << stats_.frame_ms << "\n";
    os << "result_size=" << pipeline_.result_width() << " " << pipeline_.result_height() << "\n";
    os << "upload_route=" << display_.upload_route() << "\n";
    os << "neural="
       << "pending " << (pipeline_.pending() ? 1 : 0) << " preview " << (pipeline_.shows_preview() ? 1 : 0)
       << " results " << stats_.neural_results << "\n";
    os << "network=" << stats_.network_ms << " ms " << stats_.network_precision << "\n";
    const FullSizeStatus export_status = full_size_.status();
    os << "full_size=running " << (export_status.running ? 1 : 0) << " cancelling "
       << (export_status.cancelling ? 1 : 0) << " step " << export_status.step << " total " << export_status.total
       << " elapsed " << export_status.elapsed_s << "\n";
    // The frame a worker result arrived in: this thread's compute (taking it) and upload.
    os << "arrival_ms=" << stats_.arrival_ms << " " << stats_.arrival_upload_ms << "\n";
    os << "progress_shown=" << (stats_.progress_shown ? "computing" : "idle") << "\n";
    os << "iterative=converging " << (pipeline_.converging() ? 1 : 0) << " step " << pipeline_.shown_step()
       << " estimates " << stats_.estimates_shown << "\n";
    if (video_.active()) {
        const VideoSourceStatus v = video_.source().status();
        const std::optional<RecorderStatus> r = video_.recorder_status();
        os << "video=playing " << (v.playing ? 1 : 0) << " frames " << v.frames << " dropped " << v.dropped << " index "
           << v.frame_index << " recording " << (video_.recording() ? 1 : 0) << " recorded " << (r ? r->frames : 0)
           << "\n";
    }
    if (os.str() == last_report_) return;
    last_report_ = os.str();
    try {
        write_text_file_atomically(options_.report_path, last_report_);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "neuraltransfer-viewer: %s\n", e.what());
    }
}

}  // namespace nt::viewer
