// A video's frames as pictures (-o a folder): named as ffmpeg names them, split in shards that
// give exactly the frames of a whole run (the running statistics included), and resumed with
// --skip-existing.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/cli_test_support.h"
#include "video/video_writer.h"
#include "support/temp_dir.h"
#include "support/test_images.h"

namespace nt {
namespace {

namespace fs = std::filesystem;

// A clip whose colours drift from frame to frame without a cut (methods/temporal_stats.h
// restarts its averages at a cut), so that the running statistics carry over between frames.
void write_changing_clip(const fs::path& path, int frames) {
    VideoWriterOptions o;
    o.width = 64;
    o.height = 48;
    o.fps_num = 8;
    VideoWriter w(path, o);
    for (int i = 0; i < frames; ++i) {
        Image f(64, 48);
        for (int y = 0; y < 48; ++y)
            for (int x = 0; x < 64; ++x) {
                std::uint8_t* p = f.at(x, y);
                p[0] = std::uint8_t(30 + 2 * x + 4 * i);
                p[1] = std::uint8_t(40 + 3 * y);
                p[2] = std::uint8_t(128 + 90 * std::sin((x + 3 * i) / 5.0));
            }
        w.write(f);
    }
    w.finish();
}

std::map<std::string, test::Bytes> contents_of(const fs::path& folder) {
    std::map<std::string, test::Bytes> files;
    for (const std::string& name : test::folder_entries(folder)) files[name] = test::read_bytes(folder / name);
    return files;
}

class VideoFrames : public ::testing::Test {
protected:
    test::TempDir dir;
    std::string clip = (dir / "clip.mp4").string(), style = (dir / "style.png").string();
    void SetUp() override {
        write_changing_clip(clip, 12);
        save_image(test::make_pattern(32, 32, 5), style);
    }
    test::CliRun run(const std::string& method, const fs::path& out, std::vector<std::string> extra = {}) {
        const std::vector<std::string> args = {clip,       style, "--method", method,    "-o", out.string() + "/",
                                               "--format", "png", "--size",   "long:96", "-q"};
        return test::run_cli_captured(test::plus(args, extra));
    }
};

TEST_F(VideoFrames, EveryFrameIsAPictureNamedFromOne) {
    const test::CliRun r = run("blend", dir / "frames");
    ASSERT_EQ(r.code, kExitOk) << r.err;
    const std::vector<std::string> names = test::folder_entries(dir / "frames");
    ASSERT_EQ(names.size(), 12u);
    EXPECT_EQ(names.front(), "clip_000001.png");
    EXPECT_EQ(names.back(), "clip_000012.png");
}

TEST_F(VideoFrames, ShardsGiveTheFramesOfAWholeRunEvenWithRunningStatistics) {
    for (const std::string method : {"blend", "reinhard"}) {
        const fs::path whole = dir / (method + "_whole"), sharded = dir / (method + "_sharded");
        ASSERT_EQ(run(method, whole).code, kExitOk);
        for (int k = 0; k < 3; ++k) {
            const test::CliRun r = run(method, sharded, {"--shard", std::to_string(k) + "/3"});
            ASSERT_EQ(r.code, kExitOk) << r.err;
            EXPECT_EQ(test::folder_entries(sharded).size(), 4u * (k + 1)) << method;  // 4 frames a shard
        }
        EXPECT_EQ(contents_of(sharded), contents_of(whole)) << method;
    }
    // Without smoothing the frames differ: the test above did exercise the running statistics.
    ASSERT_EQ(run("reinhard", dir / "unsmoothed", {"--smooth-stats", "0"}).code, kExitOk);
    EXPECT_NE(contents_of(dir / "unsmoothed"), contents_of(dir / "reinhard_whole"));
}

// --temporal applies to frames written as pictures as it does to a video (it was ignored there),
// and each shard replays the frames before its range so that it writes the frames of a whole run.
TEST_F(VideoFrames, TemporalConsistencyAppliesAndShardsGiveAWholeRun) {
    const std::vector<std::string> steady = {"--smooth-stats", "0", "--temporal", "0.8"};
    ASSERT_EQ(run("reinhard", dir / "per_frame", {"--smooth-stats", "0"}).code, kExitOk);
    const test::CliRun whole =
        test::run_cli_captured(test::plus({clip, style, "--method", "reinhard", "-o", (dir / "whole").string() + "/",
                                           "--format", "png", "--size", "long:96"},
                                          steady));
    ASSERT_EQ(whole.code, kExitOk) << whole.err;
    EXPECT_NE(whole.out.find("temporal 0.8 (cuts: 0)"), std::string::npos) << whole.out;
    const std::map<std::string, test::Bytes> per_frame = contents_of(dir / "per_frame");
    const std::map<std::string, test::Bytes> filtered = contents_of(dir / "whole");
    ASSERT_EQ(filtered.size(), 12u);
    EXPECT_EQ(filtered.at("clip_000001.png"), per_frame.at("clip_000001.png"));  // nothing before it
    EXPECT_NE(filtered.at("clip_000006.png"), per_frame.at("clip_000006.png"));
    for (int k = 0; k < 3; ++k) {
        std::vector<std::string> shard = steady;
        shard.insert(shard.end(), {"--shard", std::to_string(k) + "/3"});
        ASSERT_EQ(run("reinhard", dir / "sharded", shard).code, kExitOk);
    }
    EXPECT_EQ(contents_of(dir / "sharded"), filtered);
}

TEST_F(VideoFrames, SkipExistingWritesOnlyTheMissingFrames) {
    const fs::path whole = dir / "whole", resumed = dir / "resumed", report = dir / "r.jsonl";
    ASSERT_EQ(run("reinhard", whole).code, kExitOk);
    fs::create_directory(resumed);
    for (const std::string& name : test::folder_entries(whole))
        if (name != "clip_000004.png" && name != "clip_000009.png") fs::copy_file(whole / name, resumed / name);
    const test::CliRun r = run("reinhard", resumed, {"--skip-existing", "--report", report.string()});
    ASSERT_EQ(r.code, kExitOk) << r.err;
    EXPECT_EQ(contents_of(resumed), contents_of(whole));
    std::ifstream in(report);
    std::map<std::string, int> statuses;
    for (std::string line; std::getline(in, line);) {
        const nlohmann::json j = nlohmann::json::parse(line);
        ++statuses[j["status"].get<std::string>()];
        if (j["status"] == "ok") {
            EXPECT_TRUE(j["frame"] == 4 || j["frame"] == 9) << j;
        }
    }
    EXPECT_EQ(statuses["ok"], 2);
    EXPECT_EQ(statuses["skipped"], 10);
}

}  // namespace
}  // namespace nt
