// Neural methods in the viewer's pipeline: computed on the worker while the last result stays,
// equal to the command line's result when they arrive, previews while dragging, re-mixes of the
// strength without the network, stale jobs replaced, and errors that keep the viewer running.
#include <gtest/gtest.h>

#include <ATen/ATen.h>

#include <chrono>
#include <thread>

#include "base/error.h"
#include "stylize/stylize.h"
#include "support/temp_dir.h"
#include "support/test_images.h"
#include "support/tiny_models.h"
#include "viewer/pipeline/stylize_pipeline.h"

using namespace nt;
using namespace nt::viewer;

namespace {

class NeuralPipeline : public ::testing::Test {
protected:
    void SetUp() override {
        test::write_random_fast_style(dir_.path(), "candy", 1);
        test::write_random_fast_style(dir_.path(), "mosaic", 2);
        test::write_random_adain(dir_.path(), 3);
        s_.set_image(s_.content, "c.png", test::make_pattern(40, 30, 1));
        s_.set_image(s_.style, "s.png", test::make_pattern(20, 50, 2));
        s_.controls.size_preset = SizePreset::Custom;
        s_.controls.custom_width = 48;
        s_.controls.custom_height = 32;
        s_.controls.method = "fast_style";
        s_.controls.models["fast_style"] = "candy";
        p_.set_models(scan_models(dir_.path()));
    }
    // Updates until the worker's result is shown (or 60 s pass); returns the last update.
    PipelineUpdate settle() {
        PipelineUpdate u = p_.update(s_);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (p_.pending() && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
            const PipelineUpdate next = p_.update(s_);
            if (next.ran.any() || !next.error.empty()) u = next;
        }
        return u;
    }
    Image core_result() const {
        StylizeOptions o;
        o.method = s_.controls.method;
        o.params = current_params(s_.controls);
        o.model = current_model(s_.controls);
        o.models_dir = dir_.path();
        o.size = size_spec(s_.controls);
        o.device = DeviceChoice::Cpu;
        o.precision = s_.controls.precision;
        o.preserve_colors = s_.controls.preserve_colors;
        if (s_.uses_extra_style()) {
            o.extra_styles = {s_.extra_style.image};
            if (!s_.mask_enabled)
                o.style_weights = {1.0 - s_.controls.extra_style_weight, s_.controls.extra_style_weight};
        }
        if (s_.mask_enabled) o.mask = s_.mask.to_image();
        o.feather_px = s_.mask_enabled ? s_.controls.feather_px : 0.0;
        return stylize(s_.content.image, s_.style.image, o);
    }
    test::TempDir dir_;
    ViewerState s_;
    StylizePipeline p_;
};

TEST_F(NeuralPipeline, ResultArrivesFromTheWorkerAndEqualsTheCore) {
    const PipelineUpdate first = p_.update(s_);
    EXPECT_TRUE(first.pending);
    EXPECT_TRUE(first.error.empty()) << first.error;
    const PipelineUpdate done = settle();
    ASSERT_FALSE(p_.pending());
    EXPECT_TRUE(done.error.empty()) << done.error;
    EXPECT_GT(done.neural_ms, 0.0);
    EXPECT_EQ(test::max_abs_diff(p_.result_image(), core_result()), 0);
    EXPECT_FALSE(p_.update(s_).ran.any());  // idle: nothing runs
}

TEST_F(NeuralPipeline, StrengthRemixesWithoutTheNetwork) {
    settle();
    s_.controls.params["fast_style"]["strength"] = 0.4;
    const PipelineUpdate u = p_.update(s_);
    EXPECT_FALSE(u.pending);
    EXPECT_TRUE(u.remixed);
    EXPECT_EQ(test::max_abs_diff(p_.result_image(), core_result()), 0);
    s_.controls.preserve_colors = true;  // the finishing alone: no network either
    EXPECT_FALSE(p_.update(s_).pending);
    EXPECT_EQ(test::max_abs_diff(p_.result_image(), core_result()), 0);
}

TEST_F(NeuralPipeline, DraggingShowsAPreviewThenTheFullResolution) {
    s_.controls.custom_width = 300;  // beyond kPreviewSide
    s_.controls.custom_height = 200;
    s_.controls.method = "adain";
    settle();
    s_.interacting = true;
    s_.controls.params["adain"]["alpha"] = 0.5;
    const PipelineUpdate preview = settle();
    EXPECT_TRUE(preview.preview);
    // Kept at the preview's own size (long side kPreviewSide): the display scales it to the panel.
    const int w = p_.working_content().width, h = p_.working_content().height;
    ASSERT_GT(w, kPreviewSide);
    EXPECT_EQ(p_.result_width(), kPreviewSide);
    EXPECT_NEAR(p_.result_height(), double(h) * kPreviewSide / w, 1.0);
    EXPECT_THROW(p_.result_image(), Error);  // a preview is never exported
    s_.interacting = false;
    const PipelineUpdate full = settle();
    EXPECT_FALSE(full.preview);
    EXPECT_EQ(test::max_abs_diff(p_.result_image(), core_result()), 0);
}

TEST_F(NeuralPipeline, AdainExtraStyleMixesOrFillsTheMasksBlack) {
    s_.controls.method = "adain";
    // fp32: the core's 8-bit copy of the mask differs at its antialiased edge, and bf16 would
    // carry that small difference further than the 2 levels allowed below.
    s_.controls.precision = Precision::Fp32;
    s_.set_image(s_.extra_style, "s2.png", test::make_pattern(30, 30, 7));
    s_.controls.extra_style_weight = 0.3;
    EXPECT_TRUE(settle().error.empty());
    EXPECT_EQ(test::max_abs_diff(p_.result_image(), core_result()), 0);
    // A mask: style 1 where white, style 2 where black, nothing composited in pixels afterwards.
    s_.mask_enabled = true;
    s_.fit_mask();
    s_.mask.stroke({10, 10, 12, 1.0f, false}, {30, 20, 12, 1.0f, false});
    EXPECT_TRUE(settle().error.empty());
    const Image masked = p_.result_image();
    // The core reads the mask as an 8-bit picture: the antialiased edge rounds a little.
    EXPECT_LE(test::max_abs_diff(masked, core_result()), 2);
    s_.clear_extra_style();
    EXPECT_TRUE(settle().error.empty());
    EXPECT_GT(test::max_abs_diff(p_.result_image(), masked), 10);  // black now keeps the content
    EXPECT_LE(test::max_abs_diff(p_.result_image(), core_result()), 2);
}

TEST_F(NeuralPipeline, WhileANewResultComputesThePanelNamesThePreviousAndSaveRefuses) {
    settle();  // candy's result is on the panel; then AdaIN is chosen: its job runs on the worker
    s_.controls.method = "adain";
    const PipelineUpdate u = p_.update(s_);
    ASSERT_TRUE(u.pending);
    ASSERT_TRUE(p_.has_result());
    EXPECT_EQ(p_.shown_inputs()->method, "fast_style");  // what the panel shows, for its caption
    EXPECT_THROW(p_.result_image(), Error);              // not the previous method's picture
    EXPECT_TRUE(settle().error.empty());
    EXPECT_EQ(p_.shown_inputs()->method, "adain");
    EXPECT_NO_THROW(p_.result_image());
}

// The precision setting reaches the worker: a new format re-runs the network and gives the
// core's result in that format; the status reports the format used.
TEST_F(NeuralPipeline, PrecisionChangeRerunsTheNetworkInThatFormat) {
    s_.controls.precision = Precision::Fp32;
    PipelineUpdate u = settle();
    ASSERT_TRUE(u.error.empty()) << u.error;
    EXPECT_EQ(u.neural_precision, "fp32");
    const Image fp32 = p_.result_image();
    EXPECT_EQ(test::max_abs_diff(fp32, core_result()), 0);
    s_.controls.precision = Precision::Bf16;
    u = settle();
    if (!cpu_bf16_support().any()) {
        // Without native bf16 an explicit bf16 is refused with its reason, not emulated
        // (nets/precision.h).
        EXPECT_NE(u.error.find("no native bfloat16"), std::string::npos) << u.error;
        return;
    }
    ASSERT_TRUE(u.error.empty()) << u.error;
    EXPECT_GT(u.neural_ms, 0.0);  // the network ran again
    EXPECT_EQ(u.neural_precision, "bf16");
    EXPECT_EQ(test::max_abs_diff(p_.result_image(), core_result()), 0);
    EXPECT_GT(test::max_abs_diff(p_.result_image(), fp32), 0);
}

TEST_F(NeuralPipeline, ANewChoiceReplacesTheRunningJob) {
    p_.update(s_);  // candy submitted
    s_.controls.models["fast_style"] = "mosaic";
    p_.update(s_);  // replaces it
    settle();
    EXPECT_EQ(test::max_abs_diff(p_.result_image(), core_result()), 0);  // mosaic's, not candy's
}

TEST_F(NeuralPipeline, MissingModelIsAnErrorAndLeavesNoResultToSave) {
    settle();
    ASSERT_TRUE(p_.has_result());
    s_.controls.models["fast_style"] = "udnie";
    const PipelineUpdate u = settle();
    EXPECT_NE(u.error.find("no such fast style model"), std::string::npos) << u.error;
    EXPECT_FALSE(p_.pending());
    // candy's picture must not stay under udnie's name, nor be what Save writes.
    EXPECT_FALSE(p_.has_result());
    EXPECT_NE(p_.failure().find("no such fast style model"), std::string::npos) << p_.failure();
    EXPECT_THROW(p_.result_image(), Error);
    s_.controls.models["fast_style"] = "candy";  // back to a good one
    EXPECT_TRUE(settle().error.empty());
    s_.controls.models["fast_style"].clear();  // an empty folder leaves nothing to choose
    EXPECT_NE(settle().error.find("no model in"), std::string::npos);
}

}  // namespace
