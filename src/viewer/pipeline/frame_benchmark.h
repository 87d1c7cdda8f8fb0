#pragma once
// The viewer's benchmark mode (--benchmark N): a control is changed before each of N frames, as a
// dragged slider would, and each stage is timed: compute (the pipeline), upload (into the
// texture), draw (ImGui, render, swap) and the latency from the control change until the frame
// has finished on the GPU (glFinish after the swap). Then idle frames check that nothing is
// recomputed when nothing changes. No GL here: the app feeds samples, this summarises them.
#include <string>
#include <vector>

namespace nt::viewer {

struct FrameSample {
    double compute_ms = 0, upload_ms = 0, draw_ms = 0, latency_ms = 0;
};

struct StageStats {
    double median_ms = 0, p95_ms = 0, min_ms = 0;
};

struct BenchmarkReport {
    std::string setup;  // "512x512 blend, CPU, upload direct"
    int frames = 0;
    StageStats compute, upload, draw, latency;
    int idle_frames = 0;
    int idle_recomputes = 0;
};

// Median, 95th percentile (nearest rank) and minimum; zeros for no values.
StageStats stage_stats(std::vector<double> values_ms);

BenchmarkReport summarize(const std::string& setup, const std::vector<FrameSample>& samples, int idle_frames,
                          int idle_recomputes);

// A table for people, then one line "benchmark-json: {...}" for scripts/perf_report.py.
std::string format_report(const BenchmarkReport& report);

}  // namespace nt::viewer
