#include "cli/cli_options.h"

#include <cerrno>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <optional>
#include <sstream>
#include <vector>

#include "base/error.h"
#include "imageio/atomic_file.h"
#include "nets/vgg19.h"
#include "base/limits.h"
#include "image/mask.h"
#include "stylize/memory_budget.h"
#include "base/version.h"
#include "stylize/registry.h"

namespace nt {

namespace {

// The names of the methods that take more than one style picture, for error messages.
std::string multi_style_methods() {
    std::string names;
    for (const auto& m : method_registry())
        if (m->info().max_styles >= 2) names += (names.empty() ? "" : ", ") + m->info().name;
    return names.empty() ? "no methods" : names;
}

// "a,b,c" -> {"a", "b", "c"}, empty items dropped.
std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> items;
    std::stringstream in(text);
    for (std::string item; std::getline(in, item, ',');)
        if (!item.empty()) items.push_back(item);
    return items;
}

// "relu1_1,relu3_1": VGG-19 layer names for --style-layers, each checked, none repeated.
std::vector<std::string> parse_layer_list(const std::string& text) {
    std::vector<std::string> layers;
    for (const std::string& name : split_list(text)) {
        vgg_relu_index(name);  // throws naming the layers there are
        if (std::find(layers.begin(), layers.end(), name) != layers.end())
            throw Error("--style-layers " + text, name + " is listed twice");
        layers.push_back(name);
    }
    if (layers.empty()) throw Error("--style-layers", "expected layer names, e.g. relu1_1,relu2_1,relu3_1");
    return layers;
}

double parse_number(const std::string& option, const std::string& text) {
    if (text.empty()) throw Error(option, "expected a number, got an empty value");
    char* end = nullptr;
    errno = 0;
    const double value = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size() || errno == ERANGE) throw Error(option + " " + text, "expected a number");
    return value;
}

int parse_quality(const std::string& text) {
    const double q = parse_number("--quality", text);
    if (!(q >= 1 && q <= 100) || q != std::floor(q))
        throw Error("--quality " + text, "JPEG quality must be a whole number from 1 to 100");
    return int(q);
}

// The options that only some methods take (models, several styles, style layers), checked
// against the method's declarations.
void check_method_options(const CliOptions& o, const MethodInfo& info) {
    if (info.needs_model && !info.uses_style && o.stylize.model.empty())
        throw Error("--method " + info.name, "needs --model NAME (see --list-models)");
    if (!o.stylize.model.empty() && !info.model_kind)
        throw Error("--model " + o.stylize.model, "method " + info.name + " takes no model");
    if (info.max_styles < 2 && (!o.extra_styles.empty() || !o.stylize.style_weights.empty()))
        throw Error(o.extra_styles.empty() ? "--style-weights" : "--extra-style",
                    "method " + info.name +
                        " takes one style picture (methods that mix several: " + multi_style_methods() + ")");
    if (1 + int(o.extra_styles.size()) > info.max_styles)
        throw Error("--extra-style",
                    "method " + info.name + " mixes at most " + std::to_string(info.max_styles) + " styles");
    if (o.stylize.tile > 0 && !info.tiles)
        throw Error("--tile", "method " + info.name + " does not run on tiles (the feed-forward networks do)");
    if (!o.stylize.style_layers.empty() && info.model_kind != ModelKind::Vgg19)
        throw Error("--style-layers", "only a VGG-19 method (gatys) has style layers");
    if (!o.stylize.style_weights.empty() && o.stylize.style_weights.size() != 1 + o.extra_styles.size())
        throw Error("--style-weights", "expected " + std::to_string(1 + o.extra_styles.size()) +
                                           " weights, one for the style and one per --extra-style");
}

// --param values parsed for the method's parameters (named choices by name) and checked, so a
// typo is a usage error; the step options need an iterative method.
void resolve_method_params(CliOptions& o, const MethodInfo& info,
                           const std::vector<std::pair<std::string, std::string>>& raw_params) {
    for (const auto& [name, text] : raw_params) {
        const ParamSpec* spec = nullptr;
        for (const ParamSpec& p : info.params)
            if (p.name == name) spec = &p;
        const double value = spec ? parse_param_value(*spec, text) : parse_number("--param " + name, text);
        try {
            resolve_params(info, {{name, value}});
        } catch (const Error& e) {
            // Named as typed: "--param strength=2", not an option "--strength" that does not exist.
            const std::string what = e.what();
            const std::size_t colon = what.find(": ");
            throw Error("--param " + name + "=" + text, colon == std::string::npos ? what : what.substr(colon + 2));
        }
        o.stylize.params[name] = value;
    }
    o.stylize.params = resolve_params(info, o.stylize.params);
    if ((!o.save_steps.empty() || o.save_every) && !info.iterative)
        throw Error(o.save_steps.empty() ? "--save-every" : "--save-steps",
                    "method " + info.name + " has no intermediate steps (it is not iterative)");
}

// -o naming one of the inputs would replace the user's picture with the result: a usage error.
void refuse_output_over_an_input(const CliOptions& o) {
    std::error_code ec;
    // A batch writes NAME__STYLE files into its output folder, which may well be an input folder.
    if (std::filesystem::is_directory(o.content, ec) ||
        (!o.style.empty() && std::filesystem::is_directory(o.style, ec)))
        return;
    const std::string output = o.output ? *o.output : std::string(kDefaultOutputFile);
    std::vector<std::string> inputs = {o.content, o.style};
    if (o.mask) inputs.push_back(*o.mask);
    inputs.insert(inputs.end(), o.extra_styles.begin(), o.extra_styles.end());
    for (const std::string& input : inputs)
        if (!input.empty() && same_file(output, input))
            throw Error("-o " + output, "is one of the input pictures (" + input + "); choose another output file");
}

}  // namespace

namespace {

using RawParams = std::vector<std::pair<std::string, std::string>>;  // --param NAME=TEXT, in order

// One option of the command line: its name, and how to take its value or mark it as a flag.
struct OptionArg {
    const std::string& name;
    const std::function<std::string()>& value;
    const std::function<void(bool&)>& flag;
};

// The options about what is stylized how: models, masks, styles, smoothing. False: not one of them.
bool parse_stylize_option(const OptionArg& a, CliOptions& o, bool& feather_given) {
    const std::string& arg = a.name;
    if (arg == "--model") {
        o.stylize.model = a.value();
        if (o.stylize.model.empty()) throw Error(arg, "model name is empty");
    } else if (arg == "--models") {
        const std::string dir = a.value();
        if (dir.empty()) throw Error(arg, "models folder is empty");
        o.stylize.models_dir = dir;
    } else if (arg == "--mask-classes") {
        o.stylize.mask_classes = split_list(a.value());
        if (o.stylize.mask_classes.empty()) throw Error(arg, "expected class names, e.g. person or cat,dog");
    } else if (arg == "--mask-invert") {
        o.stylize.mask_invert = true;
    } else if (arg == "--segmentation-model") {
        o.stylize.segmentation_model = a.value();
    } else if (arg == "--style-layers") {
        o.stylize.style_layers = parse_layer_list(a.value());
    } else if (arg == "--extra-style") {
        o.extra_styles.push_back(a.value());
        if (o.extra_styles.back().empty()) throw Error(arg, "style path is empty");
    } else if (arg == "--style-weights") {
        o.stylize.style_weights = parse_weight_list("--style-weights", a.value());
    } else if (arg == "--preserve-colors") {
        a.flag(o.stylize.preserve_colors);
    } else if (arg == "--mask") {
        o.mask = a.value();
        if (o.mask->empty()) throw Error(arg, "mask path is empty");
    } else if (arg == "--smooth-stats") {
        o.stats_time_constant = parse_number(arg, a.value());
        if (!(o.stats_time_constant >= 0.0 && o.stats_time_constant <= 10.0))
            throw Error(arg, "must be seconds in [0, 10] (0: off)");
    } else if (arg == "--temporal") {
        o.temporal_strength = parse_number(arg, a.value());
        if (!(o.temporal_strength >= 0.0 && o.temporal_strength <= 1.0))
            throw Error(arg, "must be a strength in [0, 1] (0: off)");
    } else if (arg == "--feather") {
        o.stylize.feather_px = parse_number("--feather", a.value());
        check_feather(o.stylize.feather_px);
        feather_given = true;
    } else {
        return false;
    }
    return true;
}

// The options about the method, its parameters, size, device and output. False: not one of them.
bool parse_run_option(const OptionArg& a, CliOptions& o, RawParams& raw_params) {
    const std::string& arg = a.name;
    if (arg == "-o" || arg == "--output") {
        o.output = a.value();
        if (o.output->empty()) throw Error(arg, "output path is empty");
    } else if (arg == "-a" || arg == "--alpha") {
        o.stylize.params["alpha"] = parse_number("--alpha", a.value());
    } else if (arg == "-m" || arg == "--method") {
        o.stylize.method = method_by_name(a.value()).info().name;
        o.method_given = true;
    } else if (arg == "-p" || arg == "--param") {
        const std::string text = a.value();
        const auto eq = text.find('=');
        if (eq == std::string::npos || eq == 0)
            throw Error("--param " + text, "expected NAME=VALUE, e.g. --param alpha=0.5");
        // Parsed once the method is known: a parameter with named choices takes a name.
        raw_params.emplace_back(text.substr(0, eq), text.substr(eq + 1));
    } else if (arg == "--save-every") {
        const double n = parse_number("--save-every", a.value());
        if (!(n >= 1 && n <= 1e6) || n != std::floor(n)) throw Error("--save-every", "expected a whole number >= 1");
        o.save_every = int(n);
    } else if (arg == "--save-steps") {
        o.save_steps = a.value();
        if (o.save_steps.empty()) throw Error(arg, "folder path is empty");
    } else if (arg == "-s" || arg == "--size") {
        o.stylize.size = parse_size_spec(a.value());
        o.size_given = true;
    } else if (arg == "-d" || arg == "--device") {
        o.stylize.device = parse_device_choice(a.value());
    } else if (arg == "--precision") {
        o.stylize.precision = parse_precision(a.value());
    } else if (arg == "--memory") {
        o.stylize.memory_budget = parse_memory_size(a.value(), arg);
    } else if (arg == "--tile") {
        const std::string text = a.value();
        const double n = parse_number(arg, text);
        if (!(n >= 32 && n <= kMaxImageSide) || n != std::floor(n) || int(n) % 8 != 0)
            throw Error("--tile " + text, "expected a multiple of 8 from 32 to " + std::to_string(kMaxImageSide));
        o.stylize.tile = int(n);
    } else if (arg == "--quality") {
        o.save.jpeg_quality = parse_quality(a.value());
    } else if (arg == "--shard") {
        o.shard.spec = a.value();
        parse_shard_spec(*o.shard.spec);  // a malformed K/N is a usage error here
    } else if (arg == "--shard-count") {
        o.shard.count = a.value();
    } else if (arg == "--skip-existing") {
        a.flag(o.skip_existing);
    } else if (arg == "--report") {
        o.report = a.value();
        if (o.report.empty()) throw Error(arg, "report path is empty");
    } else if (arg == "--format") {
        const std::string text = a.value();
        const auto format = format_from_name(text);
        if (!format) throw Error("--format " + text, "expected png, jpg, bmp or tga");
        o.batch_format = *format;
    } else {
        return false;
    }
    return true;
}

// After the options: the method from a model given alone, the checks that need all options,
// the parameters, and the paths.
void finish_cli_options(CliOptions& o, const std::vector<std::string>& positional, const RawParams& raw_params,
                        bool feather_given) {
    // --model alone picks the method from the file: a .pt is TorchScript, anything else a fast
    // style (run_cli looks a bare name up among the TorchScript models too).
    if (!o.stylize.model.empty() && !o.method_given) o.stylize.method = method_for_model(o.stylize.model).info().name;
    const MethodInfo& info = method_by_name(o.stylize.method).info();
    check_method_options(o, info);
    // A feather with nothing to feather would be silently ignored: say so instead.
    if (feather_given && !o.mask && o.stylize.mask_classes.empty())
        throw Error("--feather", "needs --mask FILE or --mask-classes NAMES");
    if (o.mask && !o.stylize.mask_classes.empty())
        throw Error("--mask-classes", "cannot be combined with --mask FILE (one mask at a time)");
    if ((o.stylize.mask_invert || !o.stylize.segmentation_model.empty()) && o.stylize.mask_classes.empty())
        throw Error(o.stylize.mask_invert ? "--mask-invert" : "--segmentation-model", "needs --mask-classes NAMES");
    resolve_method_params(o, info, raw_params);
    const std::size_t expected = info.uses_style ? 2 : 1;
    if (positional.size() != expected) {
        const std::string got =
            "got " + std::to_string(positional.size()) + (positional.size() == 1 ? " path" : " paths");
        if (!info.uses_style)
            throw Error("expected only CONTENT: the style of " + info.name + " is its model (" + got + "); see --help");
        throw Error("expected CONTENT and STYLE (" + got + "); see --help");
    }
    o.content = positional[0];
    if (info.uses_style) o.style = positional[1];
    refuse_output_over_an_input(o);
}

}  // namespace

CliOptions parse_cli_options(int argc, const char* const* argv) {
    CliOptions o;
    std::vector<std::string> positional;
    RawParams raw_params;
    bool options_done = false;
    bool feather_given = false;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (options_done || arg.empty() || arg[0] != '-' || arg == "-") {
            positional.push_back(arg);
            continue;
        }
        if (arg == "--") {
            options_done = true;
            continue;
        }
        // Accept both "--alpha 0.5" and "--alpha=0.5".
        std::optional<std::string> inline_value;
        if (const auto eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
            inline_value = arg.substr(eq + 1);
            arg = arg.substr(0, eq);
        }
        const std::function<std::string()> value = [&]() -> std::string {
            if (inline_value) return *inline_value;
            if (i + 1 >= argc) throw Error(arg, "missing value");
            return argv[++i];
        };
        const std::function<void(bool&)> flag = [&](bool& target) {
            if (inline_value) throw Error(arg, "takes no value");
            target = true;
        };
        const OptionArg a{arg, value, flag};
        if (arg == "-h" || arg == "--help") flag(o.help);
        else if (arg == "--version") flag(o.version);
        else if (arg == "-q" || arg == "--quiet") flag(o.quiet);
        else if (arg == "--list-methods") flag(o.list_methods);
        else if (arg == "--list-models") flag(o.list_models);
        else if (!parse_stylize_option(a, o, feather_given) && !parse_run_option(a, o, raw_params))
            throw Error(arg, "unknown option (see --help)");
    }
    if (o.help || o.version || o.list_methods || o.list_models) return o;
    finish_cli_options(o, positional, raw_params, feather_given);
    return o;
}

std::vector<double> parse_weight_list(const std::string& option, const std::string& text) {
    std::vector<double> weights;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = text.find(',', start);
        const std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        const double w = parse_number(option, item);
        if (!std::isfinite(w) || w < 0) throw Error(option + " " + text, "weights must be numbers >= 0");
        weights.push_back(w);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    double sum = 0;
    for (double w : weights) sum += w;
    if (sum <= 0) throw Error(option + " " + text, "at least one weight must be above 0");
    return weights;
}

// What the program does, then its options (--help), without the limits that usage_text() adds.
constexpr const char* kUsageHead =
    "Usage: neuraltransfer CONTENT STYLE [options]\n"
    "       neuraltransfer CONTENT --model NAME [options]   (fast style or TorchScript model)\n"
    "\n"
    "Stylizes the CONTENT picture with the STYLE picture. By default it does what the original\n"
    "script did: both resized to 512x512, blended 0.6 * content + 0.4 * style, saved as\n"
    "stylized_output.jpg in the current folder.\n"
    "\n"
    "CONTENT and/or STYLE may be folders: every pair is stylized into the output folder as\n"
    "CONTENTNAME__STYLENAME.jpg, with progress on stderr; a file that fails is reported and skipped.\n"
    "\n"
    "A CONTENT video (.mp4 .m4v .mkv .webm .mov .avi) is stylized frame by frame into an H.264\n"
    "video (-o .mp4 .mov .mkv, default stylized_output.mp4) at its frame rate, its audio copied;\n"
    "without --size the frames keep their aspect at a long side of 512. Methods that use the\n"
    "content's statistics (colour transfers, histogram, AdaIN) average them over time so that\n"
    "the colours do not flicker: --smooth-stats S seconds (default 0.5; 0: off), restarting at cuts.\n"
    "With -o a folder (frames/) the frames are written as pictures, frames/CLIP_000001.jpg, ...\n"
    "\n";

constexpr const char* kUsageOptions =
    "Options:\n"
    "  -o, --output PATH     output file (.png .jpg .jpeg .bmp .tga), default stylized_output.jpg;\n"
    "                        in batch mode the output folder, default stylized_output/\n"
    "  -a, --alpha A         style strength in [0, 1], default 0.4: (1-A)*content + A*style\n"
    "  -m, --method NAME     stylization method, default blend (see --list-methods)\n"
    "  -p, --param N=V       set a parameter of the method, e.g. --param alpha=0.5\n"
    "      --model NAME      the model of --method fast_style or torchscript: a name in the\n"
    "                        models folder or a .safetensors / .pt file; alone it picks the method\n"
    "      --models DIR      the models folder (default: $NEURALTRANSFER_MODELS, else ./models,\n"
    "                        else the checkout's models/); see docs/MODELS.md\n"
    "      --extra-style FILE  adain: one more style to mix (repeatable); with --mask the\n"
    "                        extra style paints the mask's black region\n"
    "      --style-weights W,W,...  adain: one weight per style (STYLE first), default equal\n"
    "  -s, --size SIZE       working size: 512 (N x N, default), WxH, long:N (longest side N,\n"
    "                        aspect kept) or original (the content's own size)\n"
    "      --preserve-colors keep the content's colours: the result's luminance with the\n"
    "                        content's chroma (YCbCr), after any method\n"
    "      --mask FILE       where the style applies: a picture read as grey levels, white\n"
    "                        stylized, black content; stretched to the working size\n"
    "      --feather PX      soften the mask's edges: Gaussian blur of PX working pixels\n"
    "                        (standard deviation), 0..500, default 0\n"
    "      --smooth-stats S  video: average the content's statistics over S seconds so that\n"
    "                        colours do not flicker (0..10, default 0.5, 0: off)\n"
    "      --temporal S      video: blend each result towards the previous one moved along the\n"
    "                        optical flow, so that any method stops shimmering (0..1, e.g. 0.8;\n"
    "                        default 0: off); restarts at cuts\n"
    "  -d, --device DEV      auto (default: CUDA when available), cpu or cuda\n"
    "      --precision P     the networks' number format: auto (default: bf16 on CPUs with native\n"
    "                        bf16, else fp32; fp16 on CUDA), fp32 or bf16\n"
    "      --memory SIZE     the memory budget, e.g. 6G or 800M (default: 80 % of the free memory);\n"
    "                        a network whose whole picture would pass it runs on tiles, and a job\n"
    "                        that cannot fit even so is refused before it starts\n"
    "      --tile N          fast_style, adain, torchscript: run on tiles of N pixels (a multiple\n"
    "                        of 8, >= 32) whatever the budget\n"
    "      --quality Q       JPEG quality 1..100, default 75 (as the original's PIL default)\n"
    "      --format FMT      batch output format: jpg (default), png, bmp or tga\n"
    "      --shard K/N       batch: only shard K of N (K from 0), a contiguous part of the\n"
    "                        pairs (or of a video's frames); default from Slurm's array variables\n"
    "      --shard-count N   batch: N shards, K from JOB_COMPLETION_INDEX (Kubernetes) or Slurm\n"
    "      --skip-existing   batch: leave outputs that exist as they are (resume a run)\n"
    "      --report FILE     batch: append one JSON line per item to FILE (docs/BATCH.md)\n"
    "  -q, --quiet           no progress or summary lines\n"
    "      --mask-classes C,...  a mask from the segmentation model instead of a picture: the style\n"
    "                        where these classes are (names or numbers, e.g. person)\n"
    "      --mask-invert     ... everywhere except there\n"
    "      --segmentation-model NAME  a model in models/segmentation (needed when it has several)\n"
    "      --style-layers L,...  gatys: the VGG-19 layers of the style loss (default\n"
    "                        relu1_1,relu2_1,relu3_1,relu4_1,relu5_1)\n"
    "      --save-steps DIR  an iterative method's intermediate estimates as DIR/NAME_step_NNN.png\n"
    "      --save-every N    only every N-th of them (and the last); without --save-steps, next to\n"
    "                        the output\n"
    "      --list-methods    the methods with their parameters, ranges and defaults\n"
    "      --list-models     the models found in the models folder\n"
    "  -h, --help            this text\n"
    "      --version         version and LibTorch build\n"
    "\n";

std::string usage_text() {
    return std::string(kUsageHead) + kUsageOptions + "Limits: input and working images up to " +
           std::to_string(kMaxImageSide) + " pixels per side and " + std::to_string(kMaxImagePixels / 1'000'000) +
           " megapixels; input files up to " + std::to_string(kMaxFileBytes >> 20) +
           " MiB.\n"
           "Exit status: 0 success, 1 an input or output failed, 2 invalid command line.\n";
}

std::string methods_text() {
    std::ostringstream os;
    for (const auto& m : method_registry()) {
        const MethodInfo& info = m->info();
        os << info.name << (info.needs_model ? "  (needs a model file)" : "")
           << (info.iterative ? "  (iterative: shows its progress, --save-steps)" : "") << "\n    " << info.description
           << '\n';
        for (const ParamSpec& p : info.params) {
            os << "    --param " << p.name << "=V   " << p.label << ", ";
            if (p.choices.empty()) os << p.min_value << ".." << p.max_value << (p.integer ? " (whole)" : "");
            else
                for (std::size_t c = 0; c < p.choices.size(); ++c) os << (c ? "|" : "") << p.choices[c];
            os << ", default " << param_value_text(p, p.default_value) << ": " << p.description << '\n';
        }
    }
    return os.str();
}

std::string version_text() {
    return std::string("neuraltransfer ") + kVersion + " (LibTorch " + kTorchVersion + ", CUDA " +
           (cuda_available() ? "available" : "unavailable: " + cuda_unavailable_reason()) + ")\n";
}

}  // namespace nt
