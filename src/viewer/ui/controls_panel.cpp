#include "viewer/ui/controls_panel.h"

#include <imgui.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>

#include "base/limits.h"
#include "image/mask.h"
#include "nets/model_check.h"
#include "viewer/ui/export_panel.h"
#include "viewer/ui/iterative_panel.h"
#include "viewer/ui/mask_panel.h"
#include "viewer/ui/size_panel.h"
#include "viewer/ui/panel_widgets.h"
#include "viewer/state/path_text.h"
#include "viewer/ui/segmentation_panel.h"
#include "viewer/ui/ui_theme.h"
#include "viewer/ui/video_panel.h"
#include "viewer/ui/views_panel.h"
#include "stylize/registry.h"

namespace nt::viewer {

namespace {

void section(const char* title) {
    ImGui::Dummy(ImVec2(0, ImGui::GetStyle().ItemSpacing.y));
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextUnformatted(title);
    ImGui::PopStyleColor();
}

// "Label [path][Load][v]": path field, Load button and a recent-files drop-down for one picture.
// Returns a path to load.
std::optional<std::string> image_row(const char* id, const char* label, float label_w, ControlsPanelState& fields,
                                     std::array<char, 1024>& field, const std::vector<std::string>& recent,
                                     std::map<std::string, Rect>& rects, bool& browse) {
    std::optional<std::string> load;
    ImGui::PushID(id);
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(label);
    ImGui::SameLine(label_w);
    const ImGuiStyle& style = ImGui::GetStyle();
    const float load_w = ImGui::CalcTextSize("Load").x + style.FramePadding.x * 2;
    const float arrow_w = ImGui::GetFrameHeight();
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - load_w - arrow_w * 2 - style.ItemSpacing.x * 3);
    if (path_field(fields, field, "path, or drop a file")) load = std::string(field.data());
    record(rects, std::string("path.") + id);
    tooltip(field.data());
    ImGui::SameLine();
    if (ImGui::Button("Load")) load = std::string(field.data());
    ImGui::SameLine();
    browse = browse_button(fields, "browse");
    record(rects, std::string("browse.") + id);
    ImGui::SameLine();
    if (ImGui::BeginCombo("##recent", nullptr, ImGuiComboFlags_NoPreview)) {
        if (recent.empty()) ImGui::TextDisabled("No recent files");
        for (const std::string& path : recent) {
            const std::string name = std::filesystem::path(path).filename().string();
            if (ImGui::Selectable((name + "##" + path).c_str())) load = path;
            tooltip(path);
        }
        ImGui::EndCombo();
    }
    tooltip("Recent files");
    ImGui::PopID();
    return load;
}

// The model picker of fast_style and torchscript, and what AdaIN needs; the first model is picked
// when none is.
// A model's size and format for its tooltip, and whether its header already shows it cannot load,
// read once per file (the header, not the network).
struct ModelSummary {
    std::string text;
    bool loads = true;  // as far as the header tells
};
const ModelSummary& model_summary(const ModelEntry& e) {
    static std::map<std::string, ModelSummary> cache;
    auto it = cache.find(e.path.string());
    if (it == cache.end()) {
        ModelReport r = check_model(e, false);
        std::string text = report_text(r);
        if (r.problem.empty()) text.resize(text.size() - std::string(", loads").size());  // not tried
        it = cache.emplace(e.path.string(), ModelSummary{text, r.problem.empty()}).first;
    }
    return it->second;
}

void model_controls(ControlValues& c, const NeuralPanelInfo& neural, std::map<std::string, Rect>& rects) {
    const MethodInfo& info = current_method_info(c);
    if (!info.needs_model) return;
    const ModelLibrary* lib = neural.library;
    auto warn = [](const std::string& text) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.62f, 0.35f, 1.0f));
        ImGui::TextWrapped("%s", text.c_str());
        ImGui::PopStyleColor();
    };
    if (!lib) {
        warn("No models folder was set up.");
        return;
    }
    if (!info.model_kind) {  // AdaIN: its two files have fixed names
        if (!lib->adain)
            warn("No AdaIN model in " + (lib->dir / "adain").string() +
                 ": convert vgg_normalised.pth and decoder.pth with tools/convert_weights.py (docs/MODELS.md).");
        return;
    }
    const std::vector<ModelEntry>& entries = lib->entries(*info.model_kind);
    if (entries.empty()) {
        warn(std::string("No models in ") + (lib->dir / model_kind_folder(*info.model_kind)).string() +
             " (docs/MODELS.md).");
        return;
    }
    // None chosen (a remembered one this folder lacks was forgotten): the first good one here.
    std::string& chosen = c.models[c.method];
    if (chosen.empty()) {
        chosen = entries.front().name;
        for (const ModelEntry& e : entries)
            if (model_summary(e).loads) {
                chosen = e.name;
                break;
            }
    }
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Model");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(-FLT_MIN);
    if (ImGui::BeginCombo("##model", chosen.c_str())) {
        for (const ModelEntry& e : entries) {
            // A file whose header shows it cannot load is listed greyed with why, and not chosen.
            const ModelSummary& summary = model_summary(e);
            const std::string label = summary.loads ? e.name : e.name + "  (will not load)";
            const ImGuiSelectableFlags flags = summary.loads ? 0 : ImGuiSelectableFlags_Disabled;
            if (ImGui::Selectable(label.c_str(), e.name == chosen, flags) && e.name != chosen) {
                chosen = e.name;
            }
            if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
                ImGui::SetTooltip("%s", (e.path.string() + "\n" + summary.text).c_str());
        }
        ImGui::EndCombo();
    }
    record(rects, "model");
    tooltip("The network: one per style, from " + lib->dir.string());
}

// AdaIN's extra style: a path row, and the mix weight (or, with a mask, where it goes).
void extra_style_controls(ViewerState& state, ControlsPanelState& fields, ControlsActions& a,
                          std::map<std::string, Rect>& rects) {
    const ImGuiStyle& style = ImGui::GetStyle();
    ImGui::PushID("extra_style");
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Style 2");
    ImGui::SameLine();
    const float button_w = ImGui::CalcTextSize("Load").x + style.FramePadding.x * 2;
    const float clear_w = state.extra_style.loaded() ? ImGui::GetFrameHeight() + style.ItemSpacing.x : 0.0f;
    const float browse_w = ImGui::GetFrameHeight() + style.ItemSpacing.x;
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - button_w - style.ItemSpacing.x - clear_w - browse_w);
    if (path_field(fields, fields.extra_style_path, "extra style picture (optional)"))
        a.load_extra_style = std::string(fields.extra_style_path.data());
    record(rects, "extra_style.path");
    tooltip("An extra style for AdaIN: mixed with the first, or painted where the mask is black.");
    ImGui::SameLine();
    if (ImGui::Button("Load")) a.load_extra_style = std::string(fields.extra_style_path.data());
    ImGui::SameLine();
    if (browse_button(fields, "browse")) a.browse = Browse::ExtraStyle;
    if (state.extra_style.loaded()) {
        ImGui::SameLine();
        a.clear_extra_style = ImGui::Button("x", ImVec2(ImGui::GetFrameHeight(), 0));
        tooltip("Remove the extra style");
        if (state.mask_enabled) {
            ImGui::TextDisabled("Mask: style 1 on white, style 2 on black");
        } else {
            float w = static_cast<float>(state.controls.extra_style_weight);
            ImGui::SetNextItemWidth(-FLT_MIN);
            if (ImGui::SliderFloat("##mix", &w, 0.0f, 1.0f, "Style 2 share  %.2f", ImGuiSliderFlags_AlwaysClamp))
                state.controls.extra_style_weight = w;
            state.interacting |= ImGui::IsItemActive();
            record(rects, "slider.extra_style_weight");
            tooltip("The AdaIN targets of the two styles mixed: 0 only the first, 1 only the second.");
        }
    }
    ImGui::PopID();
}

// A thin progress bar while a network computes the result (indeterminate on a method's first run);
// for an iterative method its stage, step, elapsed and remaining time.
// The row is always there for methods that run on the worker (and the stage line for iterative
// ones), idle or not, so the controls below never move when a computation starts or ends.
void neural_progress(const MethodInfo& method, const NeuralPanelInfo& neural, std::map<std::string, Rect>& rects) {
    if (!method.needs_model && !method.iterative) return;
    const NeuralStatus& st = neural.status;
    if (!neural.computing && !neural.preview) {
        // What the last run did, not a bare "idle": the result shown is that run's.
        char done[96] = "idle";
        if (st.last_seconds >= 0 && st.last_steps > 0)
            std::snprintf(done, sizeof done, "done: %d steps in %.1f s", st.last_steps, st.last_seconds);
        else if (st.last_seconds >= 0) std::snprintf(done, sizeof done, "done in %.2f s", st.last_seconds);
        ImGui::BeginDisabled();
        ImGui::ProgressBar(st.last_seconds >= 0 ? 1.0f : 0.0f, ImVec2(-FLT_MIN, 0), done);
        ImGui::EndDisabled();
        record(rects, "neural.progress");
        if (method.iterative) ImGui::TextDisabled(" ");
        return;
    }
    char text[160];
    if (neural.computing && st.total > 0 && st.paused) {
        // Its clock stopped with it (NeuralWorker::computing_seconds): no time left is claimed.
        std::snprintf(text, sizeof text, "paused at step %d/%d  %.1f s", st.step, st.total, st.elapsed_s);
    } else if (neural.computing && st.total > 0) {
        std::snprintf(text, sizeof text, "step %d/%d  %.1f s", st.step, st.total, st.elapsed_s);
        if (st.remaining_s >= 0)
            std::snprintf(text + std::strlen(text), sizeof text - std::strlen(text), ", ~%.0f s left", st.remaining_s);
    } else if (neural.computing && neural.progress >= 0)
        std::snprintf(text, sizeof text, "computing %.0f%%  %.1f s", neural.progress * 100.0,
                      neural.elapsed_ms / 1000.0);
    else if (neural.computing) std::snprintf(text, sizeof text, "computing  %.1f s", neural.elapsed_ms / 1000.0);
    else std::snprintf(text, sizeof text, "preview (release for full resolution)");
    float fraction = neural.progress >= 0 ? neural.progress : 0.0f;
    if (neural.computing && neural.progress < 0) {
        // Indeterminate: a sweeping fill.
        const double t = ImGui::GetTime();
        fraction = static_cast<float>(t - std::floor(t));
    }
    ImGui::ProgressBar(neural.computing ? fraction : 1.0f, ImVec2(-FLT_MIN, 0), text);
    record(rects, "neural.progress");
    if (method.iterative) ImGui::TextDisabled("%s", neural.computing && st.total > 0 ? st.stage.c_str() : " ");
}

// One parameter's control: a list for named choices, an integer slider for whole numbers, else a
// float slider, each with its label inside (a row per parameter). Ctrl+click turns a slider into
// a text field; AlwaysClamp keeps typed values in range.
bool param_control(const ParamSpec& spec, double& value, bool& interacting) {
    std::string label;
    for (char ch : spec.label) label += ch == '%' ? std::string("%%") : std::string(1, ch);
    const std::string id = "##" + spec.name;
    bool changed = false;
    ImGui::SetNextItemWidth(-FLT_MIN);
    if (!spec.choices.empty()) {
        const std::string shown = spec.label + ":  " + param_value_text(spec, value);
        if (ImGui::BeginCombo(id.c_str(), shown.c_str())) {
            for (std::size_t i = 0; i < spec.choices.size(); ++i)
                if (ImGui::Selectable(spec.choices[i].c_str(), double(i) == value) && double(i) != value) {
                    value = double(i);
                    changed = true;
                }
            ImGui::EndCombo();
        }
        tooltip(spec.description);
        return changed;
    }
    if (spec.integer) {
        int v = static_cast<int>(value);
        changed = ImGui::SliderInt(id.c_str(), &v, int(spec.min_value), int(spec.max_value), (label + "  %d").c_str(),
                                   ImGuiSliderFlags_AlwaysClamp);
        if (changed) value = v;
    } else {
        float v = static_cast<float>(value);
        ImGuiSliderFlags flags = ImGuiSliderFlags_AlwaysClamp;
        if (spec.logarithmic) flags |= ImGuiSliderFlags_Logarithmic;
        changed = ImGui::SliderFloat(id.c_str(), &v, float(spec.min_value), float(spec.max_value),
                                     (label + (spec.logarithmic ? "  %.3g" : "  %.3f")).c_str(), flags);
        if (changed) value = v;
    }
    interacting |= ImGui::IsItemActive();
    tooltip(spec.description + "\nCtrl+click to type a value.");
    return changed;
}

void method_controls(ControlValues& c, std::map<std::string, Rect>& rects, bool& interacting,
                     const NeuralPanelInfo& neural) {
    const MethodInfo& current = current_method_info(c);
    ImGui::SetNextItemWidth(-FLT_MIN);
    // As tall as its items need (the default stops at eight: Gatys was below the fold).
    const bool open = ImGui::BeginCombo("##method", current.label.c_str(), ImGuiComboFlags_HeightLargest);
    record(rects, "method");
    if (open) {
        const ImVec2 list_at = ImGui::GetWindowPos(), list_size = ImGui::GetWindowSize();
        rects["method.list"] = {list_at.x, list_at.y, list_size.x, list_size.y};  // the open list, for tests
        for (const auto& method : method_registry()) {
            const MethodInfo& info = method->info();
            if (ImGui::Selectable(info.label.c_str(), info.name == c.method) && info.name != c.method) {
                c.method = info.name;
            }
            record(rects, "method." + info.name);  // while the list is open (tests click them)
            tooltip(info.description);
        }
        ImGui::EndCombo();
    }
    tooltip(current.description);
    model_controls(c, neural, rects);
    ParamValues values = current_params(c);
    for (const ParamSpec& spec : current_method_info(c).params) {
        double v = values[spec.name];
        if (param_control(spec, v, interacting)) {
            c.params[c.method][spec.name] = v;
        }
        record(rects, "slider." + spec.name);
    }
    neural_progress(current_method_info(c), neural, rects);
}

// Two buttons filling the row.
bool half_button(const char* label, bool first) {
    const float w =
        (ImGui::GetContentRegionAvail().x - (first ? ImGui::GetStyle().ItemSpacing.x : 0)) * (first ? 0.5f : 1.0f);
    return ImGui::Button(label, ImVec2(w, 0));
}

// "Label  …/end/of/the/folder  […]": a folder shown by its end, chosen with the file dialog.
bool folder_row(const char* label, const char* id, const std::string& folder, const ControlsPanelState& fields,
                std::map<std::string, Rect>& rects) {
    ImGui::AlignTextToFramePadding();
    ImGui::TextDisabled("%s", label);
    ImGui::SameLine(ImGui::CalcTextSize("Export to").x + ImGui::GetStyle().WindowPadding.x * 2);
    const float button_w = ImGui::GetFrameHeight();
    const float text_w = ImGui::GetContentRegionAvail().x - button_w - ImGui::GetStyle().ItemSpacing.x;
    const std::string shown =
        tail_that_fits(folder, text_w, [](const std::string& t) { return ImGui::CalcTextSize(t.c_str()).x; });
    ImGui::TextUnformatted(shown.c_str());
    tooltip(folder);
    ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - button_w);
    const bool pressed = browse_button(fields, id);
    record(rects, std::string("browse.") + id);
    return pressed;
}

}  // namespace

bool browse_button(const ControlsPanelState& fields, const char* id) {
    ImGui::PushID(id);
    ImGui::BeginDisabled(!fields.file_dialog);
    const bool pressed = ImGui::Button("\xE2\x80\xA6", ImVec2(ImGui::GetFrameHeight(), 0));
    ImGui::EndDisabled();
    ImGui::PopID();
    tooltip(fields.file_dialog ? "Choose with the desktop's file dialog"
                               : "No file dialog: install zenity (GTK) or kdialog; or type a path, or drop a file");
    return pressed;
}

bool path_field(ControlsPanelState& fields, std::array<char, 1024>& field, const char* hint) {
    const float text_w = ImGui::CalcItemWidth() - ImGui::GetStyle().FramePadding.x * 2;
    const std::string shown =
        tail_that_fits(field.data(), text_w, [](const std::string& t) { return ImGui::CalcTextSize(t.c_str()).x; });
    const ImGuiInputTextFlags enter = ImGuiInputTextFlags_EnterReturnsTrue;
    bool entered = false;
    if (fields.editing_path == field.data() || shown == field.data()) {
        entered = ImGui::InputTextWithHint("##path", hint, field.data(), field.size(), enter);
    } else {
        // The short form while idle; the click that starts editing puts the whole path back
        // (the callback runs in that same frame, before anything is typed).
        std::array<char, 1024> short_form{};
        set_path_field(short_form, shown);
        auto restore = [](ImGuiInputTextCallbackData* d) {
            const char* full = static_cast<const char*>(d->UserData);
            if (std::strcmp(d->Buf, full) != 0) {
                d->DeleteChars(0, d->BufTextLen);
                d->InsertChars(0, full);
            }
            return 0;
        };
        entered = ImGui::InputTextWithHint("##path", hint, short_form.data(), short_form.size(),
                                           enter | ImGuiInputTextFlags_CallbackAlways, restore, field.data());
        // Only the restored whole path goes back into the field, never the short form.
        if (ImGui::IsItemActive() && std::strcmp(short_form.data(), shown.c_str()) != 0)
            std::memcpy(field.data(), short_form.data(), field.size());
    }
    if (ImGui::IsItemActive()) fields.editing_path = field.data();
    else if (fields.editing_path == field.data()) fields.editing_path = nullptr;
    return entered;
}

void set_path_field(std::array<char, 1024>& field, const std::string& path) {
    std::strncpy(field.data(), path.c_str(), field.size() - 1);
    field[field.size() - 1] = '\0';
}

// "Save as  [file name]  […]": Enter saves to the typed file, "…" (Ctrl+Shift+S) asks the desktop.
static void save_as_row(ControlsPanelState& fields, ControlsActions& a, std::map<std::string, Rect>& rects) {
    ImGui::AlignTextToFramePadding();
    ImGui::TextDisabled("Save as");
    ImGui::SameLine(ImGui::CalcTextSize("Export to").x + ImGui::GetStyle().WindowPadding.x * 2);
    const float button_w = ImGui::GetFrameHeight();
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - button_w - ImGui::GetStyle().ItemSpacing.x);
    ImGui::PushID("save_as");
    if (path_field(fields, fields.save_as_path, "file.png, Enter saves"))
        a.save_result_as = std::string(fields.save_as_path.data());
    ImGui::PopID();
    record(rects, "path.save_as");
    tooltip(
        "The result to this file (PNG, JPEG, BMP or TGA by its extension; .png when it has none), written "
        "atomically; never one of the input pictures");
    ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - button_w);
    if (browse_button(fields, "save_as")) a.browse = Browse::SaveResultAs;
    record(rects, "browse.save_as");
}

// VIEW AND EXPORT: fit, 1:1, wipe, the inspection views, Save, Screenshot, Save as, the full-size
// export, and the export and models folders.
static void view_and_export_controls(ControlsPanelState& fields, ViewToggles& toggles, const NeuralPanelInfo& neural,
                                     ControlsActions& a, std::map<std::string, Rect>& rects) {
    section("VIEW AND EXPORT");
    a.fit = half_button("Fit  (F)", true);
    ImGui::SameLine();
    a.one_to_one = half_button("1:1  (1)", false);
    ImGui::Checkbox("Wipe: content | result  (W)", &toggles.wipe);
    draw_view_controls(toggles.inspect, rects);
    a.save_result = half_button("Save result", true);
    tooltip("Ctrl+S: stylized_output_NNNN.png in the export folder, never overwriting");
    ImGui::SameLine();
    a.screenshot = half_button("Screenshot", false);
    tooltip("F12: screenshot_NNNN.png of the whole window, in the export folder");
    save_as_row(fields, a, rects);
    full_size_export_row(neural.full_size, a, rects);
    if (folder_row("Export to", "export", fields.export_dir.empty() ? "current folder" : fields.export_dir, fields,
                   rects))
        a.browse = Browse::ExportFolder;
    if (folder_row("Models", "models", fields.models_dir, fields, rects)) a.browse = Browse::ModelsFolder;
}

ControlsActions draw_controls_panel(ViewerState& state, ControlsPanelState& fields, ViewToggles& toggles, float top,
                                    float bottom, float& width, std::map<std::string, Rect>& rects,
                                    const NeuralPanelInfo& neural) {
    ControlsActions a;
    const float scale = ImGui::GetFontSize() / 15.0f;
    const float height = bottom - top;
    ImGui::SetNextWindowPos(ImVec2(0, top), ImGuiCond_Always);
    // A first start in a big window gets a wider sidebar (longer path fields): a quarter of the
    // window from 300 points up to 440 (1600 wide: 400); imgui.ini remembers a width dragged.
    const float first_width = std::clamp(ImGui::GetMainViewport()->Size.x * 0.25f, 300 * scale, 440 * scale);
    ImGui::SetNextWindowSize(ImVec2(first_width, height), ImGuiCond_FirstUseEver);
    // Only the width can change (dragging the right edge); imgui.ini remembers it.
    ImGui::SetNextWindowSizeConstraints(ImVec2(240 * scale, height), ImVec2(560 * scale, height));
    // NoNavInputs: Tab is the viewer's hide-UI key, not ImGui's "focus the next field".
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoCollapse |
                                   ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoNavInputs;
    ImGui::Begin("Controls", nullptr, flags | ImGuiWindowFlags_NoScrollbar);
    width = ImGui::GetWindowWidth();
    // The sections scroll when they do not fit (small windows, AdaIN's extra rows, many
    // segmentation classes); Reset and Shortcuts stay below them, always visible.
    const ImGuiStyle& style = ImGui::GetStyle();
    const float footer_h = ImGui::GetFrameHeight() + style.ItemSpacing.y * 3 + 1.0f;
    ImGui::BeginChild("##sections", ImVec2(0, -footer_h), false, ImGuiWindowFlags_NoNavInputs);

    section("IMAGES");
    {
        // Swap sits on the header row: the sidebar has no row to spare at 720 points.
        const char* swap_label = "Swap \xE2\x87\x84";
        const float swap_w = ImGui::CalcTextSize(swap_label).x + ImGui::GetStyle().FramePadding.x * 2;
        ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - swap_w);
        a.swap = ImGui::SmallButton(swap_label);
        tooltip("Swap content and style. Drop a file on the content or style panel to load it there.");
    }
    const float label_w =
        ImGui::CalcTextSize("Content").x + ImGui::GetStyle().WindowPadding.x + ImGui::GetStyle().ItemSpacing.x;
    bool browse_content = false, browse_style = false;
    a.load_content = image_row("content", "Content", label_w, fields, fields.content_path, state.recent_files, rects,
                               browse_content);
    a.load_style =
        image_row("style", "Style", label_w, fields, fields.style_path, state.recent_files, rects, browse_style);
    if (browse_content) a.browse = Browse::Content;
    if (browse_style) a.browse = Browse::Style;
    if (neural.video) {
        section("VIDEO");
        draw_video_controls(*neural.video, a.video, rects);
    }

    section("METHOD");
    method_controls(state.controls, rects, state.interacting, neural);
    if (current_method_info(state.controls).max_styles >= 2) extra_style_controls(state, fields, a, rects);
    if (current_method_info(state.controls).iterative) draw_iterative_controls(state, neural, a, rects);
    ImGui::Checkbox("Preserve content colours", &state.controls.preserve_colors);
    record(rects, "preserve_colors");
    tooltip("Keep the result's luminance with the content's colours (after any method).");

    section("MASK");
    mask_controls(state, fields, toggles, a, rects, neural);
    draw_segmentation_controls(state, neural, a, rects);

    section("WORKING SIZE AND DEVICE");
    size_controls(state.controls, state.content, fields, a, rects);
    device_controls(state.controls);
    precision_controls(state.controls);

    view_and_export_controls(fields, toggles, neural, a, rects);

    // Whether everything fitted, for --report (a scroll bar appears when not).
    rects["controls.scroll"] = Rect{ImGui::GetScrollY(), ImGui::GetScrollMaxY(), 0, 0};
    ImGui::EndChild();
    ImGui::Separator();
    ImGui::Dummy(ImVec2(0, style.ItemSpacing.y * 0.5f));
    a.reset = half_button("Reset defaults", true);
    record(rects, "reset");
    ImGui::SameLine();
    a.show_help = half_button("Shortcuts  (H)", false);
    record(rects, "shortcuts");
    ImGui::End();
    return a;
}

}  // namespace nt::viewer
