// Content statistics smoothed over a video (methods/temporal_stats.h): the running average
// itself, its restarts, and the flicker it takes out of the colour methods on a clip whose
// background stands still while a bright object comes in.
#include <gtest/gtest.h>

#include <ATen/ATen.h>

#include <cmath>
#include <vector>

#include "methods/method.h"
#include "methods/temporal_stats.h"
#include "stylize/stylize.h"
#include "image/tensor_convert.h"
#include "support/test_images.h"
#include "stylize/registry.h"

namespace nt {
namespace {

Image flat(int w, int h, std::uint8_t v) {
    Image f(w, h);
    for (std::uint8_t& p : f.pixels) p = v;
    return f;
}

TEST(TemporalStats, AveragesWithAWeightFromTheTimeBetweenFrames) {
    TemporalStats t(0.5);
    const Image a = flat(16, 16, 100);
    t.next_frame(a, 0.0);
    EXPECT_DOUBLE_EQ(t.smooth("k", at::full({3}, 1.0, at::kDouble))[0].item<double>(),
                     1.0);  // the first frame: its own
    t.next_frame(a, 0.1);
    const double w = 1.0 - std::exp(-0.1 / 0.5);
    EXPECT_NEAR(t.smooth("k", at::full({3}, 2.0, at::kDouble))[0].item<double>(), 1.0 + w, 1e-12);
    // The same frame stylized again (other settings): averaged from the same place, not twice.
    t.next_frame(a, 0.1);
    EXPECT_NEAR(t.smooth("k", at::full({3}, 3.0, at::kDouble))[0].item<double>(), 1.0 + 2.0 * w, 1e-12);
    // Half the frame rate: a larger step, so the smoothing lasts as long in seconds.
    t.next_frame(a, 0.3);
    const double w2 = 1.0 - std::exp(-0.2 / 0.5);
    EXPECT_NEAR(t.smooth("k", at::full({3}, 0.0, at::kDouble))[0].item<double>(), (1.0 + 2.0 * w) * (1 - w2), 1e-12);
    EXPECT_EQ(t.restarts(), 1);
}

TEST(TemporalStats, RestartsAtACutASeekAndWhenOff) {
    TemporalStats t(0.5);
    t.next_frame(flat(16, 16, 100), 0.0);
    t.smooth("k", at::full({1}, 1.0));
    t.next_frame(flat(16, 16, 200), 0.04);  // a new shot: 100 levels apart
    EXPECT_DOUBLE_EQ(t.smooth("k", at::full({1}, 5.0)).item<double>(), 5.0);
    t.next_frame(flat(16, 16, 200), 0.0);  // back to the start (a loop)
    EXPECT_DOUBLE_EQ(t.smooth("k", at::full({1}, 7.0)).item<double>(), 7.0);
    EXPECT_EQ(t.restarts(), 3);
    TemporalStats off(0.0);
    off.next_frame(flat(16, 16, 100), 0.0);
    off.smooth("k", at::full({1}, 1.0));
    off.next_frame(flat(16, 16, 100), 0.04);
    EXPECT_DOUBLE_EQ(off.smooth("k", at::full({1}, 9.0)).item<double>(), 9.0);
}

// 2 s at 25 fps: a still background (a pattern) and a bright object at the picture's edge that
// moves in and out at random, as a hand-held camera or a passer-by at the edge does: the
// content's statistics jump from frame to frame while most pixels stand still.
std::vector<Image> jittering_object_clip() {
    std::vector<Image> frames;
    const Image background = test::make_pattern(96, 64, 5);
    std::uint32_t seed = 12345;
    for (int i = 0; i < 50; ++i) {
        seed = seed * 1664525u + 1013904223u;
        const int visible = int(seed >> 27);  // 0 .. 31 columns of the object in the picture
        Image f = background;
        for (int y = 8; y < 56; ++y)
            for (int x = 0; x < visible; ++x) {
                std::uint8_t* p = f.at(x, y);
                p[0] = 250, p[1] = 240, p[2] = 200;
            }
        frames.push_back(f);
    }
    return frames;
}

double flicker_of(const std::string& method, double time_constant) {
    const std::vector<Image> clip = jittering_object_clip();
    const Image style = test::make_pattern(64, 64, 11);
    StylizeOptions o;
    o.method = method;
    o.size = parse_size_spec("original");
    o.device = DeviceChoice::Cpu;
    TemporalStats temporal(time_constant);
    o.temporal = &temporal;
    std::vector<Image> out;
    for (std::size_t i = 0; i < clip.size(); ++i) {
        temporal.next_frame(clip[i], double(i) / 25.0);
        out.push_back(stylize(clip[i], style, o));
    }
    return still_flicker(clip, out);
}

TEST(TemporalStats, SmoothingTakesTheFlickerOutOfTheColourMethods) {
    for (const char* method : {"reinhard", "monge_kantorovich", "histogram"}) {
        ASSERT_TRUE(method_by_name(method).info().content_statistics) << method;
        const double raw = flicker_of(method, 0.0), smoothed = flicker_of(method, kDefaultStatsTimeConstant);
        std::printf("%-18s still-pixel flicker: %.3f levels/frame raw, %.3f smoothed\n", method, raw, smoothed);
        EXPECT_GT(raw, 0.2) << method;  // the clip does make them flicker
        EXPECT_LT(smoothed, raw / 3.0) << method;
    }
    EXPECT_FALSE(method_by_name("blend").info().content_statistics);
}

TEST(TemporalStats, StillFlickerCountsOnlyStillPixels) {
    std::vector<Image> content{flat(4, 4, 10), flat(4, 4, 10)}, result{flat(4, 4, 50), flat(4, 4, 53)};
    EXPECT_DOUBLE_EQ(still_flicker(content, result), 3.0);
    content[1] = flat(4, 4, 90);  // everything moved: nothing is still
    EXPECT_DOUBLE_EQ(still_flicker(content, result), 0.0);
}

}  // namespace
}  // namespace nt
