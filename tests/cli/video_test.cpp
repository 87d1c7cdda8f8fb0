// Video in and out (video) and the command line's video mode. The clips are made here: frames
// encoded by VideoWriter, or (for audio) FFmpeg's own test sources through the ffmpeg program when
// it is installed. Frames are compared within codec error, in 8-bit levels.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "cli/cli_test_support.h"
#include "base/error.h"
#include "imageio/load_image.h"
#include "stylize/stylize.h"
#include "video/video_reader.h"
#include "video/video_writer.h"
#include "support/temp_dir.h"
#include "support/test_images.h"

namespace nt {
namespace {

namespace fs = std::filesystem;

// A smooth moving picture (4:2:0 video keeps half the chroma resolution, so no fine colour
// detail): gradients in red and green, a wave in blue that moves 3 pixels a frame.
Image moving_frame(int width, int height, int i) {
    Image f(width, height);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            std::uint8_t* p = f.at(x, y);
            p[0] = std::uint8_t(40 + 170 * x / (width - 1));
            p[1] = std::uint8_t(40 + 170 * y / (height - 1));
            p[2] = std::uint8_t(128 + 90 * std::sin((x + 3 * i) / 5.0));
        }
    return f;
}

void write_clip(const fs::path& path, int frames, int width = 64, int height = 48, int fps = 8) {
    VideoWriterOptions o;
    o.width = width;
    o.height = height;
    o.fps_num = fps;
    VideoWriter w(path, o);
    for (int i = 0; i < frames; ++i) w.write(moving_frame(width, height, i));
    w.finish();
}

double mean_levels(const Image& a, const Image& b) {
    double sum = 0;
    for (std::size_t i = 0; i < a.pixels.size(); ++i) sum += std::abs(int(a.pixels[i]) - int(b.pixels[i]));
    return sum / double(a.pixels.size());
}

std::vector<VideoFrame> read_all(const fs::path& path) {
    VideoReader r(path);
    std::vector<VideoFrame> frames;
    while (auto f = r.read()) frames.push_back(std::move(*f));
    return frames;
}

std::vector<std::string> names_in(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
    return names;
}

TEST(Video, FramesComeBackInOrderWithTheirTimes) {
    test::TempDir dir;
    write_clip(dir / "clip.mp4", 12);
    VideoReader r(dir / "clip.mp4");
    EXPECT_EQ(r.info().width, 64);
    EXPECT_EQ(r.info().height, 48);
    EXPECT_DOUBLE_EQ(r.info().fps(), 8.0);
    EXPECT_EQ(r.info().frames, 12);
    EXPECT_NEAR(r.info().duration_s, 1.5, 1e-6);
    EXPECT_EQ(r.info().codec, "h264");
    EXPECT_FALSE(r.info().has_audio);
    for (int i = 0; i < 12; ++i) {
        const std::optional<VideoFrame> f = r.read();
        ASSERT_TRUE(f) << i;
        EXPECT_EQ(f->index, i);
        EXPECT_NEAR(f->time_s, i / 8.0, 1e-6);
        EXPECT_LT(mean_levels(f->picture, moving_frame(64, 48, i)), 2.0) << i;  // H.264 at crf 18
        if (i > 0) {
            EXPECT_GT(mean_levels(f->picture, moving_frame(64, 48, i - 1)), 3.0) << i;  // not a repeat
        }
    }
    EXPECT_FALSE(r.read());
}

TEST(Video, SeekReturnsFramesFromThere) {
    test::TempDir dir;
    write_clip(dir / "clip.mkv", 16);
    VideoReader r(dir / "clip.mkv");
    r.seek(0.0);
    const std::optional<VideoFrame> f = r.read();
    ASSERT_TRUE(f);
    EXPECT_NEAR(f->time_s, 0.0, 1e-6);
    EXPECT_LT(mean_levels(f->picture, moving_frame(64, 48, 0)), 2.0);
}

// Issue 26: a camera that is not there said "No such file or directory".
TEST(Video, AMissingCameraSaysThereIsNoCamera) {
    const std::string device = "/dev/video97";
    ASSERT_FALSE(fs::exists(device));
    try {
        VideoReader r(device);
        ADD_FAILURE() << "a camera that does not exist opened";
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()).rfind(device + ": no camera", 0), 0u) << e.what();
    }
}

TEST(Video, BrokenAndTruncatedFilesAreOneLineErrors) {
    test::TempDir dir;
    EXPECT_THROW(VideoReader(dir / "missing.mp4"), Error);
    { std::ofstream(dir / "garbage.mp4") << "this is not a video at all"; }
    try {
        VideoReader r(dir / "garbage.mp4");
        ADD_FAILURE() << "garbage accepted";
    } catch (const Error& e) {
        const std::string what = e.what();
        EXPECT_EQ(what.rfind((dir / "garbage.mp4").string(), 0), 0u) << what;
        EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    }
    // Cut in the middle: an MKV keeps its index up front, so it opens and ends early.
    write_clip(dir / "clip.mkv", 24);
    const auto size = fs::file_size(dir / "clip.mkv");
    fs::resize_file(dir / "clip.mkv", size / 2);
    EXPECT_THROW(read_all(dir / "clip.mkv"), Error);
    // Cut before its first frame: said so (not a negative time).
    write_clip(dir / "short.mkv", 4);
    fs::resize_file(dir / "short.mkv", 600);
    try {
        read_all(dir / "short.mkv");
        ADD_FAILURE() << "a clip cut before its first frame was accepted";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("before the first frame"), std::string::npos) << e.what();
    }
    // An MP4 cut before its index does not open.
    write_clip(dir / "clip.mp4", 24);
    fs::resize_file(dir / "clip.mp4", fs::file_size(dir / "clip.mp4") / 2);
    EXPECT_THROW(read_all(dir / "clip.mp4"), Error);
}

TEST(Video, AnAbandonedWriterLeavesNothing) {
    test::TempDir dir;
    {
        VideoWriterOptions o;
        o.width = 32;
        o.height = 32;
        VideoWriter w(dir / "out.mp4", o);
        w.write(moving_frame(32, 32, 0));
        EXPECT_THROW(w.write(moving_frame(40, 32, 0)), Error);  // a frame of another size
    }
    EXPECT_TRUE(names_in(dir.path()).empty());
    VideoWriterOptions o;
    o.width = 32;
    o.height = 32;
    EXPECT_THROW(VideoWriter(dir / "no_such_folder" / "out.mp4", o), Error);
    EXPECT_THROW(VideoWriter(dir / "out.avi", o), Error);
}

class VideoCli : public ::testing::Test {
protected:
    void SetUp() override {
        clip = (dir / "clip.mp4").string();
        style = (dir / "style.png").string();
        output = (dir / "out.mp4").string();
        write_clip(clip, 10);
        save_image(test::make_pattern(32, 32, 2), style);
    }
    test::TempDir dir;
    std::string clip, style, output;
};

// Every frame of the output is the core's stylization of the decoded input frame, within the
// output's own codec error; the frame count, size and rate are the source's.
TEST_F(VideoCli, AClipIsStylizedFrameByFrame) {
    const test::CliRun r = test::run_cli_captured({clip, style, "-o", output, "-d", "cpu", "--alpha", "0.6"});
    ASSERT_EQ(r.code, kExitOk) << r.err;
    // --size not given: long side 512, the clip's aspect kept.
    EXPECT_NE(r.out.find("10 frames of 512x384 at 8 fps"), std::string::npos) << r.out;
    const std::vector<VideoFrame> in = read_all(clip), out = read_all(output);
    ASSERT_EQ(out.size(), in.size());
    StylizeOptions o;
    o.params["alpha"] = 0.6;
    o.size = parse_size_spec("long:512");
    o.device = DeviceChoice::Cpu;
    const Image s = load_image(style);
    for (std::size_t i = 0; i < in.size(); ++i) {
        const Image expected = stylize(in[i].picture, s, o);
        ASSERT_EQ(out[i].picture.width, expected.width);
        EXPECT_LT(mean_levels(out[i].picture, expected), 3.0) << i;
        EXPECT_NEAR(out[i].time_s, in[i].time_s, 1e-6);
    }
}

// A bar that comes and goes at the left edge: the content's statistics jump every frame. Reinhard
// averages them over --smooth-stats seconds (default 0.5); 0 gives every frame its own, which
// is then exactly the still-picture result.
TEST_F(VideoCli, ColourStatisticsAreSmoothedOverTimeUnlessTurnedOff) {
    const std::string blinking = (dir / "blink.mp4").string();
    {
        VideoWriterOptions o;
        o.width = 64;
        o.height = 48;
        o.fps_num = 25;
        VideoWriter w(blinking, o);
        for (int i = 0; i < 8; ++i) {
            Image f = moving_frame(64, 48, 0);
            if (i % 2)
                for (int y = 16; y < 32; ++y)
                    for (int x = 0; x < 8; ++x) f.at(x, y)[0] = f.at(x, y)[1] = f.at(x, y)[2] = 250;
            w.write(f);
        }
        w.finish();
    }
    const std::string raw = (dir / "raw.mp4").string(), smooth = (dir / "smooth.mp4").string();
    const std::vector<std::string> common{blinking, style, "-d", "cpu", "--method", "reinhard", "--size", "original"};
    std::vector<std::string> a = common, b = common;
    a.insert(a.end(), {"--smooth-stats", "0", "-o", raw});
    b.insert(b.end(), {"-o", smooth});
    ASSERT_EQ(test::run_cli_captured(a).code, kExitOk);
    ASSERT_EQ(test::run_cli_captured(b).code, kExitOk);
    const std::vector<VideoFrame> in = read_all(blinking), r = read_all(raw), m = read_all(smooth);
    ASSERT_EQ(r.size(), 8u);
    ASSERT_EQ(m.size(), 8u);
    StylizeOptions o;
    o.method = "reinhard";
    o.size = parse_size_spec("original");
    o.device = DeviceChoice::Cpu;
    const Image s = load_image(style);
    for (std::size_t i = 0; i < in.size(); ++i) EXPECT_LT(mean_levels(r[i].picture, stylize(in[i].picture, s, o)), 3.0);
    EXPECT_LT(mean_levels(m[0].picture, r[0].picture), 1.0);  // the first frame is its own average
    EXPECT_GT(mean_levels(m[5].picture, r[5].picture), 2.0);  // later ones are not
    test::CliRun bad = test::run_cli_captured({blinking, style, "--smooth-stats", "11", "-o", output});
    EXPECT_EQ(bad.code, kExitUsage);
    EXPECT_NE(bad.err.find("--smooth-stats"), std::string::npos) << bad.err;
}

// --temporal: each result pulled towards the last one along the flow. A bar comes and goes at
// the left edge of a still clip, and Reinhard without --smooth-stats recolours every pixel with
// each frame's statistics: the still part flickers, which the method made, not the input. With
// --temporal 0.8 it changes much less from frame to frame; the first frame is the per-frame
// result; a strength outside 0..1 is a usage error.
TEST_F(VideoCli, TemporalConsistencySteadiesTheFrames) {
    const std::string blinking = (dir / "blink.mp4").string();
    {
        VideoWriterOptions o;
        o.width = 96;
        o.height = 72;
        o.fps_num = 25;
        VideoWriter w(blinking, o);
        for (int i = 0; i < 10; ++i) {
            Image f = moving_frame(96, 72, 0);
            if (i % 2)
                for (int y = 0; y < 72; ++y)
                    for (int x = 0; x < 16; ++x) f.at(x, y)[0] = f.at(x, y)[1] = f.at(x, y)[2] = 250;
            w.write(f);
        }
        w.finish();
    }
    const std::string raw = (dir / "raw.mp4").string(), steady = (dir / "steady.mp4").string();
    const std::vector<std::string> common{
        blinking, style, "-d", "cpu", "--method", "reinhard", "--size", "original", "--smooth-stats", "0"};
    std::vector<std::string> a = common, b = common;
    a.insert(a.end(), {"-o", raw});
    b.insert(b.end(), {"--temporal", "0.8", "-o", steady});
    ASSERT_EQ(test::run_cli_captured(a).code, kExitOk);
    const test::CliRun r = test::run_cli_captured(b);
    ASSERT_EQ(r.code, kExitOk) << r.err;
    EXPECT_NE(r.out.find("temporal 0.8 (cuts: 0)"), std::string::npos) << r.out;
    const std::vector<VideoFrame> per_frame = read_all(raw), out = read_all(steady);
    ASSERT_EQ(out.size(), 10u);
    EXPECT_LT(mean_levels(out[0].picture, per_frame[0].picture), 3.0);  // within codec error
    // The frame-to-frame change of the still part (right of the bar).
    const auto still_change = [](const Image& p, const Image& q) {
        double sum = 0;
        int n = 0;
        for (int y = 0; y < p.height; ++y)
            for (int x = 32; x < p.width; ++x, ++n)
                for (int c = 0; c < 3; ++c) sum += std::abs(int(p.at(x, y)[c]) - int(q.at(x, y)[c])) / 3.0;
        return sum / n;
    };
    double change_raw = 0, change_steady = 0;
    for (std::size_t i = 1; i < out.size(); ++i) {
        change_raw += still_change(per_frame[i].picture, per_frame[i - 1].picture);
        change_steady += still_change(out[i].picture, out[i - 1].picture);
    }
    EXPECT_GT(change_raw, 9 * 2.0);  // the flicker is there: 2 levels a frame at least
    EXPECT_LT(change_steady, change_raw / 3) << change_raw;
    test::CliRun bad = test::run_cli_captured({blinking, style, "--temporal", "1.5", "-o", output});
    EXPECT_EQ(bad.code, kExitUsage);
    EXPECT_NE(bad.err.find("--temporal"), std::string::npos) << bad.err;
    EXPECT_FALSE(fs::exists(output));
}

TEST_F(VideoCli, MistakesLeaveNothingBehind) {
    // An iterative method, an output folder that does not exist, a truncated input.
    test::CliRun r = test::run_cli_captured({clip, style, "-o", output, "--method", "patch_synthesis"});
    EXPECT_EQ(r.code, kExitUsage);  // a usage error (issue 26: it was 1)
    EXPECT_NE(r.err.find("not for video"), std::string::npos) << r.err;
    r = test::run_cli_captured({clip, style, "-o", (dir / "nowhere" / "out.mp4").string()});
    EXPECT_NE(r.code, kExitOk);
    EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;
    write_clip(dir / "cut.mkv", 24);
    fs::resize_file(dir / "cut.mkv", fs::file_size(dir / "cut.mkv") / 2);
    // -q: a progress line (shown once a run passes a second, as on a loaded machine) is not an error line.
    r = test::run_cli_captured({(dir / "cut.mkv").string(), style, "-o", output, "-q"});
    EXPECT_NE(r.code, kExitOk);
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_FALSE(fs::exists(output));
    for (const std::string& name : names_in(dir.path())) EXPECT_EQ(name.find(".partial"), std::string::npos) << name;
}

// Ctrl+C in the middle of a clip: the real command in a child, interrupted once its temporary
// file exists. It exits 1 with one line, and leaves neither the output nor the temporary file.
TEST_F(VideoCli, AnInterruptedRunLeavesNothing) {
    write_clip(dir / "long.mkv", 240, 160, 120, 24);
    const fs::path err = dir / "err.txt";
    const pid_t pid = ::fork();
    if (pid == 0) {
        if (!std::freopen(err.c_str(), "w", stderr)) ::_exit(99);
        std::string program = NT_CLI_PATH, in = (dir / "long.mkv").string(), out = output, method = "reinhard";
        std::string s = style, o = "-o", m = "--method", q = "-q";
        char* argv[] = {program.data(), in.data(),  s.data(), m.data(), method.data(),
                        o.data(),       out.data(), q.data(), nullptr};
        ::execv(NT_CLI_PATH, argv);
        ::_exit(97);
    }
    auto partial_exists = [&] {
        for (const std::string& name : names_in(dir.path()))
            if (name.find(".partial") != std::string::npos) return true;
        return false;
    };
    for (int i = 0; i < 2000 && !partial_exists(); ++i) ::usleep(5000);
    ASSERT_TRUE(partial_exists()) << "the run never started writing";
    ::kill(pid, SIGINT);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), kExitFailed);
    std::ifstream text(err);
    std::string line;
    std::getline(text, line);
    EXPECT_NE(line.find("interrupted"), std::string::npos) << line;
    EXPECT_FALSE(fs::exists(output));
    EXPECT_FALSE(partial_exists());
}

// FFmpeg's test sources with a tone: the audio arrives in the output unchanged in length.
TEST_F(VideoCli, TheAudioIsCopied) {
    if (std::system("command -v ffmpeg >/dev/null 2>&1") != 0)
        GTEST_FAIL() << "no ffmpeg program to make a clip with audio";
    const std::string with_audio = (dir / "tone.mp4").string();
    const std::string make =
        "ffmpeg -loglevel error -y -f lavfi -i testsrc=size=64x48:rate=10 -f lavfi -i "
        "sine=frequency=440:sample_rate=44100 -t 1 -c:v libx264 -pix_fmt yuv420p -c:a aac '" +
        with_audio + "'";
    ASSERT_EQ(std::system(make.c_str()), 0);
    const test::CliRun r = test::run_cli_captured({with_audio, style, "-o", output, "-d", "cpu", "-q"});
    ASSERT_EQ(r.code, kExitOk) << r.err;
    VideoReader out(output);
    EXPECT_TRUE(out.info().has_audio);
    EXPECT_NEAR(out.info().duration_s, 1.0, 0.05);
    EXPECT_EQ(read_all(output).size(), 10u);
}

}  // namespace
}  // namespace nt

namespace nt {
namespace {

// An animated GIF is a video when the output is one; otherwise (and a still GIF always) the
// first frame is the picture, as before.
TEST(VideoCliGif, AnAnimatedGifBecomesAVideoWhenTheOutputIsOne) {
    if (std::system("command -v ffmpeg >/dev/null 2>&1") != 0) GTEST_FAIL() << "no ffmpeg program to make a GIF";
    test::TempDir dir;
    const std::string anim = (dir / "anim.gif").string(), still = (dir / "still.gif").string();
    const std::string make = "ffmpeg -loglevel error -y -f lavfi -i testsrc=size=64x48:rate=10 ";
    ASSERT_EQ(std::system((make + "-t 1 " + anim).c_str()), 0);
    ASSERT_EQ(std::system((make + "-frames:v 1 " + still).c_str()), 0);
    EXPECT_TRUE(is_animated_gif(anim));
    EXPECT_FALSE(is_animated_gif(still));
    EXPECT_FALSE(is_animated_gif(dir / "none.gif"));
    fs::copy_file(anim, dir / "cut.gif");
    fs::resize_file(dir / "cut.gif", 200);  // ends inside the first frame: a (broken) picture
    EXPECT_FALSE(is_animated_gif(dir / "cut.gif"));
    const std::string style = (dir / "style.png").string(), out = (dir / "out.mp4").string();
    save_image(test::make_pattern(32, 32, 2), style);
    const test::CliRun r = test::run_cli_captured({anim, style, "-o", out, "--method", "reinhard"});
    ASSERT_EQ(r.code, kExitOk) << r.err;
    EXPECT_EQ(read_all(out).size(), 10u);
    const test::CliRun picture = test::run_cli_captured({anim, style, "-o", (dir / "first.png").string()});
    EXPECT_EQ(picture.code, kExitOk) << picture.err;
    const test::CliRun refused = test::run_cli_captured({still, style, "-o", (dir / "still.mp4").string()});
    EXPECT_NE(refused.code, kExitOk);
    EXPECT_FALSE(fs::exists(dir / "still.mp4"));
}

}  // namespace
}  // namespace nt
