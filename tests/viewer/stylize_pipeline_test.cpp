// The pipeline reruns only stale stages and matches the core's stylize().
#include <gtest/gtest.h>

#include "core/stylize.h"
#include "core/tensor_convert.h"

#include <ATen/ATen.h>
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
    EXPECT_EQ(test::max_abs_diff(p.result_image(), stylize(s.content.image, s.style.image, o)), 0);
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
    const Image before = p.result_image();
    s.controls.params["blend"]["alpha"] = 0.9;
    const PipelineUpdate u = p.update(s);
    EXPECT_TRUE(u.ran.result);
    EXPECT_FALSE(u.ran.working_images);
    EXPECT_GT(test::max_abs_diff(before, p.result_image()), 0);
}

TEST(StylizePipeline, FailureKeepsTheLastResultAndIsNotRetriedEveryFrame) {
    ViewerState s = two_pictures();
    StylizePipeline p;
    p.update(s);
    const Image good = p.result_image();
    s.controls.custom_width = 40000;  // beyond the limits
    const PipelineUpdate failed = p.update(s);
    EXPECT_FALSE(failed.error.empty());
    EXPECT_EQ(test::max_abs_diff(p.result_image(), good), 0);
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

TEST(StylizePipeline, BlendDisplaysTheFixedPointPathWithinOneLevelAndExportsTheExactOne) {
    ViewerState s = two_pictures();
    s.controls.params["blend"]["alpha"] = 0.37;
    StylizePipeline p;
    const PipelineUpdate u = p.update(s);
    ASSERT_TRUE(u.error.empty()) << u.error;
    EXPECT_TRUE(u.fixed_point);
    const at::Tensor& rgba = p.result_rgba_host();
    ASSERT_EQ(rgba.sizes(), (at::IntArrayRef{16, 24, 4}));
    StylizeOptions o;
    o.size = size_spec(s.controls);
    o.device = DeviceChoice::Cpu;
    o.params["alpha"] = 0.37;
    const Image exact = stylize(s.content.image, s.style.image, o);
    EXPECT_EQ(test::max_abs_diff(p.result_image(), exact), 0);  // exports equal the CLI
    EXPECT_LE(test::max_abs_diff(rgba8_to_image(rgba), exact), 1);  // the display is within one level
    EXPECT_TRUE(at::all(rgba.select(2, 3) == 255).item<bool>());
}

TEST(StylizePipeline, DraggingReusesTheResultBuffer) {
    ViewerState s = two_pictures();
    StylizePipeline p;
    p.update(s);
    const void* buffer = p.result_rgba().data_ptr();
    s.controls.params["blend"]["alpha"] = 0.8;
    p.update(s);
    EXPECT_EQ(p.result_rgba().data_ptr(), buffer);
}

TEST(StylizePipeline, FailureAfterANewSizeKeepsTheOldResultExportable) {
    ViewerState s = two_pictures();
    StylizePipeline p;
    p.update(s);
    s.controls.custom_width = 40000;
    EXPECT_FALSE(p.update(s).error.empty());
    EXPECT_EQ(p.result_width(), 24);
    EXPECT_EQ(p.result_image().width, 24);  // not cached before the failure: recomputed from kept tensors
}
