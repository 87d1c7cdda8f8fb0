#include <gtest/gtest.h>

#include "viewer/pipeline/frame_benchmark.h"

using namespace nt::viewer;

TEST(FrameBenchmark, StageStatsAreMedianP95AndMin) {
    std::vector<double> v;
    for (int i = 100; i >= 1; --i) v.push_back(i);  // 1..100, unsorted
    const StageStats s = stage_stats(v);
    EXPECT_DOUBLE_EQ(s.median_ms, 50.5);
    EXPECT_DOUBLE_EQ(s.p95_ms, 95.0);
    EXPECT_DOUBLE_EQ(s.min_ms, 1.0);
    EXPECT_DOUBLE_EQ(stage_stats({3.0}).p95_ms, 3.0);
    EXPECT_DOUBLE_EQ(stage_stats({}).median_ms, 0.0);
}

TEST(FrameBenchmark, ReportHasATableAndOneJsonLine) {
    const BenchmarkReport r =
        summarize("64x64 blend, CPU, upload direct", {{1, 2, 3, 10}, {3, 2, 1, 12}, {2, 2, 2, 11}}, 30, 0);
    EXPECT_EQ(r.frames, 3);
    EXPECT_DOUBLE_EQ(r.compute.median_ms, 2.0);
    EXPECT_DOUBLE_EQ(r.latency.median_ms, 11.0);
    const std::string text = format_report(r);
    EXPECT_NE(text.find("latency: control change -> on screen"), std::string::npos);
    EXPECT_NE(text.find("idle: 0 recomputes in 30 frames"), std::string::npos);
    EXPECT_NE(text.find("benchmark-json: {\"setup\": \"64x64 blend, CPU, upload direct\", \"frames\": 3,"),
              std::string::npos);
    EXPECT_NE(text.find("\"idle_recomputes\": 0}"), std::string::npos) << text;
}
