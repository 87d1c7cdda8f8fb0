// The viewer's live video (video_source.h, video_session.h, video_recorder.h) on clips made
// here by VideoWriter. Each frame carries its index in its brightness, so a test can tell which
// frame it got. Waits are bounded by deadlines, never by the machine being fast.
#include <gtest/gtest.h>

#include <ATen/ATen.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>
#include <vector>

#include "base/error.h"
#include "video/latest_frame.h"
#include "video/video_reader.h"
#include "video/video_writer.h"
#include "support/temp_dir.h"
#include "viewer/video/video_session.h"
#include "viewer/video/video_source.h"

namespace nt::viewer {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

Image numbered_frame(int width, int height, int i) {
    Image f(width, height);
    for (std::uint8_t& v : f.pixels) v = std::uint8_t(20 + 4 * (i % 55));
    return f;
}

// The frame index a picture of numbered_frame carries (within codec error).
int frame_number(const Image& f) {
    double sum = 0;
    for (std::uint8_t v : f.pixels) sum += v;
    return int(std::lround((sum / double(f.pixels.size()) - 20.0) / 4.0));
}

void write_clip(const fs::path& path, int frames, int fps) {
    VideoWriterOptions o;
    o.width = 32;
    o.height = 24;
    o.fps_num = fps;
    VideoWriter w(path, o);
    for (int i = 0; i < frames; ++i) w.write(numbered_frame(32, 24, i));
    w.finish();
}

// Takes frames until `until` returns true or the deadline passes.
template <class Until>
std::vector<VideoFrame> take_until(VideoSource& source, Until until, std::chrono::milliseconds deadline,
                                   std::chrono::milliseconds every = 1ms) {
    std::vector<VideoFrame> got;
    const auto end = Clock::now() + deadline;
    while (Clock::now() < end && !until(got)) {
        if (auto f = source.take()) got.push_back(std::move(*f));
        std::this_thread::sleep_for(every);
    }
    return got;
}

TEST(LatestSlot, TheNewestWinsAndTheReplacedAreCounted) {
    LatestSlot<int> slot;
    EXPECT_FALSE(slot.put(1));
    EXPECT_TRUE(slot.put(2));
    EXPECT_TRUE(slot.put(3));
    EXPECT_EQ(slot.take(), 3);
    EXPECT_FALSE(slot.take().has_value());
    EXPECT_EQ(slot.dropped(), 2);
    slot.put(4);
    slot.clear();  // a seek: stale, but not dropped
    EXPECT_EQ(slot.dropped(), 2);
    EXPECT_TRUE(slot.empty());
}

TEST(VideoSource, OpensPausedOnTheFirstFrameAndStepsInOrder) {
    test::TempDir dir;
    write_clip(dir / "clip.mp4", 10, 25);
    VideoSource source(dir / "clip.mp4", {}, false);
    auto first = take_until(
        source, [](auto& g) { return !g.empty(); }, 5000ms);
    ASSERT_EQ(first.size(), 1u);
    EXPECT_EQ(first[0].index, 0);
    EXPECT_EQ(frame_number(first[0].picture), 0);
    std::this_thread::sleep_for(100ms);  // paused: nothing more comes
    EXPECT_FALSE(source.take().has_value());
    for (int i = 1; i <= 3; ++i) {
        source.step();
        auto next = take_until(
            source, [](auto& g) { return !g.empty(); }, 5000ms);
        ASSERT_EQ(next.size(), 1u);
        EXPECT_EQ(frame_number(next[0].picture), i);
        EXPECT_NEAR(next[0].time_s, i / 25.0, 1e-6);
    }
    EXPECT_FALSE(source.status().playing);
}

TEST(VideoSource, PlaysAtTheClipsFrameRate) {
    test::TempDir dir;
    write_clip(dir / "clip.mp4", 50, 25);  // 2 s
    VideoSource source(dir / "clip.mp4", {});
    source.set_loop(false);
    const auto start = Clock::now();
    auto got = take_until(
        source, [](auto& g) { return !g.empty() && g.back().index >= 24; }, 10000ms);
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    ASSERT_FALSE(got.empty());
    EXPECT_GE(got.back().index, 24);
    // Frame 24 is due 0.96 s after frame 0: not before (a late machine may be later).
    EXPECT_GE(elapsed, 0.9);
    for (std::size_t i = 1; i < got.size(); ++i) EXPECT_GT(got[i].time_s, got[i - 1].time_s);
}

TEST(VideoSource, ASlowConsumerGetsTheNewestFrameAndTheOthersAreDropped) {
    test::TempDir dir;
    write_clip(dir / "clip.mp4", 75, 25);  // 3 s
    VideoSource source(dir / "clip.mp4", {});
    source.set_loop(false);
    const auto start = Clock::now();
    std::vector<std::pair<std::int64_t, VideoFrame>> taken;  // the source's newest index then, the frame
    while (Clock::now() - start < 1500ms) {
        std::this_thread::sleep_for(200ms);  // a stylizer at 5 fps against a 25 fps source
        if (auto f = source.take()) taken.emplace_back(source.status().frame_index, std::move(*f));
    }
    ASSERT_GE(taken.size(), 3u);
    for (std::size_t i = 1; i < taken.size(); ++i) {
        // Several frames apart: the ones between were dropped, not queued for later.
        EXPECT_GE(taken[i].second.index - taken[i - 1].second.index, 2);
        // The newest the source had (or the one before, when the next came in between).
        EXPECT_LE(taken[i].first - taken[i].second.index, 1);
    }
    const VideoSourceStatus s = source.status();
    EXPECT_GT(s.dropped, 10);
    EXPECT_EQ(s.frames - s.dropped, std::int64_t(taken.size()) + (source.has_frame() ? 1 : 0));
}

TEST(VideoSource, EveryFrameWaitsForTheConsumerAndDropsNothing) {
    test::TempDir dir;
    write_clip(dir / "clip.mp4", 20, 25);
    VideoSource source(dir / "clip.mp4", {}, false);
    source.set_loop(false);
    source.set_pacing(VideoPacing::EveryFrame);
    source.play();
    auto got = take_until(
        source, [](auto& g) { return g.size() >= 20; }, 20000ms, 15ms);
    ASSERT_EQ(got.size(), 20u);
    for (int i = 0; i < 20; ++i) EXPECT_EQ(got[std::size_t(i)].index, i);
    EXPECT_EQ(source.status().dropped, 0);
}

TEST(VideoSource, SeeksToTheFrameAtATimeAndLoopsAtTheEnd) {
    test::TempDir dir;
    write_clip(dir / "clip.mp4", 20, 10);  // 2 s, a key frame only at the start
    VideoSource source(dir / "clip.mp4", {}, false);
    take_until(
        source, [](auto& g) { return !g.empty(); }, 5000ms);
    source.seek(1.25);
    auto at = take_until(
        source, [](auto& g) { return !g.empty(); }, 5000ms);
    ASSERT_EQ(at.size(), 1u);
    EXPECT_NEAR(at[0].time_s, 1.2, 0.051);  // the frame that covers 1.25 s (frames every 0.1 s)
    EXPECT_EQ(frame_number(at[0].picture), 12);
    source.set_pacing(VideoPacing::EveryFrame);
    source.play();
    // Past the end it starts again at frame 0 (loop is on by default).
    auto played = take_until(
        source, [](auto& g) { return g.size() >= 10; }, 20000ms);
    ASSERT_EQ(played.size(), 10u);
    EXPECT_EQ(played[6].index, 19);
    EXPECT_EQ(played[7].index, 0);
}

TEST(VideoSource, AMissingOrDamagedFileIsOneClearError) {
    test::TempDir dir;
    EXPECT_THROW(VideoSource(dir / "none.mp4", {}), Error);
    write_clip(dir / "clip.mp4", 40, 25);
    const auto size = fs::file_size(dir / "clip.mp4");
    fs::resize_file(dir / "clip.mp4", size / 2);  // truncated: the container says 40 frames
    try {
        VideoSource source(dir / "clip.mp4", {});
        source.set_pacing(VideoPacing::EveryFrame);
        const auto end = Clock::now() + 20s;
        while (Clock::now() < end && source.status().error.empty() && !source.status().ended) {
            source.take();
            std::this_thread::sleep_for(2ms);
        }
        const VideoSourceStatus s = source.status();
        EXPECT_FALSE(s.playing);
        EXPECT_NE(s.error.find("clip.mp4"), std::string::npos) << s.error;
    } catch (const Error& e) {  // cut before its first frame: refused at opening, also fine
        EXPECT_NE(std::string(e.what()).find("clip.mp4"), std::string::npos);
    }
}

at::Tensor rgba_of(const Image& f) {
    at::Tensor rgb = at::from_blob(const_cast<std::uint8_t*>(f.pixels.data()), {f.height, f.width, 3}, at::kByte);
    return at::cat({rgb, at::full({f.height, f.width, 1}, 255, at::kByte)}, 2).contiguous();
}

// Results arriving at 5 per second from a 25 fps source (the newest frame each time) must make
// a recording as long as the stretch watched, at 25 fps, each result held for the frames it
// stood for.
TEST(VideoSession, RecordingKeepsTheSourcesFrameRateAndLength) {
    test::TempDir dir;
    write_clip(dir / "clip.mp4", 50, 25);
    VideoSession session;
    session.open(dir / "clip.mp4", {}, false);
    session.start_recording(dir / "rec.mp4");
    EXPECT_TRUE(session.recording());
    std::uint64_t generation = 100;
    for (int i = 0; i <= 40; i += 5) {  // the frames a 5 fps stylizer got: 0, 5, ..., 40
        VideoFrame f;
        f.picture = numbered_frame(32, 24, i);
        f.time_s = i / 25.0;
        f.index = i;
        session.frame_content(++generation, f.time_s, f.picture);
        session.result_shown(generation, rgba_of(f.picture));
        session.result_shown(generation, rgba_of(f.picture));  // the same frame again: not a new one
    }
    session.stop_recording();
    std::optional<std::string> done;
    for (auto end = Clock::now() + 20s; !done && Clock::now() < end; std::this_thread::sleep_for(5ms))
        done = session.finished_recording();
    ASSERT_TRUE(done.has_value());
    EXPECT_EQ(done->rfind("Recorded rec.mp4 (41 frames, 1.6 s", 0), 0u) << *done;
    VideoReader back(dir / "rec.mp4");
    EXPECT_DOUBLE_EQ(back.info().fps(), 25.0);
    std::vector<int> numbers;
    while (auto f = back.read()) numbers.push_back(frame_number(f->picture));
    ASSERT_EQ(numbers.size(), 41u);
    for (int i = 0; i < 41; ++i) EXPECT_EQ(numbers[std::size_t(i)], i / 5 * 5) << "frame " << i;
    for (const auto& e : fs::directory_iterator(dir.path()))  // no temporary left beside it
        EXPECT_TRUE(e.path().filename() == "clip.mp4" || e.path().filename() == "rec.mp4") << e.path();
}

// A loop (or a seek back) while recording: the recording is one stretch of the timeline, so it
// is finished there and says why, instead of jumbling the frames (and the audio) after it.
TEST(VideoSession, ALoopEndsTheRecordingAndSaysWhy) {
    test::TempDir dir;
    write_clip(dir / "clip.mp4", 10, 25);
    VideoSession session;
    session.open(dir / "clip.mp4", {}, false);
    session.start_recording(dir / "rec.mp4");
    std::uint64_t generation = 0;
    for (double t : {0.0, 0.04, 0.08, 0.0}) {
        const Image picture = numbered_frame(32, 24, int(std::lround(t * 25)));
        session.frame_content(++generation, t, picture);
        session.result_shown(generation, rgba_of(picture));
    }
    EXPECT_FALSE(session.recording());
    std::optional<std::string> done;
    for (auto end = Clock::now() + 20s; !done && Clock::now() < end; std::this_thread::sleep_for(5ms))
        done = session.finished_recording();
    ASSERT_TRUE(done.has_value());
    EXPECT_NE(done->find("(3 frames"), std::string::npos) << *done;
    EXPECT_NE(done->find("went back in time"), std::string::npos) << *done;
}

TEST(VideoSession, ARecordingAbandonedWithoutStopLeavesNothing) {
    test::TempDir dir;
    write_clip(dir / "clip.mp4", 10, 25);
    {
        VideoRecorder recorder(dir / "rec.mp4", 25, 1, nullptr);
        recorder.add_frame(numbered_frame(32, 24, 0), 0.0);
        std::this_thread::sleep_for(50ms);
    }
    for (const auto& e : fs::directory_iterator(dir.path())) EXPECT_EQ(e.path().filename(), "clip.mp4");
}

TEST(VideoSession, ClosingWhileRecordingKeepsTheRecording) {
    test::TempDir dir;
    write_clip(dir / "clip.mp4", 10, 25);
    {
        VideoSession session;
        session.open(dir / "clip.mp4", {}, false);
        session.start_recording(dir / "rec.mp4");
        VideoFrame f;
        f.picture = numbered_frame(32, 24, 3);
        session.frame_content(7, f.time_s, f.picture);
        session.result_shown(7, rgba_of(f.picture));
    }  // the viewer quits while recording
    ASSERT_TRUE(fs::exists(dir / "rec.mp4"));
    VideoReader back(dir / "rec.mp4");
    auto f = back.read();
    ASSERT_TRUE(f.has_value());
    EXPECT_EQ(frame_number(f->picture), 3);
}

}  // namespace
}  // namespace nt::viewer
