// The one definition of the pipeline's stage keys: which stages a change of the inputs makes stale.
#include <gtest/gtest.h>

#include <string>

#include "support/test_images.h"
#include "viewer/pipeline/stage_keys.h"
#include "viewer/state/viewer_state.h"

using namespace nt;
using namespace nt::viewer;

namespace {

ViewerState two_pictures() {
    ViewerState s;
    s.set_image(s.content, "a.png", test::make_pattern(8, 8));
    s.set_image(s.style, "b.png", test::make_pattern(8, 8, 1));
    return s;
}

StageKeys keys_of(const ViewerState& s, int restarts = 0) { return stage_keys(s, s.pipeline_inputs(), restarts); }

}  // namespace

TEST(StageKeys, FirstUpdateRunsEverything) {
    const ViewerState s = two_pictures();
    const StageFlags stale = stale_stages(StageKeys{}, keys_of(s));
    EXPECT_TRUE(stale.working_pictures && stale.device_tensors && stale.method && stale.finishing);
}

TEST(StageKeys, NothingChangedMeansNothingToDo) {
    const ViewerState s = two_pictures();
    const StageKeys keys = keys_of(s);
    EXPECT_FALSE(stale_stages(keys, keys_of(s)).any());
}

TEST(StageKeys, ParameterChangeOnlyRerunsTheMethod) {
    ViewerState s = two_pictures();
    const StageKeys before = keys_of(s);
    s.controls.params["blend"]["alpha"] = 0.7;
    const StageFlags stale = stale_stages(before, keys_of(s));
    EXPECT_FALSE(stale.working_pictures);
    EXPECT_FALSE(stale.device_tensors);
    EXPECT_TRUE(stale.method);
    EXPECT_TRUE(stale.finishing);  // a later stage of a stale one is stale
}

// The disagreement of issue 27, item 3: the old dirty rule (plan_recompute) said a mix parameter
// reran the method; the pipeline keeps the method's output at mix 1 and only mixes it again.
TEST(StageKeys, AMixParameterOnlyRerunsTheFinishing) {
    ViewerState s = two_pictures();
    s.controls.method = "reinhard";
    const StageKeys before = keys_of(s);
    s.controls.params["reinhard"]["strength"] = 0.5;
    const StageFlags stale = stale_stages(before, keys_of(s));
    EXPECT_FALSE(stale.working_pictures || stale.device_tensors || stale.method);
    EXPECT_TRUE(stale.finishing);
}

TEST(StageKeys, SizeOrPictureChangeResizesAgain) {
    ViewerState s = two_pictures();
    const StageKeys before = keys_of(s);
    s.controls.size_preset = SizePreset::Side256;
    EXPECT_TRUE(stale_stages(before, keys_of(s)).working_pictures);
    const StageKeys after_size = keys_of(s);
    s.set_image(s.style, "same.png", test::make_pattern(4, 4));
    EXPECT_TRUE(stale_stages(after_size, keys_of(s)).working_pictures);
    const StageKeys after_style = keys_of(s);
    s.swap_images();
    EXPECT_TRUE(stale_stages(after_style, keys_of(s)).working_pictures);
}

// The style's size follows the method (method_style_size): a method of another rule resizes the
// style only when that gives it another size (the old rule compared the rules, not the sizes).
TEST(StageKeys, AMethodOfAnotherStyleRuleResizesOnlyWhenTheStyleSizeChanges) {
    ViewerState s = two_pictures();
    s.set_image(s.style, "tall.png", test::make_pattern(20, 50, 2));
    StageKeys before = keys_of(s);
    s.controls.method = "reinhard";  // the style's own aspect instead of the blend's stretch
    StageFlags stale = stale_stages(before, keys_of(s));
    EXPECT_TRUE(stale.working_pictures);
    before = keys_of(s);
    s.controls.method = "histogram";  // the same rule
    stale = stale_stages(before, keys_of(s));
    EXPECT_FALSE(stale.working_pictures || stale.device_tensors);
    EXPECT_TRUE(stale.method);
    s.set_image(s.style, "square.png", test::make_pattern(512, 512, 3));  // the working size's shape
    before = keys_of(s);
    s.controls.method = "blend";
    stale = stale_stages(before, keys_of(s));
    EXPECT_FALSE(stale.working_pictures || stale.device_tensors);
    EXPECT_TRUE(stale.method);
}

TEST(StageKeys, DeviceChangeMovesTensorsWithoutResizing) {
    ViewerState s = two_pictures();
    const StageKeys before = keys_of(s);
    s.controls.device = DeviceChoice::Cuda;
    const StageFlags stale = stale_stages(before, keys_of(s));
    EXPECT_FALSE(stale.working_pictures);
    EXPECT_TRUE(stale.device_tensors);
    EXPECT_TRUE(stale.method);
}

TEST(StageKeys, MaskAndColourChangesOnlyRerunTheFinishing) {
    ViewerState s = two_pictures();
    StageKeys before = keys_of(s);
    EXPECT_EQ(s.pipeline_inputs().mask_generation, 0u);
    s.controls.feather_px = 4;  // no mask: the feather is not an input
    EXPECT_FALSE(stale_stages(before, keys_of(s)).any());
    for (int step = 0; step < 4; ++step) {
        if (step == 0) s.mask_enabled = true;
        if (step == 1) s.mask.invert();  // after fit_mask below: an edit
        if (step == 2) s.controls.feather_px = 2;
        if (step == 3) s.controls.preserve_colors = true;
        if (step == 0) s.fit_mask();
        const StageFlags stale = stale_stages(before, keys_of(s));
        EXPECT_TRUE(stale.finishing) << step;
        EXPECT_FALSE(stale.method || stale.device_tensors || stale.working_pictures) << step;
        before = keys_of(s);
    }
    EXPECT_EQ(s.mask.width(), 512);  // fitted to the working size (long side 512 of a square)
}

// A method that reads the mask (patch synthesis keeps the masked part as it is) runs again for
// a stroke; the precision is an input only of the methods that follow it.
TEST(StageKeys, TheMaskAndThePrecisionAreTheMethodsInputsOnlyWhenItTakesThem) {
    ViewerState s = two_pictures();
    s.mask_enabled = true;
    s.fit_mask();
    s.controls.method = "patch_synthesis";
    StageKeys before = keys_of(s);
    s.mask.invert();
    EXPECT_TRUE(stale_stages(before, keys_of(s)).method);
    before = keys_of(s);
    s.controls.precision = Precision::Fp32;
    EXPECT_FALSE(stale_stages(before, keys_of(s)).any());
    s.controls.method = "gatys";
    before = keys_of(s);
    s.controls.precision = Precision::Bf16;
    EXPECT_TRUE(stale_stages(before, keys_of(s)).method);
}

TEST(StageKeys, ARestartRunsTheMethodAgain) {
    const ViewerState s = two_pictures();
    const StageFlags stale = stale_stages(keys_of(s, 0), keys_of(s, 1));
    EXPECT_FALSE(stale.working_pictures || stale.device_tensors);
    EXPECT_TRUE(stale.method && stale.finishing);
}

// Inputs that fail have keys (the stage reports the error), so the failed inputs can be compared
// with the next ones: a size beyond the limits, a parameter out of its range.
TEST(StageKeys, InputsThatFailStillHaveKeys) {
    ViewerState s = two_pictures();
    s.controls.size_preset = SizePreset::Custom;
    s.controls.keep_aspect = false;
    s.controls.custom_width = 40000;
    const StageKeys failed = keys_of(s);
    EXPECT_NE(failed.working_pictures.find("none"), std::string::npos) << failed.working_pictures;
    EXPECT_FALSE(stale_stages(failed, keys_of(s)).any());
    s.controls.custom_width = 24;
    EXPECT_TRUE(stale_stages(failed, keys_of(s)).working_pictures);
    const StageKeys fine = keys_of(s);
    s.controls.params["blend"]["alpha"] = 5.0;  // resolve_params refuses it
    const StageFlags stale = stale_stages(fine, keys_of(s));
    EXPECT_TRUE(stale.method && !stale.working_pictures);
}
