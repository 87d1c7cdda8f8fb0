#include "viewer/pipeline/frame_benchmark.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace nt::viewer {

StageStats stage_stats(std::vector<double> v) {
    StageStats s;
    if (v.empty()) return s;
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    s.median_ms = n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    s.p95_ms = v[std::min(n - 1, static_cast<std::size_t>(std::ceil(0.95 * double(n))) - 1)];
    s.min_ms = v.front();
    return s;
}

BenchmarkReport summarize(const std::string& setup, const std::vector<FrameSample>& samples, int idle_frames,
                          int idle_recomputes) {
    BenchmarkReport r;
    r.setup = setup;
    r.frames = static_cast<int>(samples.size());
    std::vector<double> compute, upload, draw, latency;
    for (const FrameSample& s : samples) {
        compute.push_back(s.compute_ms);
        upload.push_back(s.upload_ms);
        draw.push_back(s.draw_ms);
        latency.push_back(s.latency_ms);
    }
    r.compute = stage_stats(compute);
    r.upload = stage_stats(upload);
    r.draw = stage_stats(draw);
    r.latency = stage_stats(latency);
    r.idle_frames = idle_frames;
    r.idle_recomputes = idle_recomputes;
    return r;
}

std::string format_report(const BenchmarkReport& r) {
    std::ostringstream os;
    char line[512];
    os << "benchmark: " << r.setup << ", " << r.frames << " frames with a control change each\n";
    os << "stage                                   median ms   p95 ms   min ms\n";
    auto row = [&](const char* name, const StageStats& s) {
        std::snprintf(line, sizeof line, "%-38s %10.3f %8.3f %8.3f\n", name, s.median_ms, s.p95_ms, s.min_ms);
        os << line;
    };
    row("compute (stylize into RGBA8)", r.compute);
    row("upload (into the result texture)", r.upload);
    row("draw (ImGui, render, swap)", r.draw);
    row("latency: control change -> on screen", r.latency);
    os << "idle: " << r.idle_recomputes << " recomputes in " << r.idle_frames << " frames without a change\n";
    std::snprintf(line, sizeof line,
                  "benchmark-json: {\"setup\": \"%s\", \"frames\": %d, \"compute_ms\": %.4f, \"upload_ms\": %.4f, "
                  "\"draw_ms\": %.4f, \"latency_ms\": %.4f, \"latency_p95_ms\": %.4f, \"idle_recomputes\": %d}\n",
                  r.setup.c_str(), r.frames, r.compute.median_ms, r.upload.median_ms, r.draw.median_ms,
                  r.latency.median_ms, r.latency.p95_ms, r.idle_recomputes);
    os << line;
    return os.str();
}

}  // namespace nt::viewer
