// Control defaults, size choices, pictures and recent files (which stages a change makes stale:
// stage_keys_test.cpp).
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

TEST(ViewerState, SwapExchangesPicturesAndMarksBothNew) {
    ViewerState s;
    s.set_image(s.content, "a.png", test::make_pattern(8, 6));
    s.set_image(s.style, "b.png", test::make_pattern(4, 4));
    const PipelineInputs before = s.pipeline_inputs();
    s.swap_images();
    EXPECT_EQ(s.content.path, "b.png");
    EXPECT_EQ(s.style.path, "a.png");
    EXPECT_EQ(s.content.image.width, 4);
    // Both are new pictures to the pipeline (StageKeys.SizeOrPictureChangeResizesAgain).
    const PipelineInputs after = s.pipeline_inputs();
    EXPECT_NE(after.content_generation, before.content_generation);
    EXPECT_NE(after.content_generation, before.style_generation);
    EXPECT_NE(after.style_generation, before.style_generation);
    EXPECT_NE(after.style_generation, before.content_generation);
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
