#include "cli/run_cli.h"

#include <unistd.h>

#include <iostream>

#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <ATen/ATen.h>

#include "cli/batch.h"
#include "cli/step_progress.h"
#include "cli/cli_options.h"
#include "base/error.h"
#include "imageio/load_image.h"
#include "imageio/save_image.h"
#include "stylize/memory_budget.h"
#include "nets/model_library.h"
#include "nets/neural_stylizer.h"
#include "video/video_reader.h"
#include "cli/run_common.h"
#include "cli/run_video.h"
#include "image/segmentation_mask.h"
#include "stylize/stylize.h"
#include "stylize/registry.h"

namespace nt {

namespace fs = std::filesystem;

void report_error(std::ostream& err, const std::string& message) { err << "neuraltransfer: " << message << '\n'; }

double ms_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

StylizeOptions with_pictures(const CliOptions& o) {
    StylizeOptions options = o.stylize;
    for (const std::string& path : o.extra_styles) options.extra_styles.push_back(load_image(path));
    if (!o.mask) return options;
    try {
        options.mask = load_image(*o.mask);
    } catch (const Error& e) {
        throw Error(std::string("mask ") + e.what());
    }
    return options;
}

StepCallback step_reporter(const CliOptions& o, const Image& content, const fs::path& output, std::ostream& err) {
    const Size2 size = working_size(o.stylize.size, {content.width, content.height});
    const bool terminal = &err == &std::cerr && isatty(STDERR_FILENO);
    // A method that is not iterative reports only a network's tiles (nt::stylize): a bar, no steps to save.
    if (!method_by_name(o.stylize.method).info().iterative)
        return StepProgress(err, terminal, o.quiet, {}, "", size.width, size.height);
    fs::path dir;
    if (o.save_every && o.save_steps.empty()) dir = output.has_parent_path() ? output.parent_path() : fs::path(".");
    if (!o.save_steps.empty() || o.save_every) {
        if (!o.save_steps.empty()) dir = o.save_steps;
        std::error_code ec;
        fs::create_directories(dir, ec);
        if (!fs::is_directory(dir, ec)) throw Error(dir.string(), "cannot create the --save-steps folder");
    }
    return StepProgress(err, terminal, o.quiet, dir, output.stem().string(), size.width, size.height, o.save_every);
}

namespace {

std::string describe(const Image& result, const CliOptions& o, const NeuralStylizer* neural, const MemoryPlan& plan) {
    char text[160];
    std::snprintf(text, sizeof text, "%dx%d, %s", result.width, result.height, o.stylize.method.c_str());
    std::string s = text;
    if (!o.stylize.model.empty()) s += " " + o.stylize.model;
    if (!o.extra_styles.empty()) s += " + " + std::to_string(o.extra_styles.size()) + " more styles";
    for (const ParamSpec& spec : method_by_name(o.stylize.method).info().params) {
        const auto it = o.stylize.params.find(spec.name);
        if (it == o.stylize.params.end()) continue;
        if (!spec.choices.empty()) s += " " + spec.name + " " + param_value_text(spec, it->second);
        else {
            std::snprintf(text, sizeof text, " %s %.3g", spec.name.c_str(), it->second);
            s += text;
        }
    }
    if (o.stylize.preserve_colors) s += ", content colours";
    if (!o.stylize.mask_classes.empty()) {
        s += std::string(", masked ") + (o.stylize.mask_invert ? "outside " : "to ");
        for (std::size_t i = 0; i < o.stylize.mask_classes.size(); ++i) s += (i ? "," : "") + o.stylize.mask_classes[i];
    }
    if (o.mask) {
        std::snprintf(text, sizeof text, ", masked (feather %.3g px)", o.stylize.feather_px);
        s += text;
    }
    const c10::Device device = resolve_device(o.stylize.device);
    s += device.is_cuda() ? ", cuda" : ", cpu";
    if (method_by_name(o.stylize.method).info().follows_precision && neural) s += " " + neural->last_precision();
    if (plan.tile > 0) s += ", tiles of " + std::to_string(plan.tile) + " px";
    return s;
}

// The models and caches of a run with a neural method or a segmentation mask (nullptr otherwise).
// A bare --model name that only the TorchScript folder has switches the method when --method was
// not given. The models are loaded here (and the mask's classes checked), so a missing or
// malformed model fails the run once, before any output.
std::unique_ptr<NeuralStylizer> make_neural(CliOptions& o) {
    const MethodInfo& info = method_by_name(o.stylize.method).info();
    if (!info.needs_model && o.stylize.mask_classes.empty()) return nullptr;
    NeuralOptions neural_options;
    neural_options.precision = o.stylize.precision;
    auto neural =
        std::make_unique<NeuralStylizer>(scan_models(resolve_models_dir(o.stylize.models_dir)), neural_options);
    if (!o.stylize.mask_classes.empty())
        class_indices(neural->segmentation_classes(o.stylize.segmentation_model), o.stylize.mask_classes);
    if (!info.needs_model) return neural;
    const ModelLibrary& lib = neural->library();
    if (!o.method_given && info.model_kind && !lib.find(*info.model_kind, o.stylize.model)) {
        // A bare name found only among another kind's models picks that kind's method.
        for (const auto& m : method_registry()) {
            const std::optional<ModelKind>& kind = m->info().model_kind;
            if (kind && kind != info.model_kind && lib.find(*kind, o.stylize.model)) {
                o.stylize.method = m->info().name;
                break;
            }
        }
    }
    RunContext context;
    context.models = neural.get();
    context.model = o.stylize.model;
    at::InferenceMode inference;
    const at::Tensor probe = at::zeros({1, 3, 8, 8}, at::TensorOptions(resolve_device(o.stylize.device)));
    method_by_name(o.stylize.method).prepare(probe, context);
    return neural;
}

// Fails early, before any decoding, on an output the run could never write.
void check_output_file(const fs::path& path) {
    if (!format_from_extension(path))
        throw UsageError(path.string(), "unknown output extension '" + path.extension().string() + "' (use " +
                                            supported_output_extensions() + ")");
    const fs::path folder = path.has_parent_path() ? path.parent_path() : fs::path(".");
    std::error_code ec;
    if (!fs::is_directory(folder, ec))
        throw Error(path.string(), "output folder " + folder.string() + " does not exist");
    if (fs::is_directory(path, ec)) throw Error(path.string(), "output path is an existing folder");
}

// Says, before a coarse-to-fine method starts, that the budget caps its largest level.
void announce_plan(const MemoryPlan& plan, const Image& content, const CliOptions& o, std::ostream& err) {
    if (plan.top.width == 0 || o.quiet) return;
    const Size2 working = working_size(o.stylize.size, {content.width, content.height});
    err << "neuraltransfer: " << o.stylize.method << " at " << working.width << "x" << working.height
        << " would pass the memory budget of " << memory_text(plan.budget) << "; it optimises up to " << plan.top.width
        << "x" << plan.top.height << " (about " << memory_text(plan.estimate) << ") and upsamples that\n";
}

int run_single(const CliOptions& o, NeuralStylizer* neural, std::ostream& out, std::ostream& err) {
    const fs::path output = o.output ? fs::path(*o.output) : fs::path(kDefaultOutputFile);
    check_output_file(output);
    resolve_device(o.stylize.device);
    const auto start = std::chrono::steady_clock::now();
    const StylizeOptions options = with_pictures(o);
    const Image content = load_image(o.content);
    const MemoryPlan plan = plan_stylize_memory(content, options);  // refuses a job that cannot fit, at once
    announce_plan(plan, content, o, err);
    const Image style = o.style.empty() ? Image() : load_image(o.style);
    const Image result = stylize(content, style, options, neural, step_reporter(o, content, output, err));
    save_image(result, output, o.save);
    if (!o.quiet)
        out << "wrote " << output.string() << " (" << describe(result, o, neural, plan) << ", "
            << int(ms_since(start) + 0.5) << " ms)\n";
    return kExitOk;
}

// What a command line does: one picture, a batch of pairs, a video, or a video's frames.
enum class Mode { Single, Batch, Video, VideoFrames };

// An output path for a video's frames: an existing folder, a path ending in '/', or one without an
// extension (a video output needs one).
bool names_a_folder(const std::string& path) {
    std::error_code ec;
    return fs::is_directory(path, ec) || path.back() == '/' || !fs::path(path).has_extension();
}

Mode mode_of(const CliOptions& o) {
    std::error_code ec;
    if (o.content.empty()) return Mode::Single;  // --help, --list-models, ...
    if (fs::is_directory(o.content, ec) || fs::is_directory(o.style, ec)) return Mode::Batch;
    const bool frames_out = o.output && names_a_folder(*o.output);
    // An animated GIF is a video when the output is one (-o clip.mp4) or a folder of frames; else its first frame.
    const bool video_out = o.output && looks_like_video(*o.output);
    if (looks_like_video(o.content) || ((video_out || frames_out) && is_animated_gif(o.content)))
        return frames_out ? Mode::VideoFrames : Mode::Video;
    return Mode::Single;
}

// The shard of a batch (cli/shard.h, from the options or the environment); the batch options on
// anything else are a usage error, and the environment is not looked at (a job array's task may
// well run single pictures).
Shard shard_of(const CliOptions& o, Mode mode) {
    if (mode == Mode::Batch || mode == Mode::VideoFrames)
        return resolve_shard(o.shard, [](const char* name) -> const char* { return std::getenv(name); });
    const char* given = o.shard.spec        ? "--shard"
                        : o.shard.count     ? "--shard-count"
                        : o.skip_existing   ? "--skip-existing"
                        : !o.report.empty() ? "--report"
                                            : nullptr;
    if (given) throw Error(given, "works on a batch (CONTENT or STYLE a folder) or a video's frames (-o a folder)");
    return {};
}

}  // namespace

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
    CliOptions options;
    Mode mode = Mode::Single;
    Shard shard;
    try {
        options = parse_cli_options(argc, argv);
        mode = mode_of(options);
        shard = shard_of(options, mode);
    } catch (const Error& e) {
        report_error(err, e.what());
        return kExitUsage;
    }
    if (options.help) {
        out << usage_text();
        return kExitOk;
    }
    if (options.list_methods) {
        out << methods_text();
        return kExitOk;
    }
    if (options.version) {
        out << version_text();
        return kExitOk;
    }
    // The budget from the free memory once, so that every picture of a run is planned alike.
    if (options.stylize.memory_budget == 0) options.stylize.memory_budget = default_memory_budget();
    try {
        if (options.list_models) {
            out << describe_models(scan_models(resolve_models_dir(options.stylize.models_dir)));
            return kExitOk;
        }
        const std::unique_ptr<NeuralStylizer> neural = make_neural(options);
        switch (mode) {
            case Mode::Batch: return run_batch(options, shard, neural.get(), out, err);
            case Mode::Video: return run_video(options, with_pictures(options), neural.get(), out, err);
            case Mode::VideoFrames:
                return run_video_frames(options, with_pictures(options), shard, neural.get(), out, err);
            case Mode::Single: break;
        }
        return run_single(options, neural.get(), out, err);
    } catch (const UsageError& e) {
        report_error(err, e.what());
        return kExitUsage;
    } catch (const Error& e) {
        report_error(err, e.what());
        return kExitFailed;
    } catch (const std::exception& e) {
        // LibTorch (c10::Error) or the allocator: still one line, never a crash.
        std::string what = e.what();
        if (const auto nl = what.find('\n'); nl != std::string::npos) what.resize(nl);
        report_error(err, "internal error: " + what);
        return kExitFailed;
    }
}

}  // namespace nt
