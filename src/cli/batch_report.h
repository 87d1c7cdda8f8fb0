#pragma once
// --report FILE.jsonl: one JSON object per line for every item of a batch (a content x style pair
// or a video frame), so that a scheduler or a notebook can collect and check a run. The file is
// opened for appending (a rerun adds its lines after the first run's) and each line goes out in
// one write() followed by fdatasync(), so a killed run leaves only complete lines. The fields are
// listed in docs/BATCH.md.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/cli_options.h"
#include "cli/shard.h"

namespace nt {

// The peak resident memory of one item: the process's high-water mark is reset before the item
// (Linux: 5 written to /proc/self/clear_refs) and read after it (VmHWM). Where the reset is not
// allowed, the process's peak so far (getrusage ru_maxrss), and `per_item()` says so.
class ItemPeakMemory {
public:
    void start();
    double peak_mib() const;
    bool per_item() const { return per_item_; }

private:
    bool per_item_ = false;
};

// A fingerprint of a plan (its items' paths, in order): 16 hex digits of FNV-1a. Processes of one
// batch that saw different input folders (a file added in between) have different ones.
std::string plan_fingerprint(const std::vector<std::string>& items);

struct ReportItem {
    std::int64_t index = 0;  // in the whole batch's plan (all shards), from 0
    std::string input, style, output;
    std::optional<std::int64_t> frame;  // a video frame's number, from 1 (as in its file name)
    std::string status;                 // "ok", "skipped" (it existed, --skip-existing) or "error"
    std::string error;                  // the one-line reason when status is "error"
    int width = 0, height = 0;          // the result's size ("ok" only)
    double seconds = 0;                 // reading, stylizing and writing
    double peak_mib = 0;                // ItemPeakMemory's value
};

class BatchReport {
public:
    // Opens (creates) `path` for appending; throws nt::Error naming it when it cannot. The run's
    // method, model, parameters and options are taken from `o` once, and repeated on every line so
    // that each line stands alone.
    BatchReport(const std::string& path, const CliOptions& o, const Shard& shard, std::int64_t total_items,
                const std::string& plan);
    ~BatchReport();
    BatchReport(const BatchReport&) = delete;
    BatchReport& operator=(const BatchReport&) = delete;

    // One line; throws nt::Error naming the file when it cannot be written.
    void add(const ReportItem& item, bool peak_per_item);

private:
    struct Run;
    std::string path_;
    int fd_ = -1;
    std::unique_ptr<Run> run_;
};

// The items of one process's run counted and recorded: each item's time and peak memory measured,
// its --report line written (when there is a report), and the summary's numbers.
class BatchTally {
public:
    // Opens o.report when one is given (BatchReport); `plan` is the plan's fingerprint.
    BatchTally(const CliOptions& o, const Shard& shard, std::int64_t total_items, const std::string& plan);

    void start_item();                  // the clock and the memory peak from now
    void finish_item(ReportItem item);  // status, paths and size set by the caller

    int written() const { return written_; }
    int skipped() const { return skipped_; }
    int failed() const { return failed_; }
    // " (shard 1/4: items 5-9 of 20, from 0; 2 existed; 1 failed)": what the summary adds; empty
    // for a whole batch where every item was written.
    std::string notes(const ItemRange& range, std::int64_t total_items) const;

private:
    Shard shard_;
    std::unique_ptr<BatchReport> report_;
    ItemPeakMemory memory_;
    std::chrono::steady_clock::time_point start_;
    int written_ = 0, skipped_ = 0, failed_ = 0;
};

}  // namespace nt
