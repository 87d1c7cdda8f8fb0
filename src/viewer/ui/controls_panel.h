#pragma once
// The controls sidebar: pictures (path field, Load, recent files), the method and its parameters
// (built from the method registry), colour and mask tools, working size, device, view and export
// buttons. It edits the
// control values in place and returns what else the user asked for; the app carries that out.
#include <array>
#include <map>
#include <optional>
#include <string>

#include "nets/model_library.h"
#include "viewer/state/canvas_view.h"
#include "viewer/ui/inspect_view.h"
#include "viewer/pipeline/full_size_export.h"
#include "viewer/pipeline/neural_worker.h"
#include "viewer/ui/video_panel.h"
#include "viewer/state/viewer_state.h"

namespace nt::viewer {

class SegmentationMasks;

// A number field that commits on Enter or when it loses focus, not per keystroke: what is typed
// lives here until then.
struct NumberFieldEdit {
    int value = 0;
    bool editing = false;
};

// Text fields that outlive a frame.
struct ControlsPanelState {
    std::array<char, 1024> content_path{};
    std::array<char, 1024> style_path{};
    std::array<char, 1024> mask_path{};
    std::array<char, 1024> extra_style_path{};
    std::array<char, 1024> save_as_path{};        // "Save as": the file the result goes to
    NumberFieldEdit custom_width, custom_height;  // the custom working size's W and H
    int focus_size_field = -1;                    // Tab was pressed in one: 0 W, 1 H takes the keyboard next frame
    // Set by the app: whether the desktop's file chooser can be opened, and the folders shown.
    bool file_dialog = false;
    const char* editing_path = nullptr;  // the path field being typed in (it shows its whole text)
    std::string export_dir;              // where exports go ("" = the current folder)
    std::string models_dir;
};

// What a "…" button asks the desktop's file chooser for.
enum class Browse { Content, Style, ExtraStyle, Mask, ModelsFolder, ExportFolder, SaveResultAs };
void set_path_field(std::array<char, 1024>& field, const std::string& path);
// A path field (Enter returns true) that shows the end of a long path, the file name, while it
// is not being edited, and the whole path once clicked.
bool path_field(ControlsPanelState& fields, std::array<char, 1024>& field, const char* hint);
// The "…" button that opens the desktop's file dialog (disabled, saying why, without one).
bool browse_button(const ControlsPanelState& fields, const char* id);

struct ControlsActions {
    // Control values are edited in place; the pipeline notices what changed by comparing its
    // stage keys (stage_keys.h), so nothing here says "recompute".
    std::optional<std::string> load_content;
    std::optional<std::string> load_style;
    std::optional<std::string> load_extra_style;  // AdaIN's extra style
    bool clear_extra_style = false;
    bool swap = false;
    bool reset = false;
    bool fit = false;
    bool one_to_one = false;
    bool save_result = false;
    std::optional<std::string> save_result_as;  // Enter in the "Save as" field: that file
    bool screenshot = false;
    bool export_full_size = false;  // start the full-size export (export_panel.h)
    bool cancel_full_size = false;  // cancel the running one
    bool show_help = false;
    // Mask tools; the app carries them out (they need the working size and the file system).
    std::optional<std::string> load_mask;
    bool save_mask = false;
    bool clear_mask = false;
    bool invert_mask = false;
    bool undo_mask = false;  // Ctrl+Z / Ctrl+Shift+Z, or the buttons
    bool redo_mask = false;
    // Iterative methods (viewer/ui/iterative_panel.h).
    bool restart = false;
    std::optional<bool> pause;  // hold (true) or resume (false) the running job
    // Masks from segmentation: find the objects; the chosen classes changed.
    bool segment = false;
    bool segmentation_mask = false;
    std::optional<Browse> browse;  // open the file chooser for this
    // A typed working size that was refused (beyond the limits): the app shows why.
    std::optional<std::string> size_error;
    VideoActions video;  // the VIDEO section's buttons (and its keys)
};

struct ViewToggles {
    bool wipe = false;
    bool paint_mask = false;   // the brush owns left/right drags on the content panel (M)
    bool erase = false;        // left drag erases instead of painting (X)
    bool mask_overlay = true;  // tint the content panel where the mask is set
    InspectView inspect;       // difference, channels, A/B flip, histograms (views_panel.h)
};

// What the method section shows about neural methods.
struct NeuralPanelInfo {
    const ModelLibrary* library = nullptr;              // nullptr: no models were set up
    bool computing = false;                             // a job for the current inputs is running
    float progress = -1.0f;                             // 0..1, negative when unknown
    double elapsed_ms = 0.0;                            // since the job was submitted
    bool preview = false;                               // the result shown is a preview
    NeuralStatus status;                                // the running job's steps, stage and times
    SegmentationMasks* segmentation = nullptr;          // "Mask from segmentation" (viewer/ui/segmentation_panel.h)
    bool can_undo_mask = false, can_redo_mask = false;  // the mask's Undo / Redo buttons
    const VideoPanelInfo* video = nullptr;              // the content is a live video: its section is shown
    FullSizeStatus full_size;                           // the full-size export's progress (export_panel.h)
};

// Draws the sidebar at the left edge between `top` and `bottom`; returns its width in points.
// `rects` receives named widget rectangles for --report.
// Sets state.interacting while a slider of the method or the feather is held.
ControlsActions draw_controls_panel(ViewerState& state, ControlsPanelState& fields, ViewToggles& toggles, float top,
                                    float bottom, float& width, std::map<std::string, Rect>& rects,
                                    const NeuralPanelInfo& neural = {});

}  // namespace nt::viewer
