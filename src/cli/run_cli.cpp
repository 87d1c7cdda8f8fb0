#include "cli/run_cli.h"

#include <unistd.h>

#include <iostream>

#include <chrono>
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
#include "core/error.h"
#include "core/imageio/load_image.h"
#include "core/imageio/save_image.h"
#include "core/memory_budget.h"
#include "core/nets/model_library.h"
#include "core/nets/neural_stylizer.h"
#include "core/video/video_reader.h"
#include "cli/run_video.h"
#include "core/segmentation_mask.h"
#include "core/stylize.h"

namespace nt {

namespace fs = std::filesystem;

namespace {

constexpr const char* kProgram = "neuraltransfer";

void report(std::ostream& err, const std::string& message) { err << kProgram << ": " << message << '\n'; }

double ms_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

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

// The stylize options with the --mask and --extra-style pictures loaded; an unreadable one is an
// error naming it.
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
    NeuralRequest probe;
    probe.method = o.stylize.method;
    probe.model = o.stylize.model;
    at::InferenceMode inference;
    probe.content = at::zeros({1, 3, 8, 8}, at::TensorOptions(resolve_device(o.stylize.device)));
    neural->prepare(probe);
    return neural;
}

// The progress bar and --save-steps of an iterative method's run (empty for the other methods).
StepCallback step_reporter(const CliOptions& o, const Image& content, const fs::path& output, std::ostream& err) {
    if (!method_by_name(o.stylize.method).info().iterative) return {};
    fs::path dir;
    if (o.save_every && o.save_steps.empty()) dir = output.has_parent_path() ? output.parent_path() : fs::path(".");
    if (!o.save_steps.empty() || o.save_every) {
        if (!o.save_steps.empty()) dir = o.save_steps;
        std::error_code ec;
        fs::create_directories(dir, ec);
        if (!fs::is_directory(dir, ec)) throw Error(dir.string(), "cannot create the --save-steps folder");
    }
    const Size2 size = working_size(o.stylize.size, {content.width, content.height});
    const bool terminal = &err == &std::cerr && isatty(STDERR_FILENO);
    return StepProgress(err, terminal, o.quiet, dir, output.stem().string(), size.width, size.height, o.save_every);
}

// Fails early, before any decoding, on an output the run could never write.
void check_output_file(const fs::path& path) {
    if (!format_from_extension(path))
        throw Error(path.string(), "unknown output extension '" + path.extension().string() + "' (use " +
                                       supported_output_extensions() + ")");
    const fs::path folder = path.has_parent_path() ? path.parent_path() : fs::path(".");
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) throw Error(path.string(), "output folder " + folder.string() + " does not exist");
    if (fs::is_directory(path, ec)) throw Error(path.string(), "output path is an existing folder");
}

// Says, before a coarse-to-fine method starts, that the budget caps its largest level.
void announce_plan(const MemoryPlan& plan, const Image& content, const CliOptions& o, std::ostream& err) {
    if (plan.top.width == 0 || o.quiet) return;
    const Size2 working = working_size(o.stylize.size, {content.width, content.height});
    err << kProgram << ": " << o.stylize.method << " at " << working.width << "x" << working.height
        << " would pass the memory budget of " << memory_text(plan.budget) << "; it optimises up to "
        << plan.top.width << "x" << plan.top.height << " (about " << memory_text(plan.estimate)
        << ") and upsamples that\n";
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

// Decoded inputs of a batch, each file decoded at most once while the memory budget lasts; a file
// that failed keeps its error so it is reported once, not once per pair.
class InputCache {
public:
    explicit InputCache(std::size_t budget_bytes) : budget_(budget_bytes) {}

    // The image, or nullptr after recording the error in `error`.
    std::shared_ptr<const Image> get(const fs::path& path, std::string& error, bool& first_failure) {
        first_failure = false;
        if (auto it = failures_.find(path); it != failures_.end()) {
            error = it->second;
            return nullptr;
        }
        if (auto it = images_.find(path); it != images_.end()) return it->second;
        try {
            auto image = std::make_shared<const Image>(load_image(path));
            if (used_ + image->pixels.size() <= budget_) {
                used_ += image->pixels.size();
                images_[path] = image;
            }
            return image;
        } catch (const Error& e) {
            error = e.what();
            failures_[path] = error;
            first_failure = true;
            return nullptr;
        }
    }

private:
    std::size_t budget_;
    std::size_t used_ = 0;
    std::map<fs::path, std::shared_ptr<const Image>> images_;
    std::map<fs::path, std::string> failures_;
};

int run_batch(const CliOptions& o, NeuralStylizer* neural, std::ostream& out, std::ostream& err) {
    const fs::path folder = o.output ? fs::path(*o.output) : fs::path(kDefaultOutputFolder);
    // A model's style has no picture: outputs are named after the model.
    const std::vector<BatchJob> jobs =
        o.style.empty() ? plan_model_batch(o.content, fs::path(o.stylize.model).stem().string(), folder, o.batch_format)
                        : plan_batch(o.content, o.style, folder, o.batch_format);
    std::error_code ec;
    if (fs::exists(folder, ec) && !fs::is_directory(folder, ec))
        throw Error(folder.string(), "batch output must be a folder, and this is a file");
    resolve_device(o.stylize.device);
    const StylizeOptions options = with_pictures(o);  // before any output: a bad mask fails the whole run
    fs::create_directories(folder, ec);
    if (ec) throw Error(folder.string(), "cannot create output folder: " + ec.message());

    InputCache cache(std::size_t(1) << 30);
    int written = 0, failed = 0;
    const std::string total = std::to_string(jobs.size());
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        const BatchJob& job = jobs[i];
        const std::string tag = "[" + std::to_string(i + 1) + "/" + total + "] ";
        const auto start = std::chrono::steady_clock::now();
        std::string error;
        bool first_failure = false;
        auto content = cache.get(job.content, error, first_failure);
        std::shared_ptr<const Image> style = std::make_shared<const Image>();
        if (content && !job.style.empty()) style = cache.get(job.style, error, first_failure);
        if (!content || !style) {
            ++failed;
            // The reason once; later pairs with the same bad file just say they were skipped.
            if (first_failure) report(err, tag + "skipped: " + error);
            else if (!o.quiet) report(err, tag + "skipped " + job.output.filename().string() + " (bad input above)");
            continue;
        }
        try {
            const Image result = stylize(*content, *style, options, neural, step_reporter(o, *content, job.output, err));
            save_image(result, job.output, o.save);
            ++written;
            if (!o.quiet)
                err << tag << job.content.filename().string() << " + "
                    << (job.style.empty() ? o.stylize.model : job.style.filename().string()) << " -> "
                    << job.output.string() << " (" << int(ms_since(start) + 0.5) << " ms)\n";
        } catch (const Error& e) {
            ++failed;
            report(err, tag + "failed: " + e.what());
        }
    }
    if (!o.quiet)
        out << "wrote " << written << " of " << jobs.size() << " results to " << folder.string()
            << (failed ? " (" + std::to_string(failed) + " failed)" : std::string()) << '\n';
    return failed ? kExitFailed : kExitOk;
}

}  // namespace

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
    CliOptions options;
    try {
        options = parse_cli_options(argc, argv);
    } catch (const Error& e) {
        report(err, e.what());
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
        std::error_code ec;
        const bool batch = fs::is_directory(options.content, ec) || fs::is_directory(options.style, ec);
        // An animated GIF is a video when the output is one (-o clip.mp4); else its first frame.
        const bool video_out = options.output && looks_like_video(*options.output);
        if (!batch && (looks_like_video(options.content) || (video_out && is_animated_gif(options.content))))
            return run_video(options, with_pictures(options), neural.get(), out, err);
        return batch ? run_batch(options, neural.get(), out, err) : run_single(options, neural.get(), out, err);
    } catch (const Error& e) {
        report(err, e.what());
        return kExitFailed;
    } catch (const std::exception& e) {
        // LibTorch (c10::Error) or the allocator: still one line, never a crash.
        std::string what = e.what();
        if (const auto nl = what.find('\n'); nl != std::string::npos) what.resize(nl);
        report(err, "internal error: " + what);
        return kExitFailed;
    }
}

}  // namespace nt
