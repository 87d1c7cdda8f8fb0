// Control defaults, size choices and the dirty rule: which pipeline stages a change makes stale.
#include <gtest/gtest.h>

#include "support/test_images.h"
#include "viewer/pipeline/segmentation_masks.h"
#include "viewer/state/viewer_state.h"

using namespace nt;
using namespace nt::viewer;

TEST(ViewerState, DefaultsBlendAsTheOriginalAtLongSide512KeepingTheAspect) {
    const ControlValues c = default_controls();
    EXPECT_EQ(c.method, "blend");
    EXPECT_DOUBLE_EQ(current_params(c).at("alpha"), 0.4);
    // A first start must not squash the photo: long side 512, the content's aspect kept.
    EXPECT_EQ(to_string(size_spec(c)), "long:512");
    EXPECT_EQ(working_size(size_spec(c), {4000, 3000}), (Size2{512, 384}));
    EXPECT_EQ(c.device, DeviceChoice::Cpu);
}

TEST(ViewerState, SizePresetsAndKeepAspect) {
    ControlValues c = default_controls();
    c.keep_aspect = false;
    c.size_preset = SizePreset::Side1024;
    EXPECT_EQ(to_string(size_spec(c)), "1024");
    c.keep_aspect = true;
    EXPECT_EQ(to_string(size_spec(c)), "long:1024");
    c.size_preset = SizePreset::Original;
    EXPECT_EQ(to_string(size_spec(c)), "original");
    c.size_preset = SizePreset::Custom;
    c.custom_width = 640;
    c.custom_height = 480;
    EXPECT_EQ(to_string(size_spec(c)), "long:640");
    c.keep_aspect = false;
    EXPECT_EQ(to_string(size_spec(c)), "640x480");
}

TEST(ViewerState, SetSizeSpecRoundTrips) {
    for (const char* text : {"256", "512", "1024", "long:256", "long:1024", "original", "640x480", "long:900"}) {
        ControlValues c = default_controls();
        set_size_spec(c, parse_size_spec(text));
        EXPECT_EQ(to_string(size_spec(c)), text);
    }
    ControlValues c = default_controls();
    set_size_spec(c, parse_size_spec("700"));  // no preset: the same size as a custom 700x700
    EXPECT_EQ(to_string(size_spec(c)), "700x700");
    set_size_spec(c, parse_size_spec("256x256"));
    EXPECT_EQ(c.size_preset, SizePreset::Side256);
}

TEST(ViewerState, FirstUpdateRunsEverything) {
    const RecomputePlan plan = plan_recompute(std::nullopt, PipelineInputs{});
    EXPECT_TRUE(plan.working_images && plan.device_tensors && plan.result);
}

TEST(ViewerState, NothingChangedMeansNothingToDo) {
    ViewerState s;
    s.set_image(s.content, "a.png", test::make_pattern(8, 8));
    s.set_image(s.style, "b.png", test::make_pattern(8, 8, 1));
    const PipelineInputs in = s.pipeline_inputs();
    EXPECT_FALSE(plan_recompute(in, s.pipeline_inputs()).any());
}

TEST(ViewerState, ParameterChangeOnlyRerunsTheMethod) {
    ViewerState s;
    const PipelineInputs before = s.pipeline_inputs();
    s.controls.params["blend"]["alpha"] = 0.7;
    const RecomputePlan plan = plan_recompute(before, s.pipeline_inputs());
    EXPECT_FALSE(plan.working_images);
    EXPECT_FALSE(plan.device_tensors);
    EXPECT_TRUE(plan.result);
}

TEST(ViewerState, SizeOrPictureChangeResizesAgain) {
    ViewerState s;
    const PipelineInputs before = s.pipeline_inputs();
    s.controls.size_preset = SizePreset::Side256;
    EXPECT_TRUE(plan_recompute(before, s.pipeline_inputs()).working_images);
    const PipelineInputs after_size = s.pipeline_inputs();
    s.set_image(s.style, "same.png", test::make_pattern(4, 4));
    EXPECT_TRUE(plan_recompute(after_size, s.pipeline_inputs()).working_images);
}

TEST(ViewerState, DeviceChangeMovesTensorsWithoutResizing) {
    ViewerState s;
    const PipelineInputs before = s.pipeline_inputs();
    s.controls.device = DeviceChoice::Cuda;
    const RecomputePlan plan = plan_recompute(before, s.pipeline_inputs());
    EXPECT_FALSE(plan.working_images);
    EXPECT_TRUE(plan.device_tensors);
    EXPECT_TRUE(plan.result);
}

TEST(ViewerState, SwapExchangesPicturesAndMarksBothNew) {
    ViewerState s;
    s.set_image(s.content, "a.png", test::make_pattern(8, 6));
    s.set_image(s.style, "b.png", test::make_pattern(4, 4));
    const PipelineInputs before = s.pipeline_inputs();
    s.swap_images();
    EXPECT_EQ(s.content.path, "b.png");
    EXPECT_EQ(s.style.path, "a.png");
    EXPECT_EQ(s.content.image.width, 4);
    EXPECT_TRUE(plan_recompute(before, s.pipeline_inputs()).working_images);
}

TEST(ViewerState, ResetRestoresDefaultControlsButKeepsPictures) {
    ViewerState s;
    s.set_image(s.content, "a.png", test::make_pattern(8, 6));
    s.controls.params["blend"]["alpha"] = 0.9;
    s.controls.size_preset = SizePreset::Original;
    s.reset_controls();
    EXPECT_EQ(s.controls, default_controls());
    EXPECT_TRUE(s.content.loaded());
}

TEST(ViewerState, RecentFilesAreMostRecentFirstWithoutDuplicates) {
    std::vector<std::string> recent;
    remember_recent(recent, "a");
    remember_recent(recent, "b");
    remember_recent(recent, "a");
    EXPECT_EQ(recent, (std::vector<std::string>{"a", "b"}));
    for (int i = 0; i < 20; ++i) remember_recent(recent, std::to_string(i));
    EXPECT_EQ(recent.size(), kMaxRecentFiles);
    EXPECT_EQ(recent.front(), "19");
}

TEST(ViewerState, MaskAndColourChangesOnlyRerunTheFinishing) {
    ViewerState s;
    s.set_image(s.content, "a.png", test::make_pattern(8, 8));
    PipelineInputs before = s.pipeline_inputs();
    EXPECT_EQ(before.mask_generation, 0u);
    s.controls.feather_px = 4;  // no mask: the feather is not an input
    EXPECT_FALSE(plan_recompute(before, s.pipeline_inputs()).any());
    for (int step = 0; step < 3; ++step) {
        if (step == 0) s.mask_enabled = true;
        if (step == 1) s.mask.invert();  // after fit_mask below: an edit
        if (step == 2) s.controls.preserve_colors = true;
        if (step == 0) s.fit_mask();
        const RecomputePlan plan = plan_recompute(before, s.pipeline_inputs());
        EXPECT_TRUE(plan.finish) << step;
        EXPECT_FALSE(plan.result || plan.device_tensors || plan.working_images) << step;
        before = s.pipeline_inputs();
    }
    EXPECT_EQ(s.mask.width(), 512);  // fitted to the working size (512 square by default)
}

// Mask from segmentation with several models (issue 26, item 9c): the remembered model while the
// folder has it, else the folder's first; none without models. Never the first silently over a
// remembered one that is there.
TEST(ViewerState, TheSegmentationModelIsTheRememberedOneElseTheFirst) {
    const std::vector<ModelEntry> models = {{ModelKind::Segmentation, "people", "/m/segmentation/people.pt"},
                                            {ModelKind::Segmentation, "sky", "/m/segmentation/sky.pt"}};
    EXPECT_EQ(viewer::chosen_segmentation_model(models, "sky"), "sky");
    EXPECT_EQ(viewer::chosen_segmentation_model(models, ""), "people");
    EXPECT_EQ(viewer::chosen_segmentation_model(models, "gone"), "people");  // a folder without it
    EXPECT_EQ(viewer::chosen_segmentation_model({}, "sky"), "");
    // The choice is part of the controls (remembered in the settings, compared for changes).
    ControlValues a = default_controls(), b = a;
    b.segmentation_model = "sky";
    EXPECT_NE(a, b);
}
