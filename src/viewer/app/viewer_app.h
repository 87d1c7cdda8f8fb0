#pragma once
// The viewer application: owns the window, the state, the compute pipeline and the textures,
// and runs Dear ImGui's frame loop. An idle viewer sleeps in glfwWaitEventsTimeout; a frame only
// recomputes when an input or control changed, and shows the new result in that same frame.
#include <array>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "viewer/state/action_registry.h"
#include "viewer/app/app_window.h"
#include "viewer/ui/controls_panel.h"
#include "display/panel_display.h"
#include "viewer/io/file_dialog.h"
#include "viewer/ui/image_canvas.h"
#include "viewer/state/messages.h"
#include "viewer/io/picture_loader.h"
#include "viewer/state/settings.h"
#include "viewer/pipeline/full_size_export.h"
#include "viewer/pipeline/segmentation_masks.h"
#include "viewer/pipeline/stylize_pipeline.h"
#include "viewer/state/viewer_options.h"
#include "viewer/state/viewer_state.h"
#include "viewer/video/video_session.h"

namespace nt::viewer {

class ViewerApp {
public:
    // `assets_dir`: the bundled pictures used when neither the command line nor the settings
    // name any (may be empty).
    ViewerApp(ViewerOptions options, std::filesystem::path assets_dir);
    ~ViewerApp();
    // Runs until the window closes (or --frames are done). Returns the process exit code:
    // 0, or 1 when something asked for on the command line failed.
    int run();

private:
    int run_benchmark();
    int run_video_benchmark();  // app_video.cpp
    using Clock = std::chrono::steady_clock;
    static double ms_since(Clock::time_point start) {
        return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    }

    // File I/O (app_files.cpp).
    void read_settings_files(std::string& imgui_ini);
    void load_startup_state();
    void load_startup_pictures();
    // The startup pictures decode on the loader's thread (targets kStartupTarget + panel) while
    // the window draws; what depends on them (the mask, the messages, --frames) waits for them.
    std::string request_startup_picture(int panel);
    void take_startup_picture(PictureLoader::Loaded& loaded);
    void finish_startup();
    bool starting_up() const;
    void restore_from_settings(const ViewerSettings& s);
    void load_later(bool content, const std::string& path);
    void apply_loaded_pictures();
    void apply_picture(bool content, const std::string& path, Image image);
    // A mask or AdaIN's extra style, decoded on the loader's thread (the old one stays until the
    // new one is in; a failure is shown then). `given`: named on the command line, so a failure
    // is the exit code.
    void load_mask(const std::string& path, bool given = false);
    void load_extra_style(const std::string& path, bool given = false);
    void request_extra_picture(int target, const std::string& typed_path, bool given);
    void take_extra_picture(PictureLoader::Loaded& loaded);
    // Startup pictures, or a mask or extra style, still decoding (automation waits for them).
    bool loads_pending() const;
    void restore_saved_mask();
    void save_mask_numbered();
    void save_result_numbered();
    // Saves the result to `typed_path` (the "Save as" field or the desktop's dialog), refusing
    // to replace an input picture; false: nothing was written (the message says why).
    bool save_result_as(const std::string& typed_path);
    // Whether the panel shows a result that can be saved; else says why not.
    bool result_to_save();
    void capture_screenshot_numbered();
    // "Export full size" (app_export.cpp): the current settings at the content's own resolution on
    // the export thread; its outcome (written, cancelled, refused) becomes a message.
    void export_full_size();
    void cancel_full_size_export();
    void take_full_size_outcome();
    void finish_automation();
    void save_settings();
    void save_mask_beside_settings(ViewerSettings& s);
    // The desktop's file dialog (app_files.cpp): opened for a button, its choice carried out.
    void open_file_dialog(Browse what);
    void apply_file_dialog_choice();
    void use_models_folder(const std::filesystem::path& dir);
    std::filesystem::path export_folder() const;

    // Live video as the content (app_video.cpp).
    bool open_video(const std::string& path);  // false: error shown, the old content kept
    bool open_video_into(bool content, const std::string& path);
    void poll_video();
    void video_result_shown();
    void handle_video_actions(const VideoActions& a);
    void toggle_recording();
    VideoPanelInfo video_panel_info() const;
    std::string video_status_text() const;
    void draw_recording_indicator(const Rect& canvas_area);

    // Actions (app_actions.cpp).
    void handle_events(const WindowEvents& events);
    void perform(Action action);
    void handle_actions(const ControlsActions& a);
    void apply_strokes();
    void recompute();

    // Drawing (viewer_app.cpp: the frame; app_draw.cpp: its parts).
    void frame();
    void draw_controls(float top, float bottom);
    void draw_panels(const Rect& canvas_area);
    std::array<PanelContent, kPanelCount> panel_contents(const Rect& canvas_area);
    PixelView result_pixels(const Rect& canvas_area);
    void update_mask_overlay();
    // The inspection views (app_views.cpp): the A/B key's state, the histograms shown.
    void update_inspect_view();
    void attach_histograms(std::array<PanelContent, kPanelCount>& panels);
    void draw_message_bar(const Rect& bar);
    void draw_status_bar(float height);
    void draw_hidden_ui_hint();
    void write_report();
    void show_error(const std::string& text) { show_error(MessageSource::General, text); }
    void show_info(const std::string& text) { show_info(MessageSource::General, text); }
    // A message about one source: it replaces what was said of that source before.
    void show_error(MessageSource source, const std::string& text);
    void show_info(MessageSource source, const std::string& text);
    std::string scaled_note(display::Picture which);  // app_draw.cpp
    void forget_models_not_in_folder();               // app_files.cpp
    static MessageSource picture_source(bool content) {
        return content ? MessageSource::Content : MessageSource::Style;
    }
    void update_title();

    ViewerOptions options_;
    std::filesystem::path assets_dir_;
    struct SettingsFiles {
        std::filesystem::path dir;    // empty with --no-settings or without $HOME
        std::string error;            // a problem with the settings files, shown once the window is up
        bool writable = true;         // false: a bad file could not be kept, so it is not overwritten
        bool layout_writable = true;  // the same for imgui.ini
        ViewerSettings loaded;
        bool present = false;  // `loaded` came from a file
    } settings_;

    static constexpr int kStartupTarget = 100;  // the loader's targets of startup pictures: + the panel
    struct StartupPicture {
        std::vector<std::string> tries;  // the command line's; else the last session's, then the bundled one
        std::size_t next = 0;            // the one being decoded
        bool given = false;              // named on the command line: failing it is the exit code
        bool last_session = false;       // tries[0] is the last session's picture
        bool pending = false;            // still decoding one of them
        bool superseded = false;         // a picture opened from the window came first
    };
    std::array<StartupPicture, 2> startup_;
    // The loader's targets of a mask and of AdaIN's extra style, and whether each is decoding
    // (and was named on the command line).
    static constexpr int kMaskTarget = 200, kExtraStyleTarget = 201;
    struct ExtraLoad {
        bool pending = false;
        bool given = false;
    };
    std::map<int, ExtraLoad> extra_loads_;
    std::string startup_gone_;                 // last-session pictures that cannot be read
    std::vector<std::string> startup_recent_;  // the recent list before the startup loads

    std::unique_ptr<AppWindow> window_;
    // After the window: destroyed (cancelled and joined) before it, so its wake-up never posts
    // to a window that is gone.
    FullSizeExport full_size_;
    ViewerState state_;
    StylizePipeline pipeline_;
    SegmentationMasks segmentation_;
    PictureLoader loader_;           // pictures opened from the window, decoded off this thread
    VideoSession video_;             // a video or camera as the content, and its recording
    std::string video_error_shown_;  // the source's failure already put in the message bar
    FileDialog file_dialog_;
    struct Folders {
        std::filesystem::path exports;  // empty: the current folder
        std::filesystem::path models;   // the folder the models were scanned from
        std::string chosen_models;      // chosen in the window (now or in a past run): remembered
    } folders_;
    display::PanelDisplay display_;  // the panels' textures, their upload and the panel shader
    std::array<HistogramCache, kPanelCount> histograms_;
    CanvasState canvas_;
    ControlsPanelState fields_;
    ViewToggles toggles_;
    std::map<std::string, Rect> widget_rects_;
    float sidebar_width_ = 0;

    bool show_ui_ = true;
    bool show_help_ = false;
    bool screenshot_requested_ = false;
    bool result_changed_ = false;        // this frame uploaded a new result
    bool benchmark_dragging_ = false;    // --benchmark-drag: the slider counts as held
    Clock::time_point pending_since_{};  // when the running neural job was submitted
    int exit_code_ = 0;
    int frames_rendered_ = 0;

    PanelContent drawn_result_;  // what the result panel showed in the last frame (--report)

    Messages messages_;  // the message bar's error and confirmation

    // What the status bar, --report and --benchmark say about the last frames.
    struct FrameStats {
        double compute_ms = 0, upload_ms = 0, frame_ms = 0;  // this thread's, per frame
        double network_ms = 0;                               // the last worker result's time on the worker
        std::string network_precision;                       // ... and the number format it computed in
        std::string network_method;                    // ... and the method it ran (shown only while that is chosen)
        int neural_results = 0;                        // results received from the worker
        double arrival_ms = 0, arrival_upload_ms = 0;  // this thread's time in the frame the last one arrived
        int estimates_shown = 0;                       // intermediate estimates of iterative methods put on screen
        int recomputes = 0;                            // pipeline runs that changed something (benchmark's idle check)
        bool progress_shown = false;                   // the last drawn controls said "computing"
    } stats_;
    std::string last_report_;
};

}  // namespace nt::viewer
