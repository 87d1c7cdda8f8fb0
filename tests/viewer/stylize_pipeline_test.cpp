// The pipeline reruns only stale stages and matches the core's stylize().
#include <gtest/gtest.h>

#include <ATen/ATen.h>

#include <chrono>
#include <functional>
#include <thread>
#include <utility>
#include <vector>

#include "base/error.h"
#include "stylize/stylize.h"
#include "image/tensor_convert.h"
#include "support/temp_dir.h"
#include "support/test_images.h"
#include "viewer/pipeline/stylize_pipeline.h"

using namespace nt;
using namespace nt::viewer;

namespace {

ViewerState two_pictures() {
    ViewerState s;
    s.set_image(s.content, "c.png", test::make_pattern(40, 30, 1));
    s.set_image(s.style, "s.png", test::make_pattern(20, 50, 2));
    s.controls.size_preset = SizePreset::Custom;
    s.controls.keep_aspect = false;
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

// The style panel and the methods get the style with its own aspect (20 x 50 beside a 24 x 16
// working size), except the blend, which mixes it pixel by pixel and gets it stretched (issue 26).
TEST(StylizePipeline, TheStyleKeepsItsAspectExceptForTheBlend) {
    ViewerState s = two_pictures();
    StylizePipeline p;
    ASSERT_TRUE(p.update(s).error.empty());
    EXPECT_EQ(p.working_style().width, 24);  // blend: the content's working size
    EXPECT_EQ(p.working_style().height, 16);
    s.controls.method = "reinhard";
    const PipelineUpdate u = p.update(s);
    ASSERT_TRUE(u.error.empty()) << u.error;
    EXPECT_TRUE(u.ran.working_pictures);     // the style is resized for the method's rule
    EXPECT_EQ(p.working_style().width, 12);  // 2:5 at about 24 x 16 pixels
    EXPECT_EQ(p.working_style().height, 31);
    EXPECT_EQ(p.working_content().width, 24);
    StylizeOptions o;
    o.method = "reinhard";
    o.size = size_spec(s.controls);
    o.device = DeviceChoice::Cpu;
    EXPECT_EQ(test::max_abs_diff(p.result_image(), stylize(s.content.image, s.style.image, o)), 0);
    // Another method of the same rule keeps the working pictures.
    s.controls.method = "histogram";
    EXPECT_FALSE(p.update(s).ran.working_pictures);
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
    EXPECT_TRUE(u.ran.method);
    EXPECT_FALSE(u.ran.working_pictures);
    EXPECT_GT(test::max_abs_diff(before, p.result_image()), 0);
}

TEST(StylizePipeline, FailureLeavesNoResultSaysWhyAndIsNotRetriedEveryFrame) {
    ViewerState s = two_pictures();
    StylizePipeline p;
    p.update(s);
    ASSERT_TRUE(p.has_result());
    s.controls.custom_width = 40000;  // beyond the limits
    const PipelineUpdate failed = p.update(s);
    EXPECT_FALSE(failed.error.empty());
    // The previous settings' picture is not passed off as this one's: no result, and Save says why.
    EXPECT_FALSE(p.has_result());
    EXPECT_FALSE(p.shown_inputs());
    EXPECT_EQ(p.failure(), failed.error);
    try {
        p.result_image();
        ADD_FAILURE() << "a failed update left something to save";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("no valid result"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(p.update(s).ran.any());  // same inputs: not retried
    s.controls.custom_width = 24;
    EXPECT_TRUE(p.update(s).error.empty());
    EXPECT_TRUE(p.has_result());
    EXPECT_TRUE(p.failure().empty());
    s.controls.params["blend"]["alpha"] = 5.0;  // out of its range: reported, never thrown
    EXPECT_NE(p.update(s).error.find("Style strength must be a number between"), std::string::npos);
    EXPECT_FALSE(p.update(s).ran.any());
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
    EXPECT_EQ(test::max_abs_diff(p.result_image(), exact), 0);      // exports equal the CLI
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

TEST(StylizePipeline, TheShownInputsNameTheMethodOfThePictureOnThePanel) {
    ViewerState s = two_pictures();
    StylizePipeline p;
    p.update(s);
    ASSERT_TRUE(p.shown_inputs());
    EXPECT_EQ(p.shown_inputs()->method, "blend");
    s.controls.method = "reinhard";
    ASSERT_TRUE(p.update(s).error.empty());
    EXPECT_EQ(p.shown_inputs()->method, "reinhard");
}

namespace {

// Left half white (stylized), right half black (content), at any size.
Image half_mask(int w, int h) {
    Image image(w, h);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w / 2; ++x) image.at(x, y)[0] = image.at(x, y)[1] = image.at(x, y)[2] = 255;
    return image;
}

StylizeOptions core_options(const ViewerState& s) {
    StylizeOptions o;
    o.method = s.controls.method;
    o.params = current_params(s.controls);
    o.size = size_spec(s.controls);
    o.device = DeviceChoice::Cpu;
    o.preserve_colors = s.controls.preserve_colors;
    o.feather_px = s.controls.feather_px;
    return o;
}

}  // namespace

TEST(StylizePipeline, OutsideAHardMaskTheResultIsTheContent) {
    ViewerState s = two_pictures();
    s.mask.load(half_mask(24, 16));
    s.mask_enabled = true;
    s.fit_mask();
    StylizePipeline p;
    const PipelineUpdate u = p.update(s);
    ASSERT_TRUE(u.error.empty()) << u.error;
    EXPECT_FALSE(u.fixed_point);  // a mask takes the float path
    const Image result = p.result_image();
    StylizeOptions plain = core_options(s);
    const Image stylized = stylize(s.content.image, s.style.image, plain);
    const Image& content = p.working_content();
    for (int y = 0; y < 16; ++y)
        for (int x = 0; x < 24; ++x)
            for (int ch = 0; ch < 3; ++ch) {
                const Image& want = x < 12 ? stylized : content;
                ASSERT_EQ(result.at(x, y)[ch], want.at(x, y)[ch]) << x << "," << y;
            }
}

TEST(StylizePipeline, MaskFeatherAndPreserveColoursMatchTheCore) {
    for (const char* method : {"blend", "reinhard"}) {
        for (bool preserve : {false, true}) {
            ViewerState s = two_pictures();
            s.controls.method = method;
            s.controls.preserve_colors = preserve;
            s.controls.feather_px = 2.5;
            const Image mask = test::make_pattern(37, 11, 4);  // another size: resized like --mask
            s.mask.load(mask);
            s.mask_enabled = true;
            s.fit_mask();
            StylizePipeline p;
            ASSERT_TRUE(p.update(s).error.empty());
            StylizeOptions o = core_options(s);
            o.mask = mask;
            EXPECT_EQ(test::max_abs_diff(p.result_image(), stylize(s.content.image, s.style.image, o)), 0)
                << method << " preserve=" << preserve;
        }
    }
}

TEST(StylizePipeline, PreserveColoursAloneMatchesTheCore) {
    ViewerState s = two_pictures();
    s.controls.preserve_colors = true;
    StylizePipeline p;
    ASSERT_TRUE(p.update(s).error.empty());
    EXPECT_EQ(test::max_abs_diff(p.result_image(), stylize(s.content.image, s.style.image, core_options(s))), 0);
}

TEST(StylizePipeline, StrokeAndFeatherRerunOnlyTheFinishing) {
    ViewerState s = two_pictures();
    s.mask_enabled = true;
    s.fit_mask();
    StylizePipeline p;
    p.update(s);
    const Image before = p.result_image();
    s.mask.paint_dab({12, 8, 4, 1.0f, false});
    PipelineUpdate u = p.update(s);
    EXPECT_TRUE(u.ran.finishing);
    EXPECT_FALSE(u.ran.method);
    EXPECT_GT(test::max_abs_diff(before, p.result_image()), 0);
    s.controls.feather_px = 3;
    u = p.update(s);
    EXPECT_TRUE(u.ran.finishing);
    EXPECT_FALSE(u.ran.method);
    // The painted mask, as a picture, gives the core the same result.
    StylizeOptions o = core_options(s);
    o.mask = s.mask.to_image();
    const Image painted = p.result_image();
    EXPECT_LE(test::max_abs_diff(painted, stylize(s.content.image, s.style.image, o)), 1);  // 8-bit mask picture
    EXPECT_FALSE(p.update(s).ran.any());
}

TEST(StylizePipeline, DisabledMaskAndItsFeatherChangeNothing) {
    ViewerState s = two_pictures();
    s.mask.load(half_mask(24, 16));
    StylizePipeline p;
    const PipelineUpdate first = p.update(s);
    EXPECT_TRUE(first.fixed_point);  // plain blend keeps the fast path
    s.controls.feather_px = 5;
    s.mask.invert();
    EXPECT_FALSE(p.update(s).ran.any());
}

TEST(StylizePipeline, MaskFollowsAWorkingSizeChange) {
    ViewerState s = two_pictures();
    s.mask.load(half_mask(10, 10));
    s.mask_enabled = true;
    s.fit_mask();
    StylizePipeline p;
    ASSERT_TRUE(p.update(s).error.empty());
    s.controls.custom_width = 40;
    s.fit_mask();
    EXPECT_EQ(s.mask.width(), 40);
    ASSERT_TRUE(p.update(s).error.empty());
    StylizeOptions o = core_options(s);
    o.mask = half_mask(10, 10);
    EXPECT_EQ(test::max_abs_diff(p.result_image(), stylize(s.content.image, s.style.image, o)), 0);
}

TEST(StylizePipeline, DraggingAColourMethodsStrengthRemixesTheCachedTransferExactly) {
    ViewerState s = two_pictures();
    s.controls.method = "reinhard";
    StylizePipeline p;
    ASSERT_TRUE(p.update(s).error.empty());
    for (double strength : {0.3, 0.75, 0.0, 1.0}) {
        s.controls.params["reinhard"]["strength"] = strength;
        const PipelineUpdate u = p.update(s);
        ASSERT_TRUE(u.error.empty()) << u.error;
        EXPECT_TRUE(u.remixed) << strength;  // the transfer itself did not run again
        StylizeOptions o;
        o.method = "reinhard";
        o.params["strength"] = strength;
        o.size = size_spec(s.controls);
        o.device = DeviceChoice::Cpu;
        EXPECT_EQ(test::max_abs_diff(p.result_image(), stylize(s.content.image, s.style.image, o)), 0) << strength;
    }
}

TEST(StylizePipeline, ABigColourTransferRunsOnTheWorkerAndEqualsTheCore) {
    test::TempDir models;
    ViewerState s = two_pictures();
    s.controls.method = "reinhard";
    s.controls.custom_width = 1000;  // beyond kInlineMethodPixels: the UI thread must not run it
    s.controls.custom_height = 500;
    StylizePipeline p;
    p.set_models(scan_models(models.path()));
    const PipelineUpdate first = p.update(s);
    ASSERT_TRUE(first.error.empty()) << first.error;
    EXPECT_TRUE(first.pending);
    EXPECT_FALSE(p.has_result());
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (p.pending() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        ASSERT_TRUE(p.update(s).error.empty());
    }
    ASSERT_TRUE(p.has_result());
    StylizeOptions o;
    o.method = "reinhard";
    o.size = size_spec(s.controls);
    o.device = DeviceChoice::Cpu;
    EXPECT_EQ(test::max_abs_diff(p.result_image(), stylize(s.content.image, s.style.image, o)), 0);
    // Its strength re-mixes the worker's result on this thread: no new job.
    s.controls.params["reinhard"]["strength"] = 0.5;
    const PipelineUpdate remix = p.update(s);
    EXPECT_FALSE(remix.pending);
    EXPECT_TRUE(remix.remixed);
    o.params["strength"] = 0.5;
    EXPECT_EQ(test::max_abs_diff(p.result_image(), stylize(s.content.image, s.style.image, o)), 0);
}

TEST(StylizePipeline, ABigPictureIsResizedOffThisThreadAndTheResultEqualsTheCore) {
    test::TempDir models;
    ViewerState s;
    s.set_image(s.content, "big.png", test::make_pattern(2000, 1200, 3));  // beyond kInlineResizePixels
    s.set_image(s.style, "s.png", test::make_pattern(20, 50, 2));
    s.controls.keep_aspect = true;  // long:512
    StylizePipeline p;
    p.set_models(scan_models(models.path()));
    const PipelineUpdate first = p.update(s);
    ASSERT_TRUE(first.error.empty()) << first.error;
    EXPECT_TRUE(first.pending);  // the resize runs on its thread; this call returned at once
    EXPECT_FALSE(p.has_result());
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (p.pending() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        ASSERT_TRUE(p.update(s).error.empty());
    }
    ASSERT_TRUE(p.has_result());
    EXPECT_EQ(p.working_content().width, 512);
    StylizeOptions o;
    o.size = size_spec(s.controls);
    o.device = DeviceChoice::Cpu;
    EXPECT_EQ(test::max_abs_diff(p.result_image(), stylize(s.content.image, s.style.image, o)), 0);
}

namespace {

// Updates until the worker's result is in (or a minute passed).
void wait_for_result(StylizePipeline& p, const ViewerState& s, PipelineUpdate* last = nullptr) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (p.pending() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        const PipelineUpdate u = p.update(s);
        ASSERT_TRUE(u.error.empty()) << u.error;
        if (last && u.ran.any()) *last = u;
    }
}

}  // namespace

// A big result is finished (mix, preserve colours, the mask) and converted to RGBA8 on the worker:
// the update it arrives in only takes it, and it equals the core's.
TEST(StylizePipeline, ABigWorkerResultArrivesFinishedAndDisplayReady) {
    test::TempDir models;
    ViewerState s = two_pictures();
    s.controls.method = "reinhard";
    s.controls.params["reinhard"]["strength"] = 0.6;
    s.controls.preserve_colors = true;
    s.controls.custom_width = 1000;  // beyond kInlineMethodPixels
    s.controls.custom_height = 500;
    StylizePipeline p;
    p.set_models(scan_models(models.path()));
    ASSERT_TRUE(p.update(s).pending);
    PipelineUpdate arrived;
    wait_for_result(p, s, &arrived);
    ASSERT_TRUE(p.has_result());
    EXPECT_TRUE(arrived.finished_on_worker);
    StylizeOptions o;
    o.method = "reinhard";
    o.params["strength"] = 0.6;
    o.preserve_colors = true;
    o.size = size_spec(s.controls);
    o.device = DeviceChoice::Cpu;
    EXPECT_EQ(test::max_abs_diff(p.result_image(), stylize(s.content.image, s.style.image, o)), 0);
    // A finishing change of the cached transfer is done here (no new job), and equals the core's too.
    s.controls.preserve_colors = false;
    const PipelineUpdate here = p.update(s);
    EXPECT_FALSE(here.pending);
    EXPECT_FALSE(here.finished_on_worker);
    o.preserve_colors = false;
    EXPECT_EQ(test::max_abs_diff(p.result_image(), stylize(s.content.image, s.style.image, o)), 0);
}

// A colour job made stale while it runs stops early, and the newest job's result is the one shown.
TEST(StylizePipeline, AStaleColourJobStopsAndTheNewestWins) {
    test::TempDir models;
    ViewerState s;
    s.set_image(s.content, "c.png", test::make_pattern(1600, 1200, 1));
    s.set_image(s.style, "s.png", test::make_pattern(1600, 1200, 2));
    s.controls.size_preset = SizePreset::Original;
    s.controls.method = "monge_kantorovich";
    StylizePipeline p;
    p.set_models(scan_models(models.path()));
    ASSERT_TRUE(p.update(s).pending);
    wait_for_result(p, s);
    ASSERT_TRUE(p.has_result());
    const NeuralWorker* worker = p.neural_worker();
    const int cancelled_before = worker->cancelled_jobs();
    s.controls.method = "reinhard";
    ASSERT_TRUE(p.update(s).pending);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!worker->status().running && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
    ASSERT_TRUE(worker->status().running);
    s.controls.method = "histogram";  // the Reinhard job under way is stale now
    ASSERT_TRUE(p.update(s).pending);
    wait_for_result(p, s);
    EXPECT_EQ(worker->cancelled_jobs(), cancelled_before + 1);
    ASSERT_TRUE(p.has_result());
    EXPECT_EQ(p.shown_inputs()->method, "histogram");
    StylizeOptions o;
    o.method = "histogram";
    o.size = size_spec(s.controls);
    o.device = DeviceChoice::Cpu;
    EXPECT_EQ(test::max_abs_diff(p.result_image(), stylize(s.content.image, s.style.image, o)), 0);
}

// Beyond kInlineFinishPixels a finishing change alone (the strength of a kept transfer) is a worker
// job too: the update returns at once, and the result that follows equals the core's.
TEST(StylizePipeline, ABigResultsFinishingChangeRunsOnTheWorker) {
    test::TempDir models;
    ViewerState s;
    s.set_image(s.content, "c.png", test::make_pattern(1800, 1200, 1));  // 2.16 MP: beyond kInlineFinishPixels
    s.set_image(s.style, "s.png", test::make_pattern(30, 20, 2));
    s.controls.size_preset = SizePreset::Original;
    s.controls.method = "reinhard";
    StylizePipeline p;
    p.set_models(scan_models(models.path()));
    ASSERT_TRUE(p.update(s).pending);
    wait_for_result(p, s);
    ASSERT_TRUE(p.has_result());
    s.controls.params["reinhard"]["strength"] = 0.35;
    const PipelineUpdate moved = p.update(s);
    EXPECT_TRUE(moved.pending);   // not finished on this thread
    EXPECT_TRUE(p.has_result());  // the previous result stays meanwhile
    PipelineUpdate arrived;
    wait_for_result(p, s, &arrived);
    EXPECT_TRUE(arrived.finished_on_worker);
    EXPECT_FALSE(arrived.ran.working_pictures);
    StylizeOptions o;
    o.method = "reinhard";
    o.params["strength"] = 0.35;
    o.size = size_spec(s.controls);
    o.device = DeviceChoice::Cpu;
    EXPECT_EQ(test::max_abs_diff(p.result_image(), stylize(s.content.image, s.style.image, o)), 0);
}

// One definition of what a change makes stale (issue 27, item 3): for each kind of input change,
// the stages the pipeline runs are the ones whose key (stage_keys.h) changed. The old dirty rule
// (plan_recompute) disagreed with the pipeline's own keys: it said a mix parameter reran the
// method (the pipeline re-mixes its kept output), and that a method of another style rule resized
// the pictures when the style's size stayed the same.
TEST(StylizePipeline, TheStagesThatRunAreTheOnesWhoseKeyChanged) {
    ViewerState s = two_pictures();
    StylizePipeline p;
    ASSERT_TRUE(p.update(s).error.empty());
    using Change = std::pair<const char*, std::function<void(ViewerState&)>>;
    const std::vector<Change> changes = {
        {"blend's alpha", [](ViewerState& v) { v.controls.params["blend"]["alpha"] = 0.8; }},
        {"a method of another style rule", [](ViewerState& v) { v.controls.method = "reinhard"; }},
        {"a mix parameter", [](ViewerState& v) { v.controls.params["reinhard"]["strength"] = 0.5; }},
        {"a method of the same style rule", [](ViewerState& v) { v.controls.method = "histogram"; }},
        {"the size", [](ViewerState& v) { v.controls.custom_width = 20; }},
        {"the mask",
         [](ViewerState& v) {
             v.mask_enabled = true;
             v.fit_mask();
         }},
        {"a stroke",
         [](ViewerState& v) {
             v.mask.paint_dab({6, 8, 4, 1.0f, false});
         }},
        {"the feather", [](ViewerState& v) { v.controls.feather_px = 3; }},
        {"preserve colours", [](ViewerState& v) { v.controls.preserve_colors = true; }},
        {"the style", [](ViewerState& v) { v.set_image(v.style, "t.png", test::make_pattern(20, 50, 3)); }},
        // A style of the working size is that size under either style rule: the working pictures stay.
        {"a style of the working size",
         [](ViewerState& v) { v.set_image(v.style, "u.png", test::make_pattern(20, 16, 4)); }},
        {"a method of another style rule, the same style size", [](ViewerState& v) { v.controls.method = "blend"; }},
        {"a swap",
         [](ViewerState& v) {
             v.swap_images();
             v.fit_mask();
         }},
        {"nothing", [](ViewerState&) {}},
    };
    for (const auto& [what, change] : changes) {
        const StageKeys before = stage_keys(s, s.pipeline_inputs(), 0);
        change(s);
        const PipelineUpdate u = p.update(s);
        ASSERT_TRUE(u.error.empty()) << what << ": " << u.error;
        const StageFlags stale = stale_stages(before, stage_keys(s, s.pipeline_inputs(), 0));
        EXPECT_EQ(u.ran.working_pictures, stale.working_pictures) << what;
        EXPECT_EQ(u.ran.device_tensors, stale.device_tensors) << what;
        EXPECT_EQ(u.ran.method, stale.method) << what;
        EXPECT_EQ(u.ran.finishing, stale.finishing) << what;
    }
}

// Failed inputs are retried once a stage's key changes, and a restart is one (the method's key
// counts the restarts): the old check compared the inputs alone (plan_recompute), so Restart after
// a failure did nothing until a control moved.
TEST(StylizePipeline, ARestartAfterAFailureTriesAgain) {
    ViewerState s = two_pictures();
    s.controls.custom_width = 40000;  // beyond the limits
    StylizePipeline p;
    const PipelineUpdate failed = p.update(s);
    ASSERT_FALSE(failed.error.empty());
    EXPECT_FALSE(p.update(s).ran.any());  // not retried every frame
    p.restart();
    const PipelineUpdate again = p.update(s);
    EXPECT_EQ(again.error, failed.error);  // tried again: the same reason
    EXPECT_FALSE(p.update(s).ran.any());
}
