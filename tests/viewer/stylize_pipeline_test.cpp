// The pipeline reruns only stale stages and matches the core's stylize().
#include <gtest/gtest.h>

#include "core/stylize.h"
#include "support/test_images.h"
#include "viewer/stylize_pipeline.h"

using namespace nt;
using namespace nt::viewer;

namespace {

ViewerState two_pictures() {
    ViewerState s;
    s.set_image(s.content, "c.png", test::make_pattern(40, 30, 1));
    s.set_image(s.style, "s.png", test::make_pattern(20, 50, 2));
    s.controls.size_preset = SizePreset::Custom;
    s.controls.custom_width = 24;
    s.controls.custom_height = 16;
    return s;
}

}  // namespace

TEST(StylizePipeline, MatchesTheCoreResult) {
    ViewerState s = two_pictures();
    StylizePipeline p;
    const PipelineUpdate u = p.update(s);
    EXPECT_TRUE(u.error.empty()) << u.error;
    StylizeOptions o;
    o.size = size_spec(s.controls);
    o.device = DeviceChoice::Cpu;
    EXPECT_EQ(test::max_abs_diff(p.result(), stylize(s.content.image, s.style.image, o)), 0);
    EXPECT_EQ(p.working_content().width, 24);
    EXPECT_EQ(p.working_style().height, 16);
}

TEST(StylizePipeline, IdleUpdatesDoNothing) {
    ViewerState s = two_pictures();
    StylizePipeline p;
    p.update(s);
    EXPECT_FALSE(p.update(s).ran.any());
}

TEST(StylizePipeline, SliderChangeRerunsOnlyTheMethod) {
    ViewerState s = two_pictures();
    StylizePipeline p;
    p.update(s);
    const Image before = p.result();
    s.controls.params["blend"]["alpha"] = 0.9;
    const PipelineUpdate u = p.update(s);
    EXPECT_TRUE(u.ran.result);
    EXPECT_FALSE(u.ran.working_images);
    EXPECT_GT(test::max_abs_diff(before, p.result()), 0);
}

TEST(StylizePipeline, FailureKeepsTheLastResultAndIsNotRetriedEveryFrame) {
    ViewerState s = two_pictures();
    StylizePipeline p;
    p.update(s);
    const Image good = p.result();
    s.controls.custom_width = 40000;  // beyond the limits
    const PipelineUpdate failed = p.update(s);
    EXPECT_FALSE(failed.error.empty());
    EXPECT_EQ(test::max_abs_diff(p.result(), good), 0);
    EXPECT_FALSE(p.update(s).ran.any());  // same inputs: not retried
    s.controls.custom_width = 24;
    EXPECT_TRUE(p.update(s).error.empty());
}

TEST(StylizePipeline, WaitsForBothPictures) {
    ViewerState s;
    s.set_image(s.content, "c.png", test::make_pattern(8, 8));
    StylizePipeline p;
    EXPECT_FALSE(p.update(s).ran.any());
    EXPECT_FALSE(p.has_result());
}
