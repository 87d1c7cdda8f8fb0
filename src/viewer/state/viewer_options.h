#pragma once
// The viewer's command line: optional pictures, a value for every control, and the automation
// options used by tests and demos (--frames, --screenshot, --save-result, --no-settings).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "viewer/state/viewer_state.h"

namespace nt::viewer {

struct ViewerOptions {
    std::optional<std::string> content_path;
    std::optional<std::string> style_path;
    std::optional<std::string> method;
    std::vector<std::pair<std::string, double>> params;  // --param name=value and --alpha, in order
    std::optional<std::string> size;
    std::optional<std::string> device;
    std::optional<std::string> precision;
    bool preserve_colors = false;              // --preserve-colors (only turns it on; settings may have it on)
    std::optional<double> feather_px;          // --feather PX, checked with nt::check_feather
    std::optional<std::string> mask_path;      // --mask FILE: loaded by the app, an unreadable file is an error
    std::string models_dir;                    // --models DIR (empty: core resolve_models_dir's default)
    std::optional<std::string> model;          // --model NAME: the model of fast_style / torchscript
    std::optional<std::string> extra_style;    // --extra-style FILE: AdaIN's extra style, loaded by the app
    std::optional<double> extra_style_weight;  // --style-weights W1,W2: W2 / (W1 + W2)
    std::int64_t memory_budget = 0;            // --memory SIZE: Export full size's budget (0: the core's default)
    int frames = 0;                            // > 0: render this many frames, then exit
    int benchmark_frames = 0;                  // > 0: benchmark mode (frame_benchmark.h), then exit
    bool benchmark_drag = false;               // ... with the slider held: neural methods show their previews
    std::string screenshot_path;               // after the last frame
    std::string save_result_path;              // after the last frame
    std::string report_path;                   // test hook: panel and widget rectangles after each frame
    int window_width = 0;                      // 0: from the settings, else 1280x720
    int window_height = 0;
    bool no_settings = false;
    bool video_paused = false;       // --video-paused: a video opens paused on its first frame
    bool video_every_frame = false;  // --every-frame: the source waits for the stylizer, no drops
    bool record = false;             // --record: record the result from the first frame
    bool show_help = false;
    bool show_version = false;
};

// Throws nt::Error naming the option for unknown options, missing or malformed values.
ViewerOptions parse_viewer_options(int argc, const char* const* argv);

// Applies --method, --param/--alpha, --size, --device, --preserve-colors and --feather to `controls`. Throws nt::Error for an
// unknown method or parameter, a value out of range, a malformed size or an unknown device.
void apply_control_options(const ViewerOptions& options, ControlValues& controls);

std::string viewer_usage();

}  // namespace nt::viewer
