#include "cli/batch_report.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "methods/method.h"
#include "stylize/registry.h"

namespace nt {

namespace {

std::string size_text(const SizeSpec& size) {
    switch (size.mode) {
        case SizeSpec::Mode::Square: return std::to_string(size.width);
        case SizeSpec::Mode::Exact: return std::to_string(size.width) + "x" + std::to_string(size.height);
        case SizeSpec::Mode::LongestSide: return "long:" + std::to_string(size.width);
        case SizeSpec::Mode::Original: return "original";
    }
    return {};
}

// Now as UTC, ISO 8601 with milliseconds ("2026-12-07T00:31:02.123Z").
std::string utc_now() {
    const auto now = std::chrono::system_clock::now();
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[40];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
    return text + std::string(".") + std::to_string(1000 + ms).substr(1) + "Z";
}

std::string host_name() {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0) return {};
    return name;
}

// The method's parameters as the run resolved them: numbers, or names for named choices.
nlohmann::json params_json(const CliOptions& o) {
    nlohmann::json params = nlohmann::json::object();
    for (const ParamSpec& spec : method_by_name(o.stylize.method).info().params) {
        const auto it = o.stylize.params.find(spec.name);
        if (it == o.stylize.params.end()) continue;
        if (spec.choices.empty()) params[spec.name] = it->second;
        else params[spec.name] = param_value_text(spec, it->second);
    }
    return params;
}

}  // namespace

std::string plan_fingerprint(const std::vector<std::string>& items) {
    std::uint64_t hash = 14695981039346656037ull;
    for (const std::string& item : items)
        for (const char c : item + '\0') hash = (hash ^ std::uint8_t(c)) * 1099511628211ull;
    char text[20];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
    return text;
}

void ItemPeakMemory::start() {
    std::ofstream clear("/proc/self/clear_refs");
    clear << "5";
    clear.flush();
    per_item_ = bool(clear);
}

double ItemPeakMemory::peak_mib() const {
    if (per_item_) {
        std::ifstream status("/proc/self/status");
        for (std::string line; std::getline(status, line);)
            if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
    }
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_maxrss) / 1024.0;  // KiB on Linux
}

// The fields that are the same on every line of a run.
struct BatchReport::Run {
    nlohmann::json fields;
};

BatchReport::BatchReport(const std::string& path, const CliOptions& o, const Shard& shard, std::int64_t total_items,
                         const std::string& plan)
    : path_(path), run_(std::make_unique<Run>()) {
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
    if (fd_ < 0) throw Error(path, std::string("cannot open the report: ") + std::strerror(errno));
    nlohmann::json& f = run_->fields;
    f["method"] = o.stylize.method;
    f["model"] = o.stylize.model.empty() ? nlohmann::json() : nlohmann::json(o.stylize.model);
    f["params"] = params_json(o);
    f["size"] = size_text(o.stylize.size);
    f["preserve_colors"] = o.stylize.preserve_colors;
    f["mask"] = o.mask ? nlohmann::json(*o.mask) : nlohmann::json();
    f["extra_styles"] = o.extra_styles;
    f["shard"] = shard.text();
    f["items"] = total_items;
    f["plan"] = plan;
    f["host"] = host_name();
    f["pid"] = ::getpid();
}

BatchReport::~BatchReport() {
    if (fd_ >= 0) ::close(fd_);
}

void BatchReport::add(const ReportItem& item, bool peak_per_item) {
    nlohmann::json line;
    line["index"] = item.index;
    line["input"] = item.input;
    line["style"] = item.style.empty() ? nlohmann::json() : nlohmann::json(item.style);
    if (item.frame) line["frame"] = *item.frame;
    line["output"] = item.output;
    line["status"] = item.status;
    line["error"] = item.error.empty() ? nlohmann::json() : nlohmann::json(item.error);
    if (item.status == "ok") {
        line["width"] = item.width;
        line["height"] = item.height;
    }
    line["seconds"] = item.seconds;
    line["peak_rss_mib"] = item.peak_mib;
    line["peak_rss_scope"] = peak_per_item ? "item" : "process";
    line["finished"] = utc_now();
    line.update(run_->fields);
    // Invalid UTF-8 in a file name is replaced, never an exception in the middle of a batch.
    const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    // One write() on an O_APPEND descriptor: the line lands whole after whatever is there.
    const ssize_t written = ::write(fd_, text.data(), text.size());
    if (written != ssize_t(text.size())) throw Error(path_, "cannot write the report (disk full?)");
    ::fdatasync(fd_);
}

BatchTally::BatchTally(const CliOptions& o, const Shard& shard, std::int64_t total_items, const std::string& plan)
    : shard_(shard) {
    if (!o.report.empty()) report_ = std::make_unique<BatchReport>(o.report, o, shard, total_items, plan);
}

void BatchTally::start_item() {
    start_ = std::chrono::steady_clock::now();
    memory_.start();
}

void BatchTally::finish_item(ReportItem item) {
    if (item.status == "ok") ++written_;
    else if (item.status == "skipped") ++skipped_;
    else ++failed_;
    if (!report_) return;
    if (item.status != "skipped") {
        item.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
        item.peak_mib = memory_.peak_mib();
    }
    report_->add(item, memory_.per_item());
}

std::string BatchTally::notes(const ItemRange& range, std::int64_t total_items) const {
    std::string notes;
    const std::string of = " of " + std::to_string(total_items);
    if (shard_.count > 1 && range.end > range.begin)
        notes = "shard " + shard_.text() + ": items " + std::to_string(range.begin) + "-" +
                std::to_string(range.end - 1) + of + ", from 0";
    else if (shard_.count > 1) notes = "shard " + shard_.text() + ": none" + of;
    if (skipped_) notes += (notes.empty() ? "" : "; ") + std::to_string(skipped_) + " existed";
    if (failed_) notes += (notes.empty() ? "" : "; ") + std::to_string(failed_) + " failed";
    return notes.empty() ? notes : " (" + notes + ")";
}

}  // namespace nt
