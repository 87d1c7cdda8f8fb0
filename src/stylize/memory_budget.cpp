#include "stylize/memory_budget.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "base/error.h"
#include "base/limits.h"
#include "nets/tiled_inference.h"

namespace nt {

namespace {

constexpr std::int64_t kKiB = 1024, kMiB = kKiB * 1024, kGiB = kMiB * 1024, kTiB = kGiB * 1024;

// The first number of a small text file (a cgroup limit); -1 when missing or "max".
std::int64_t read_number(const char* path) {
    std::ifstream in(path);
    std::string text;
    if (!(in >> text) || text.empty() || !std::isdigit(static_cast<unsigned char>(text[0]))) return -1;
    return std::stoll(text);
}

std::int64_t meminfo_available() {
    std::ifstream in("/proc/meminfo");
    for (std::string line; std::getline(in, line);)
        if (line.rfind("MemAvailable:", 0) == 0) {
            std::istringstream fields(line.substr(13));
            std::int64_t kib = 0;
            if (fields >> kib) return kib * kKiB;
        }
    return -1;
}

// The cgroup's limit less its usage, -1 without a limit. v1 reports "no limit" as a huge number.
std::int64_t cgroup_headroom() {
    std::int64_t limit = read_number("/sys/fs/cgroup/memory.max");
    std::int64_t used = read_number("/sys/fs/cgroup/memory.current");
    if (limit < 0) {
        limit = read_number("/sys/fs/cgroup/memory/memory.limit_in_bytes");
        used = read_number("/sys/fs/cgroup/memory/memory.usage_in_bytes");
    }
    if (limit < 0 || limit >= (std::int64_t(1) << 60)) return -1;
    return std::max<std::int64_t>(0, limit - std::max<std::int64_t>(0, used));
}

// Bytes per unit: none or B, K/KB/KiB, M.., G.., T.. (binary); 0 for anything else.
std::int64_t unit_scale(const std::string& upper_unit) {
    if (upper_unit.empty() || upper_unit == "B") return 1;
    const std::string prefixes = "KMGT";
    for (std::size_t i = 0; i < prefixes.size(); ++i) {
        const std::string p(1, prefixes[i]);
        if (upper_unit == p || upper_unit == p + "B" || upper_unit == p + "IB") return kKiB << (10 * i);
    }
    return 0;
}

std::string size_text(Size2 s) { return std::to_string(s.width) + "x" + std::to_string(s.height); }

// The estimate of a run at `working` in tiles of `tile`: the pipeline's pictures plus the larger
// of the thumbnail's whole run and one tile's run.
std::int64_t tiled_estimate(const MethodInfo& info, Size2 working, Size2 content, int tile, std::int64_t extra) {
    const std::int64_t side = max_tile_input_side(network_tile_settings(tile));
    const std::int64_t tile_pixels =
        std::min<std::int64_t>(side, working.height) * std::min<std::int64_t>(side, working.width);
    const auto [th, tw] = thumbnail_size(working.height, working.width);
    return streamed_pipeline_bytes(info, working, content, tile) + extra +
           std::max(info.memory.bytes(tile_pixels), info.memory.thumbnail_bytes(th * tw));
}

// The largest size of working's aspect whose run fits the budget (at least 64 pixels a side).
MemoryPlan coarse_to_fine_plan(const MethodInfo& info, Size2 working, Size2 content, std::int64_t budget,
                               std::int64_t extra) {
    const std::int64_t pipeline = pipeline_bytes(info, working, content) + extra;
    MemoryPlan plan;
    plan.budget = budget;
    const std::int64_t pixels = std::int64_t(working.width) * working.height;
    const std::int64_t room = budget - pipeline - info.memory.fixed_bytes;
    const double fit_pixels = room > 0 ? double(room) / info.memory.bytes_per_pixel : 0.0;
    const double scale = std::min(1.0, std::sqrt(fit_pixels / double(pixels)));
    plan.top = {int(std::floor(working.width * scale)), int(std::floor(working.height * scale))};
    plan.estimate = pipeline + info.memory.bytes(std::int64_t(plan.top.width) * plan.top.height);
    if (std::min(plan.top.width, plan.top.height) < 64)
        throw Error(size_text(working) + " with " + info.name,
                    "needs about " + memory_text(pipeline + info.memory.bytes(64 * 64)) +
                        " of memory even optimised at 64 px, beyond the budget of " + memory_text(budget) +
                        " (--memory if more is free)");
    return plan;
}

}  // namespace

std::int64_t available_memory_bytes() {
    const std::int64_t available = meminfo_available();
    const std::int64_t cgroup = cgroup_headroom();
    if (available < 0) return std::max<std::int64_t>(0, cgroup);
    return cgroup < 0 ? available : std::min(available, cgroup);
}

std::int64_t default_memory_budget() {
    const std::int64_t available = available_memory_bytes();
    return available > 0 ? available / 5 * 4 : 4 * kGiB;
}

std::int64_t parse_memory_size(const std::string& text, const std::string& option) {
    const std::string subject = option + " " + text;
    std::size_t end = 0;
    while (end < text.size() && (std::isdigit(static_cast<unsigned char>(text[end])) || text[end] == '.')) ++end;
    std::string unit = text.substr(end);
    std::transform(unit.begin(), unit.end(), unit.begin(), [](unsigned char c) { return char(std::toupper(c)); });
    const std::int64_t scale = unit_scale(unit);
    const std::string number = text.substr(0, end);
    if (number.empty() || number.size() > 12 || std::count(number.begin(), number.end(), '.') > 1 || number == "." ||
        scale == 0)
        throw Error(subject, "expected a memory size such as 4G, 2.5GiB or 800M");
    const double bytes = std::stod(number) * double(scale);
    if (!(bytes >= 1.0)) throw Error(subject, "the memory budget must be above 0");
    if (bytes > double(1024 * kTiB)) throw Error(subject, "is beyond 1 PiB");
    return std::int64_t(bytes);
}

std::string memory_text(std::int64_t bytes) {
    char text[32];
    if (bytes >= kGiB) std::snprintf(text, sizeof text, "%.1f GiB", double(bytes) / double(kGiB));
    else if (bytes >= kMiB) std::snprintf(text, sizeof text, "%.0f MiB", std::ceil(double(bytes) / double(kMiB)));
    else std::snprintf(text, sizeof text, "%.0f KiB", std::ceil(double(bytes) / double(kKiB)));
    return text;
}

std::int64_t pipeline_bytes(const MethodInfo& info, Size2 working, Size2 content) {
    const std::int64_t pixels = std::int64_t(working.width) * working.height;
    const std::int64_t loaded = std::int64_t(content.width) * content.height * 3;
    // The process itself (LibTorch and the libraries: 350 to 450 MB of RSS before any picture),
    // then 8-bit: the resized content and the result picture; float32 RGB: the content tensor and
    // the method's result, the conversions between them being one pass each (image/tensor_convert.h).
    // Measured with fast style in tiles of 768: 1.68 GiB at 24 MP, 1.83 GiB at 48 MP, of which
    // its tile and thumbnail are about 0.75 GB: at most 25 B/px beside the process; 32 counted.
    std::int64_t bytes = kProcessBytes + loaded + pixels * (2 * 3 + 2 * 12 + 2);
    if (info.uses_style) {
        // The style at the working size, or at most the thumbnail's for a network that tiles.
        const auto [th, tw] = info.tiles ? thumbnail_size(working.height, working.width)
                                         : std::pair<std::int64_t, std::int64_t>{working.height, working.width};
        bytes += th * tw * 12;
    }
    return bytes;
}

std::int64_t streamed_pipeline_bytes(const MethodInfo& info, Size2 working, Size2 content, int tile) {
    const std::int64_t pixels = std::int64_t(working.width) * working.height;
    const std::int64_t loaded = std::int64_t(content.width) * content.height * 3;
    const bool resized = working != content;
    // 8-bit: the resized content when resized, the result picture, and as much again for the
    // file's encoder (a PNG is encoded in memory); no float picture at all, only the bands of
    // float32 rows: the blend of one row of tiles and the next, the content's rows and the
    // finishing's result (stylize_in_tiles); and, before the tiles, the picture shrunk along its
    // rows for the thumbnail (nets/tiled_inference.h thumbnail_of).
    const TileSettings settings = network_tile_settings(tile);
    const std::int64_t band_rows = std::min<std::int64_t>(working.height, settings.tile + 2 * settings.feather);
    const auto [th, tw] = thumbnail_size(working.height, working.width);
    std::int64_t bytes = kProcessBytes + loaded + pixels * ((resized ? 3 : 0) + 3 + 3) +
                         std::max(4 * band_rows * working.width * 12, working.height * tw * 12);
    if (info.uses_style) bytes += th * tw * 12;  // the style, at most at the thumbnail's size
    return bytes;
}

std::int64_t video_stream_bytes(Size2 input, Size2 output) {
    return kVideoBytesPerPixel *
           (std::int64_t(input.width) * input.height + std::int64_t(output.width) * output.height);
}

std::int64_t video_frame_budget(std::int64_t budget, Size2 input, Size2 output, const std::string& video) {
    const std::int64_t stream = video_stream_bytes(input, output);
    if (stream >= budget)
        throw Error(video, "a " + size_text(output) + " video needs about " + memory_text(stream) +
                               " for its decoder and encoder alone, beyond the budget of " + memory_text(budget) +
                               " (a smaller --size, or --memory if more is free)");
    return budget - stream;
}

MemoryPlan plan_memory(const MethodInfo& info_in, Size2 working, Size2 content, std::int64_t budget, int forced_tile,
                       bool half_precision, std::int64_t extra_bytes) {
    MethodInfo info = info_in;
    if (half_precision && info.tiles) info.memory.bytes_per_pixel *= kHalfPrecisionShare;
    MemoryPlan plan;
    plan.budget = budget;
    const std::int64_t pixels = std::int64_t(working.width) * working.height;
    const std::string job = size_text(working) + " with " + info.name;
    if (forced_tile > 0 && !info.tiles)
        throw Error("--tile " + std::to_string(forced_tile), info.name + " does not run on tiles (the networks do)");
    if (forced_tile > 0) {
        if (forced_tile < kMinTileSide || forced_tile % 8 != 0 || forced_tile > kMaxImageSide)
            throw Error("--tile " + std::to_string(forced_tile), "expected a multiple of 8 from " +
                                                                     std::to_string(kMinTileSide) + " to " +
                                                                     std::to_string(kMaxImageSide));
        plan.tile = forced_tile;
        plan.estimate = tiled_estimate(info, working, content, forced_tile, extra_bytes);
    } else {
        plan.estimate = pipeline_bytes(info, working, content) + extra_bytes + info.memory.bytes(pixels);
        if (plan.estimate <= budget) return plan;
        if (info.coarse_to_fine) return coarse_to_fine_plan(info, working, content, budget, extra_bytes);
        if (!info.tiles)
            throw Error(job, "needs about " + memory_text(plan.estimate) + " of memory, beyond the budget of " +
                                 memory_text(budget) + " (a smaller --size, or --memory if more is free)");
        for (int side : kAutoTileSides) {
            plan.tile = side;
            plan.estimate = tiled_estimate(info, working, content, side, extra_bytes);
            if (plan.estimate <= budget) break;
        }
    }
    if (plan.estimate > budget)
        throw Error(job, "needs about " + memory_text(plan.estimate) + " of memory even in tiles of " +
                             std::to_string(plan.tile) + " px, beyond the budget of " + memory_text(budget) +
                             " (a smaller --size, or --memory if more is free)");
    return plan;
}

}  // namespace nt
