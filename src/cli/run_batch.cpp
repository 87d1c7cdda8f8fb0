// The batch mode: every content x style pair of the plan (cli/batch.h) that this process's shard
// takes, each written atomically into the output folder, with --skip-existing and --report.
#include <map>
#include <memory>

#include "cli/batch.h"
#include "cli/batch_report.h"
#include "cli/run_common.h"
#include "base/error.h"
#include "imageio/atomic_file.h"
#include "imageio/load_image.h"
#include "imageio/save_image.h"

namespace nt {

namespace fs = std::filesystem;

namespace {

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

// A rerun must plan the same items: with --shard or --skip-existing, outputs written into an input
// folder would become inputs of the next run (and shift every shard's range).
void refuse_output_in_an_input_folder(const CliOptions& o, const Shard& shard, const fs::path& folder) {
    if (shard.count == 1 && !o.skip_existing) return;
    std::error_code ec;
    for (const std::string& input : {o.content, o.style})
        if (!input.empty() && fs::is_directory(input, ec) && same_file(folder, input))
            throw Error("-o " + folder.string(),
                        "is an input folder: with --shard or --skip-existing the outputs must go elsewhere");
}

// One pair: read (cached), stylize, write. Fills the item's status; progress and errors on `err`.
void run_pair(const CliOptions& o, const StylizeOptions& options, NeuralStylizer* neural, const BatchJob& job,
              InputCache& cache, const std::string& tag, ReportItem& item, std::ostream& err) {
    const auto start = std::chrono::steady_clock::now();
    bool first_failure = false;
    auto content = cache.get(job.content, item.error, first_failure);
    std::shared_ptr<const Image> style = std::make_shared<const Image>();
    if (content && !job.style.empty()) style = cache.get(job.style, item.error, first_failure);
    item.status = "error";
    if (!content || !style) {
        // The reason once; later pairs with the same bad file just say they were skipped.
        if (first_failure) report_error(err, tag + "skipped: " + item.error);
        else if (!o.quiet) report_error(err, tag + "skipped " + job.output.filename().string() + " (bad input above)");
        return;
    }
    try {
        const Image result = stylize(*content, *style, options, neural, step_reporter(o, *content, job.output, err));
        save_image(result, job.output, o.save);
        item.status = "ok";
        item.width = result.width;
        item.height = result.height;
        if (!o.quiet)
            err << tag << job.content.filename().string() << " + "
                << (job.style.empty() ? o.stylize.model : job.style.filename().string()) << " -> "
                << job.output.string() << " (" << int(ms_since(start) + 0.5) << " ms)\n";
    } catch (const Error& e) {
        item.error = e.what();
        report_error(err, tag + "failed: " + item.error);
    }
}

}  // namespace

int run_batch(const CliOptions& o, const Shard& shard, NeuralStylizer* neural, std::ostream& out, std::ostream& err) {
    const fs::path folder = o.output ? fs::path(*o.output) : fs::path(kDefaultOutputFolder);
    // A model's style has no picture: outputs are named after the model.
    const std::vector<BatchJob> jobs =
        o.style.empty() ? plan_model_batch(o.content, fs::path(o.stylize.model).stem().string(), folder, o.batch_format)
                        : plan_batch(o.content, o.style, folder, o.batch_format);
    std::error_code ec;
    if (fs::exists(folder, ec) && !fs::is_directory(folder, ec))
        throw Error(folder.string(), "batch output must be a folder, and this is a file");
    refuse_output_in_an_input_folder(o, shard, folder);
    resolve_device(o.stylize.device);
    const StylizeOptions options = with_pictures(o);  // before any output: a bad mask fails the whole run
    fs::create_directories(folder, ec);
    if (ec) throw Error(folder.string(), "cannot create output folder: " + ec.message());

    const std::int64_t total = std::int64_t(jobs.size());
    const ItemRange range = shard_range(total, shard);
    std::vector<std::string> planned;
    for (const BatchJob& job : jobs)
        planned.insert(planned.end(), {job.content.string(), job.style.string(), job.output.string()});
    BatchTally tally(o, shard, total, plan_fingerprint(planned));
    InputCache cache(std::size_t(1) << 30);
    const std::string count = std::to_string(range.end - range.begin);
    for (std::int64_t i = range.begin; i < range.end; ++i) {
        const BatchJob& job = jobs[std::size_t(i)];
        const std::string tag = "[" + std::to_string(i - range.begin + 1) + "/" + count + "] ";
        ReportItem item;
        item.index = i;
        item.input = job.content.string();
        item.style = job.style.string();
        item.output = job.output.string();
        if (o.skip_existing && fs::is_regular_file(job.output, ec)) {
            item.status = "skipped";
            if (!o.quiet) err << tag << job.output.string() << " exists, skipped\n";
            tally.finish_item(item);
            continue;
        }
        tally.start_item();
        run_pair(o, options, neural, job, cache, tag, item, err);
        tally.finish_item(item);
    }
    if (!o.quiet)
        out << "wrote " << tally.written() << " of " << (range.end - range.begin) << " results to " << folder.string()
            << tally.notes(range, total) << '\n';
    return tally.failed() ? kExitFailed : kExitOk;
}

}  // namespace nt
