#include "viewer/state/viewer_options.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "base/error.h"
#include "image/mask.h"
#include "stylize/memory_budget.h"
#include "stylize/registry.h"

namespace nt::viewer {

namespace {

double parse_number(const std::string& option, const std::string& text) {
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || !std::isfinite(v)) throw Error(option + " " + text, "expected a number");
    return v;
}

int parse_positive(const std::string& option, const std::string& text, int max_value) {
    char* end = nullptr;
    errno = 0;
    const long v = std::strtol(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || errno != 0 || v < 1 || v > max_value)
        throw Error(option + " " + text, "expected a whole number from 1 to " + std::to_string(max_value));
    return static_cast<int>(v);
}

}  // namespace

ViewerOptions parse_viewer_options(int argc, const char* const* argv) {
    ViewerOptions o;
    std::vector<std::string> positional;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw Error(arg, "needs a value");
            return argv[++i];
        };
        if (arg == "-h" || arg == "--help") o.show_help = true;
        else if (arg == "--version") o.show_version = true;
        else if (arg == "--method") o.method = value();
        else if (arg == "--alpha") o.params.emplace_back("alpha", parse_number(arg, value()));
        else if (arg == "--param") {
            const std::string kv = value();
            const auto eq = kv.find('=');
            if (eq == std::string::npos || eq == 0) throw Error("--param " + kv, "expected NAME=VALUE");
            o.params.emplace_back(kv.substr(0, eq), parse_number("--param " + kv.substr(0, eq), kv.substr(eq + 1)));
        } else if (arg == "--size") {
            o.size = value();
            parse_size_spec(*o.size);  // a malformed or too large size is a usage error (exit 2)
        } else if (arg == "--device") o.device = value();
        else if (arg == "--precision") {
            o.precision = value();
            parse_precision(*o.precision);  // an unknown name is a usage error (exit 2)
        } else if (arg == "--memory") o.memory_budget = parse_memory_size(value());  // as the CLI's
        else if (arg == "--preserve-colors") o.preserve_colors = true;
        else if (arg == "--mask") {
            o.mask_path = value();
            if (o.mask_path->empty()) throw Error(arg, "mask path is empty");
        } else if (arg == "--feather") {
            o.feather_px = parse_number(arg, value());
            check_feather(*o.feather_px);  // "--feather X: ..." like the command line
        } else if (arg == "--models") {
            o.models_dir = value();
            if (o.models_dir.empty()) throw Error(arg, "models folder is empty");
        } else if (arg == "--extra-style") {
            o.extra_style = value();
            if (o.extra_style->empty()) throw Error(arg, "style path is empty");
        } else if (arg == "--style-weights") {
            const std::string text = value();
            const auto comma = text.find(',');
            if (comma == std::string::npos) throw Error("--style-weights " + text, "expected two weights, W1,W2");
            const double w1 = parse_number(arg, text.substr(0, comma)), w2 = parse_number(arg, text.substr(comma + 1));
            if (!(w1 >= 0 && w2 >= 0 && w1 + w2 > 0) || !std::isfinite(w1 + w2))
                throw Error("--style-weights " + text, "weights must be numbers >= 0, not both 0");
            o.extra_style_weight = w2 / (w1 + w2);
        } else if (arg == "--model") {
            o.model = value();
            if (o.model->empty()) throw Error(arg, "model name is empty");
        } else if (arg == "--frames") o.frames = parse_positive(arg, value(), 100000000);
        else if (arg == "--benchmark") o.benchmark_frames = parse_positive(arg, value(), 1000000);
        else if (arg == "--benchmark-drag") o.benchmark_drag = true;
        else if (arg == "--screenshot") o.screenshot_path = value();
        else if (arg == "--save-result") o.save_result_path = value();
        else if (arg == "--report") o.report_path = value();
        else if (arg == "--width") o.window_width = parse_positive(arg, value(), 16384);
        else if (arg == "--height") o.window_height = parse_positive(arg, value(), 16384);
        else if (arg == "--no-settings") o.no_settings = true;
        else if (arg == "--video-paused") o.video_paused = true;
        else if (arg == "--every-frame") o.video_every_frame = true;
        else if (arg == "--record") o.record = true;
        else if (arg.size() > 1 && arg[0] == '-') throw Error(arg, "unknown option (see --help)");
        else positional.push_back(arg);
    }
    if (positional.size() > 2) throw Error(positional[2], "too many pictures: expected [CONTENT] [STYLE]");
    if (!positional.empty()) o.content_path = positional[0];
    if (positional.size() > 1) o.style_path = positional[1];
    return o;
}

void apply_control_options(const ViewerOptions& o, ControlValues& controls) {
    if (o.method) {
        method_by_name(*o.method);  // throws listing the known names
        controls.method = *o.method;
    }
    if (o.model) {
        // --model alone picks fast_style, as on the command line.
        if (!o.method) controls.method = method_for_model(*o.model).info().name;
        const MethodInfo& info = current_method_info(controls);
        if (!info.model_kind) throw Error("--model " + *o.model, "method " + info.name + " takes no model");
        controls.models[info.name] = *o.model;
    }
    if (o.size) set_size_spec(controls, parse_size_spec(*o.size));
    if (o.device) {
        const DeviceChoice d = parse_device_choice(*o.device);
        if (d == DeviceChoice::Cuda) resolve_device(d);  // throws with the reason when unavailable
        controls.device = d == DeviceChoice::Auto ? (cuda_available() ? DeviceChoice::Cuda : DeviceChoice::Cpu) : d;
    }
    if (o.precision) {
        const Precision p = parse_precision(*o.precision);
        network_dtype(p, resolve_device(controls.device));  // bf16 without CPU support: refused
        controls.precision = p;
    }
    if (o.preserve_colors) controls.preserve_colors = true;
    if (o.extra_style_weight) controls.extra_style_weight = *o.extra_style_weight;
    if (o.feather_px) controls.feather_px = *o.feather_px;
    if (o.params.empty()) return;
    const MethodInfo& info = current_method_info(controls);
    ParamValues values = current_params(controls);
    for (const auto& [name, value] : o.params) values[name] = value;
    controls.params[info.name] = resolve_params(info, values);  // throws naming a bad parameter
}

std::string viewer_usage() {
    return R"(Usage: neuraltransfer-viewer [CONTENT] [STYLE] [options]

Interactive viewer: content, style and result side by side, recomputed as you move the controls.
Without pictures it opens the last ones (or the bundled assets/content.jpg and assets/style.jpg).
CONTENT may be a video (.mp4 .m4v .mkv .webm .mov .avi) or a camera (/dev/video0): it plays as
the content and each frame is stylized as it comes (Space plays / pauses, Ctrl+R records).

Controls:
  --method NAME          stylization method (default: blend)
  --alpha A              style strength, 0..1 (blend; default 0.4)
  --param NAME=VALUE     any parameter of the method (repeatable)
  --model NAME           the model of --method fast_style or torchscript (alone: fast_style)
  --extra-style FILE     AdaIN: an extra style, mixed with the first (or on the mask's black)
  --style-weights W1,W2  AdaIN: the two styles' weights (default 1,1)
  --models DIR           the models folder (default: $NEURALTRANSFER_MODELS, ./models, the checkout's)
  --size SPEC            working size: 512 (square), WxH, long:N or original
  --device cpu|cuda|auto where tensors live (default cpu)
  --precision auto|fp32|bf16  the networks' number format (default auto: bf16 on CPUs with native bf16)
  --preserve-colors      keep the content's colours (the result's luminance, the content's chroma)
  --mask FILE            where the style applies: a picture read as grey levels, white = stylized,
                         resized to the working size; it can be painted over in the window
  --feather PX           soften the mask's edges: Gaussian blur of PX working pixels (0..500)
  --memory SIZE          the memory budget of Export full size (Ctrl+E), e.g. 4G, as the CLI's
                         --memory (default: 80 % of the memory available)

Live video (CONTENT a video or a camera):
  --video-paused         open it paused on its first frame
  --every-frame          stylize every frame, slower than real time when the method cannot keep
                         up (default: the newest frame wins, the others are dropped)
  --record               start recording the result at once (recording_NNNN.mp4)

Window and automation:
  --width W --height H   window size in screen points (default 1280x720)
  --frames N             render N frames, then exit (non-zero when anything failed)
  --benchmark N          change the first parameter before each of N frames, print per-stage
                         medians and the control-to-screen latency, check idle frames, exit
  --benchmark-drag       ... with the slider held throughout (a neural method's preview)
  --screenshot FILE      save the window after the last frame (PNG/JPEG/BMP/TGA by extension)
  --save-result FILE     save the result at working resolution after the last frame
  --no-settings          neither read nor write the settings file and the window layout
  --report FILE          write panel and widget rectangles after each frame (for tests)
  -h, --help             this text
  --version              print the version

Settings: $XDG_CONFIG_HOME/neuraltransfer/viewer.conf (default ~/.config/neuraltransfer/).
Press H or ? in the window for the keyboard shortcuts.
)";
}

}  // namespace nt::viewer
