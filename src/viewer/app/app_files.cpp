// ViewerApp, file I/O: the startup pictures and settings, loading pictures and masks, numbered
// exports, --screenshot/--save-result and the settings written on exit.
#include <algorithm>
#include <cstdio>

#include "base/error.h"
#include "imageio/atomic_file.h"
#include "imageio/load_image.h"
#include "imageio/save_image.h"
#include "video/video_reader.h"
#include "viewer/io/exclusive_export.h"
#include "display/framebuffer_capture.h"
#include "viewer/state/path_text.h"
#include "viewer/app/viewer_app.h"
#include "stylize/registry.h"

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>

namespace nt::viewer {

namespace {

// A file the content panel plays instead of showing: a video, a camera or an animated GIF.
bool plays_as_video(bool content, const std::string& path) {
    return looks_like_video(path) || (content && is_animated_gif(path));
}

// The reason alone from a loader's error "<path>: <reason>".
std::string file_reason(const std::string& error, const std::string& path) {
    return error.rfind(path + ": ", 0) == 0 ? error.substr(path.size() + 2) : error;
}

}  // namespace

// The settings and the ImGui layout. A damaged settings file keeps its good lines; before it can
// be rewritten on exit its bytes are kept under another name, or, when that fails, it is never
// rewritten: the recent files and values in it are not lost to a bad line.
void ViewerApp::read_settings_files(std::string& imgui_ini) {
    if (!options_.no_settings) settings_.dir = settings_dir();
    if (settings_.dir.empty()) return;
    const std::filesystem::path conf = settings_.dir / kSettingsFileName;
    const LoadedSettings loaded = load_settings_file(conf);
    if (loaded.settings) {
        settings_.loaded = *loaded.settings;
        settings_.present = true;
    }
    if (loaded.damaged()) {
        std::string what = loaded.error;
        for (const std::string& p : loaded.problems) what += (what.empty() ? conf.string() + ": skipped " : "; ") + p;
        try {
            what += "; the file as it was is kept as " + keep_copy(conf).string();
        } catch (const std::exception& e) {
            settings_.writable = false;
            what += std::string("; it will not be overwritten (") + e.what() + ")";
        }
        settings_.error = what;
    }
    const std::filesystem::path layout = settings_.dir / kImGuiLayoutFileName;
    try {
        imgui_ini = read_text_file(layout).value_or("");
    } catch (const std::exception& e) {
        std::string what = e.what();
        try {  // as the settings: kept before it is rewritten, or not rewritten
            what += "; kept as " + keep_copy(layout).string();
        } catch (const std::exception&) {
            settings_.layout_writable = false;
        }
        settings_.error += (settings_.error.empty() ? "" : "; ") + what;
    }
}

void ViewerApp::restore_from_settings(const ViewerSettings& s) {
    state_.controls = s.controls;
    forget_models_not_in_folder();
    state_.recent_files = s.recent_files;
    toggles_.wipe = s.wipe_enabled;
    toggles_.mask_overlay = s.mask_overlay;
    show_ui_ = s.show_ui;
}

void ViewerApp::load_startup_state() {
    if (settings_.present) restore_from_settings(settings_.loaded);
    try {
        apply_control_options(options_, state_.controls);
    } catch (const std::exception& e) {
        show_error(e.what());
        exit_code_ = 1;
    }
    startup_recent_ = state_.recent_files;
    load_startup_pictures();
}

// Once the startup pictures are in (or failed): what depends on them.
void ViewerApp::finish_startup() {
    messages_.clear_info_starting_with("Loading ");  // the pictures show, or their errors do
    if (!startup_gone_.empty())
        show_error("Last session: " + startup_gone_ + (assets_dir_.empty() ? "." : "; showing the bundled one."));
    // An unreadable --mask is an error, never silently a result without the mask.
    if (options_.mask_path) load_mask(*options_.mask_path, true);
    else restore_saved_mask();
    if (options_.extra_style) load_extra_style(*options_.extra_style, true);
    if (!state_.content.loaded() && !state_.style.loaded() && messages_.error_text().empty())
        show_error("No pictures: drop a content and a style picture here, or type their paths at the left.");
    if (!settings_.error.empty())  // beside a missing picture's message, not instead of it
        show_error((messages_.error_text().empty() ? "" : messages_.error_text() + "  ") +
                   "Settings: " + settings_.error);
    // Startup loads should not reorder the recent list the user built.
    if (!startup_recent_.empty()) state_.recent_files = startup_recent_;
    for (const std::string* p : {&state_.style.path, &state_.content.path}) remember_recent(state_.recent_files, *p);
    startup_recent_.clear();
}

// The command line's pictures, else the last session's, else the bundled ones, decoded on the
// loader's thread: the window is up at once and says what it is loading. A last picture that is
// gone is said in the window (the bundled one standing in would hide it otherwise).
void ViewerApp::load_startup_pictures() {
    const std::string bundled_content = assets_dir_.empty() ? "" : (assets_dir_ / "content.jpg").string();
    const std::string bundled_style = assets_dir_.empty() ? "" : (assets_dir_ / "style.jpg").string();
    auto plan = [&](StartupPicture& p, const std::optional<std::string>& given, const std::string& last,
                    const std::string& bundled) {
        p.given = given.has_value();
        if (given) {
            if (given->empty()) exit_code_ = 1;
            else p.tries = {absolute_path(*given)};
            return;
        }
        p.last_session = !last.empty();
        if (!last.empty()) p.tries.push_back(absolute_path(last));
        if (!bundled.empty()) p.tries.push_back(bundled);
    };
    plan(startup_[kContentPanel], options_.content_path, settings_.present ? settings_.loaded.content_path : "",
         bundled_content);
    plan(startup_[kStylePanel], options_.style_path, settings_.present ? settings_.loaded.style_path : "",
         bundled_style);
    std::string names;
    for (int panel : {kContentPanel, kStylePanel}) {
        const std::string name = request_startup_picture(panel);
        if (!name.empty()) names += (names.empty() ? "" : " and ") + name;
    }
    if (!names.empty()) show_info("Loading " + names + "\xE2\x80\xA6");
    if (!starting_up()) finish_startup();
}

bool ViewerApp::starting_up() const { return startup_[kContentPanel].pending || startup_[kStylePanel].pending; }

// Asks the loader for the next picture to try for `panel`; its file name, or "" when none is left.
std::string ViewerApp::request_startup_picture(int panel) {
    StartupPicture& p = startup_[panel];
    // A video opens here, as from the window (its reader decodes on its own thread).
    while (p.next < p.tries.size() && plays_as_video(panel == kContentPanel, p.tries[p.next])) {
        if (open_video_into(panel == kContentPanel, p.tries[p.next])) {
            p.next = p.tries.size();
            break;
        }
        if (p.given) exit_code_ = 1;
        ++p.next;
    }
    p.pending = p.next < p.tries.size();
    if (!p.pending) return "";
    loader_.request(kStartupTarget + panel, p.tries[p.next]);
    return file_name(p.tries[p.next]);
}

// A startup picture decoded (or not): shown, unless a picture opened from the window came first.
void ViewerApp::take_startup_picture(PictureLoader::Loaded& loaded) {
    const int panel = loaded.target - kStartupTarget;
    const bool content = panel == kContentPanel;
    StartupPicture& p = startup_[panel];
    const bool last_session = p.last_session && p.next == 0;
    ++p.next;
    if (loaded.image) {
        if (!p.superseded) apply_picture(content, loaded.path, std::move(*loaded.image));
        p.next = p.tries.size();
    } else if (last_session) {
        startup_gone_ += std::string(startup_gone_.empty() ? "" : "; ") + "the last " +
                         (content ? "content" : "style") + " picture " + loaded.path + " cannot be read (" +
                         file_reason(loaded.error, loaded.path) + ")";
    } else {
        show_error(picture_source(content),
                   std::string("Cannot load ") + (content ? "content" : "style") + " picture: " + loaded.error);
        if (p.given) exit_code_ = 1;
    }
    if (const std::string next = request_startup_picture(panel); !next.empty())
        show_info("Loading " + next + "\xE2\x80\xA6");
    if (!starting_up()) finish_startup();
}

// The mask painted in the last session, when it was painted on the same content picture.
void ViewerApp::restore_saved_mask() {
    if (!settings_.present || settings_.loaded.mask_content.empty() || settings_.dir.empty()) return;
    if (settings_.loaded.mask_content != state_.content.path) return;
    const std::filesystem::path file = settings_.dir / kMaskFileName;
    try {
        state_.mask.load(load_image(file));
        state_.mask_enabled = settings_.loaded.mask_enabled;
    } catch (const std::exception& e) {
        show_error(std::string("Cannot restore the last session's mask: ") + e.what());
    }
}

// From the window (Load, a recent file, a drop): decoded on the loader's thread; the old picture
// stays until the new one is in (apply_loaded_pictures).
void ViewerApp::load_later(bool content, const std::string& typed_path) {
    if (typed_path.empty()) return;
    const std::string path = absolute_path(typed_path);
    if (plays_as_video(content, path)) {
        open_video_into(content, path);
        return;
    }
    loader_.request(content ? kContentPanel : kStylePanel, path);
    show_info(picture_source(content), "Loading " + file_name(path) + "\xE2\x80\xA6");
}

void ViewerApp::apply_loaded_pictures() {
    for (PictureLoader::Loaded& loaded : loader_.take_finished()) {
        if (loaded.target == kMaskTarget || loaded.target == kExtraStyleTarget) {
            take_extra_picture(loaded);
            continue;
        }
        if (loaded.target >= kStartupTarget) {
            take_startup_picture(loaded);
            continue;
        }
        const bool content = loaded.target == kContentPanel;
        // A picture opened while the startup one still decodes wins over it.
        if (loaded.image) startup_[loaded.target].superseded = true;
        if (loaded.image) {
            apply_picture(content, loaded.path, std::move(*loaded.image));
            messages_.info(picture_source(content), "Loaded " + file_name(loaded.path));
        } else {
            // The "Loading" becomes the error, and the field shows again what the panel shows.
            show_error(picture_source(content),
                       std::string("Cannot load ") + (content ? "content" : "style") + " picture: " + loaded.error);
            const ImageSlot& shown = content ? state_.content : state_.style;
            set_path_field(content ? fields_.content_path : fields_.style_path, display_path(shown.path));
        }
    }
}

// A video goes to the content panel only; a picture loaded there later ends it.
bool ViewerApp::open_video_into(bool content, const std::string& path) {
    if (!content) {
        show_error(MessageSource::Style, "Cannot load style picture: " + path +
                                             ": a video cannot be the style (drop it on the content panel)");
        return false;
    }
    return open_video(path);
}

void ViewerApp::apply_picture(bool content, const std::string& path, Image image) {
    if (content && video_.active()) video_.close();
    ImageSlot& slot = content ? state_.content : state_.style;
    state_.set_image(slot, path, std::move(image));
    set_path_field(content ? fields_.content_path : fields_.style_path, display_path(path));
    // A new picture: what was said about the old one (or its failed successor) is stale.
    messages_.clear(picture_source(content));
    messages_.clear_error_starting_with("No pictures");
    update_title();
}

namespace {

// How a failed load of a mask or of the extra style begins.
const char* extra_failure(bool mask) { return mask ? "Cannot load mask" : "Cannot load the extra style"; }
MessageSource extra_source(bool mask) { return mask ? MessageSource::Mask : MessageSource::ExtraStyle; }

}  // namespace

void ViewerApp::load_extra_style(const std::string& typed_path, bool given) {
    request_extra_picture(kExtraStyleTarget, typed_path, given);
}

void ViewerApp::load_mask(const std::string& typed_path, bool given) {
    request_extra_picture(kMaskTarget, typed_path, given);
}

void ViewerApp::request_extra_picture(int target, const std::string& typed_path, bool given) {
    const bool mask = target == kMaskTarget;
    const std::string failure = extra_failure(mask);
    if (typed_path.empty()) {
        show_error(extra_source(mask),
                   failure + ": type the path of a picture first" + (mask ? " (white = stylized)" : "") + ".");
        if (given) exit_code_ = 1;
        return;
    }
    const std::string path = absolute_path(typed_path);
    loader_.request(target, path);
    extra_loads_[target] = {true, given};
    show_info(extra_source(mask), "Loading " + file_name(path) + "\xE2\x80\xA6");
}

// A mask or extra style decoded (or not): it replaces the old one, or the old one stays.
void ViewerApp::take_extra_picture(PictureLoader::Loaded& loaded) {
    const bool mask = loaded.target == kMaskTarget;
    ExtraLoad& load = extra_loads_[loaded.target];
    load.pending = false;
    const std::string failure = extra_failure(mask);
    if (!loaded.image) {
        // The "Loading" becomes the error; the field shows again what is in use.
        show_error(extra_source(mask), failure + ": " + loaded.error);
        set_path_field(mask ? fields_.mask_path : fields_.extra_style_path,
                       display_path(mask ? state_.mask_path : state_.extra_style.path));
        if (load.given) exit_code_ = 1;
        return;
    }
    messages_.info(extra_source(mask), "Loaded " + file_name(loaded.path));
    if (mask) {
        state_.mask.load(std::move(*loaded.image));
        state_.mask_enabled = true;
        state_.mask_path = loaded.path;
        set_path_field(fields_.mask_path, display_path(loaded.path));
    } else {
        state_.set_image(state_.extra_style, loaded.path, std::move(*loaded.image));
        set_path_field(fields_.extra_style_path, display_path(loaded.path));
    }
}

bool ViewerApp::loads_pending() const {
    for (const auto& [target, load] : extra_loads_)
        if (load.pending) return true;
    return starting_up();
}

void ViewerApp::save_mask_numbered() {
    state_.fit_mask();
    if (!state_.mask_enabled || !state_.mask.has_pixels()) {
        show_error("No mask to save: turn on \"Use mask\" and paint, or load a mask picture.");
        return;
    }
    try {
        const Image mask = state_.mask.to_image();
        const auto path = save_numbered_png(mask, export_folder(), "mask");
        state_.mask_path = path.string();
        set_path_field(fields_.mask_path, display_path(path.string()));
        show_info("Saved mask " + size_text(mask.width, mask.height) + " to " + path.string());
    } catch (const std::exception& e) {
        show_error(std::string("Cannot save the mask: ") + e.what());
    }
}

// Saves what the result panel shows, named as its caption names it; when it shows no valid
// result, or one that is not the current settings' yet, says why nothing was saved.
bool ViewerApp::result_to_save() {
    if (!pipeline_.has_result() && !pipeline_.failure().empty()) {
        show_error("Cannot save: no valid result (" + pipeline_.failure() + ")");
        return false;
    }
    if (!pipeline_.has_result()) {
        show_error(pipeline_.pending() ? "Cannot save yet: the result is still being computed."
                                       : "Nothing to save yet: load a content and a style picture first.");
        return false;
    }
    return true;
}

void ViewerApp::save_result_numbered() {
    if (!result_to_save()) return;
    try {
        const Image result = pipeline_.result_image();
        const std::string& label = method_by_name(pipeline_.shown_inputs()->method).info().label;
        const auto path = save_numbered_png(result, export_folder(), "stylized_output");
        show_info("Saved the " + label + " result " + size_text(result.width, result.height) + " to " + path.string());
    } catch (const std::exception& e) {
        show_error(std::string("Cannot save the result: ") + e.what());
    }
}

bool ViewerApp::save_result_as(const std::string& typed_path) {
    if (typed_path.empty()) {
        show_error("Cannot save: type a file name in \"Save as\" first (or choose one with \xE2\x80\xA6).");
        return false;
    }
    if (!result_to_save()) return false;
    std::filesystem::path path = absolute_path(typed_path);
    if (!path.has_extension()) path += ".png";
    const std::pair<const char*, const std::string*> inputs[] = {{"the content picture", &state_.content.path},
                                                                 {"the style picture", &state_.style.path},
                                                                 {"the extra style", &state_.extra_style.path},
                                                                 {"the mask", &state_.mask_path}};
    for (const auto& [what, input] : inputs)
        if (!input->empty() && same_file(path, *input)) {
            show_error("Cannot save over " + std::string(what) + " (" + path.string() + "): choose another name.");
            return false;
        }
    try {
        const Image result = pipeline_.result_image();
        const std::string& label = method_by_name(pipeline_.shown_inputs()->method).info().label;
        save_image(result, path);  // atomic: the old file stays whole until the new one is complete
        set_path_field(fields_.save_as_path, display_path(path.string()));
        show_info("Saved the " + label + " result " + size_text(result.width, result.height) + " to " + path.string());
        return true;
    } catch (const std::exception& e) {
        show_error(std::string("Cannot save the result: ") + e.what());
        return false;
    }
}

void ViewerApp::capture_screenshot_numbered() {
    screenshot_requested_ = false;
    int w = 0, h = 0;
    window_->framebuffer_size(w, h);
    try {
        const auto path = save_numbered_png(display::read_framebuffer(w, h), export_folder(), "screenshot");
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
            save_image(display::read_framebuffer(w, h), options_.screenshot_path);
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

void ViewerApp::save_settings() {
    if (settings_.dir.empty()) return;
    if (!settings_.writable) {
        std::fprintf(stderr, "neuraltransfer-viewer: settings not saved: %s\n", settings_.error.c_str());
        return;
    }
    ViewerSettings s;
    s.content_path = state_.content.path;
    s.style_path = state_.style.path;
    s.controls = state_.controls;
    s.recent_files = state_.recent_files;
    s.wipe_enabled = toggles_.wipe;
    s.mask_overlay = toggles_.mask_overlay;
    s.show_ui = show_ui_;
    s.export_dir = folders_.exports.string();
    // The folder chosen in the window (now or before); a --models of this run is not made the default.
    s.models_dir = folders_.chosen_models;
    window_->window_size(s.window_width, s.window_height);
    try {
        save_mask_beside_settings(s);
    } catch (const std::exception& e) {  // the settings are still saved, without the mask
        std::fprintf(stderr, "neuraltransfer-viewer: cannot keep the mask: %s\n", e.what());
    }
    try {
        save_settings_file(settings_.dir / kSettingsFileName, s);
        std::size_t size = 0;
        const char* ini = ImGui::SaveIniSettingsToMemory(&size);
        if (settings_.layout_writable)
            write_text_file_atomically(settings_.dir / kImGuiLayoutFileName, std::string(ini, size));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "neuraltransfer-viewer: cannot save settings: %s\n", e.what());
    }
}

// The painted mask survives a quit: its grey levels beside the settings, for this content. A
// mask that is all black (nothing painted) is not worth keeping: the entry is left empty.
void ViewerApp::save_mask_beside_settings(ViewerSettings& s) {
    const MaskCanvas& mask = state_.mask;
    if (!mask.has_pixels() || !state_.content.loaded()) return;
    const auto& v = mask.values();
    if (std::all_of(v.begin(), v.end(), [](float x) { return x <= 0.0f; })) return;
    std::error_code ec;
    std::filesystem::create_directories(settings_.dir, ec);
    save_image(mask.to_image(), settings_.dir / kMaskFileName);  // atomic: never a partial file
    s.mask_content = state_.content.path;
    s.mask_enabled = state_.mask_enabled;
}

std::filesystem::path ViewerApp::export_folder() const {
    return folders_.exports.empty() ? std::filesystem::current_path() : folders_.exports;
}

void ViewerApp::open_file_dialog(Browse what) {
    using Kind = FileDialog::Kind;
    const bool folder = what == Browse::ModelsFolder || what == Browse::ExportFolder;
    const char* titles[] = {"Content picture", "Style picture", "Extra style picture", "Mask picture",
                            "Models folder",   "Export folder", "Save the result as"};
    std::string start = export_folder().string() + "/";
    if (what == Browse::SaveResultAs) {
        if (!result_to_save()) return;  // before a dialog whose choice could not be saved
        start = fields_.save_as_path[0] ? absolute_path(fields_.save_as_path.data())
                                        : (export_folder() / "stylized_output.png").string();
    }
    if (what == Browse::Content && state_.content.loaded()) start = state_.content.path;
    if (what == Browse::Style && state_.style.loaded()) start = state_.style.path;
    if (what == Browse::ModelsFolder) start = folders_.models.string() + "/";
    const Kind kind = what == Browse::SaveResultAs ? Kind::SavePicture
                      : folder                     ? Kind::ChooseFolder
                                                   : Kind::OpenPicture;
    if (file_dialog_.open(static_cast<int>(what), kind, titles[static_cast<int>(what)], start)) return;
    if (!file_dialog_.program().empty()) show_error("A file dialog is already open.");
    else if (what == Browse::SaveResultAs)
        show_error(
            "No file dialog: install zenity (GTK) or kdialog, or type a file name in \"Save as\" and press Enter.");
    else show_error("No file dialog: install zenity (GTK) or kdialog, or type the path.");
}

void ViewerApp::apply_file_dialog_choice() {
    const std::optional<FileDialog::Chosen> chosen = file_dialog_.take();
    if (!chosen) return;
    switch (static_cast<Browse>(chosen->purpose)) {
        case Browse::Content: load_later(true, chosen->path); break;
        case Browse::Style: load_later(false, chosen->path); break;
        case Browse::ExtraStyle: load_extra_style(chosen->path); break;
        case Browse::Mask: load_mask(chosen->path); break;
        case Browse::ModelsFolder:
            folders_.chosen_models = chosen->path;
            use_models_folder(chosen->path);
            show_info("Models from " + chosen->path);
            break;
        case Browse::ExportFolder:
            folders_.exports = chosen->path;
            show_info("Exports go to " + chosen->path);
            break;
        case Browse::SaveResultAs: save_result_as(chosen->path); break;
    }
}

// Scans a models folder and gives it to the workers (a running job of the old folder ends).
void ViewerApp::use_models_folder(const std::filesystem::path& dir) {
    folders_.models = dir;
    pipeline_.set_models(scan_models(dir), [] { glfwPostEmptyEvent(); });
    segmentation_.set_models(pipeline_.neural_worker()->library(), [] { glfwPostEmptyEvent(); });
    fields_.models_dir = display_path(std::filesystem::absolute(dir).lexically_normal().string());
    forget_models_not_in_folder();
}

// A model remembered from the last session or another folder that this folder lacks falls back
// to this folder's first good one (the model picker chooses it), instead of an error; so does the
// segmentation model (to the folder's first). A model
// named on the command line (applied after this) stays, and its absence is an error.
void ViewerApp::forget_models_not_in_folder() {
    const NeuralWorker* worker = pipeline_.neural_worker();
    if (!worker) return;
    for (auto it = state_.controls.models.begin(); it != state_.controls.models.end();) {
        const Method* method = find_method(it->first);
        const bool kept =
            method && method->info().model_kind && worker->library().find(*method->info().model_kind, it->second);
        it = kept ? std::next(it) : state_.controls.models.erase(it);
    }
    std::string& segmentation = state_.controls.segmentation_model;
    segmentation = chosen_segmentation_model(worker->library().segmenters, segmentation);
}

}  // namespace nt::viewer
