// An iterative method (patch synthesis) in the viewer's pipeline: it runs on the worker, each
// estimate reaches the result as it is made (steps in order), Save refuses an estimate, the final
// result equals the command line's, a change restarts it, and its strength re-mixes the result.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

#include "base/error.h"
#include "stylize/stylize.h"
#include "image/tensor_convert.h"
#include "support/temp_dir.h"
#include "support/test_images.h"
#include "support/tiny_models.h"
#include "viewer/pipeline/stylize_pipeline.h"
#include "stylize/registry.h"

using namespace nt;
using namespace nt::viewer;

namespace {

class IterativePipeline : public ::testing::Test {
protected:
    void SetUp() override {
        s_.set_image(s_.content, "c.png", test::make_pattern(96, 64, 1));
        s_.set_image(s_.style, "s.png", test::make_pattern(80, 80, 2));
        s_.controls.size_preset = SizePreset::Custom;
        s_.controls.custom_width = 96;
        s_.controls.custom_height = 64;
        s_.controls.method = "patch_synthesis";
        s_.controls.params["patch_synthesis"]["levels"] = 2;
        p_.set_models(ModelLibrary{});
    }
    // Polls like the viewer's frame loop until the final result is shown; returns every update
    // that changed the result.
    std::vector<PipelineUpdate> settle() {
        std::vector<PipelineUpdate> shown;
        PipelineUpdate u = p_.update(s_);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (true) {
            if (u.ran.method) shown.push_back(u);
            if (u.converging) converging_save_error_ = save_error();
            if (!p_.pending() || std::chrono::steady_clock::now() > deadline) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
            u = p_.update(s_);
        }
        return shown;
    }
    std::string save_error() {
        try {
            p_.result_image();
        } catch (const Error& e) {
            return e.what();
        }
        return "";
    }
    Image core_result() const {
        StylizeOptions o;
        o.method = s_.controls.method;
        o.params = current_params(s_.controls);
        o.size = size_spec(s_.controls);
        o.device = DeviceChoice::Cpu;
        return stylize(s_.content.image, s_.style.image, o);
    }
    ViewerState s_;
    StylizePipeline p_;
    std::string converging_save_error_;
};

}  // namespace

TEST_F(IterativePipeline, EstimatesArriveInOrderThenTheFinalResultEqualsTheCore) {
    const PipelineUpdate first = p_.update(s_);
    EXPECT_TRUE(first.pending);  // the UI thread never runs the method
    const std::vector<PipelineUpdate> shown = settle();
    ASSERT_FALSE(p_.pending());
    ASSERT_GE(shown.size(), 2u);
    int last_step = 0;
    for (std::size_t i = 0; i + 1 < shown.size(); ++i) {
        EXPECT_TRUE(shown[i].converging) << i;
        EXPECT_GT(shown[i].step, last_step);
        last_step = shown[i].step;
        EXPECT_EQ(shown[i].total_steps,
                  method_by_name("patch_synthesis").total_steps(64, 96, current_params(s_.controls)));
    }
    EXPECT_FALSE(shown.back().converging);
    EXPECT_FALSE(p_.converging());
    EXPECT_NE(converging_save_error_.find("still converging"), std::string::npos) << converging_save_error_;
    EXPECT_EQ(p_.result_width(), 96);  // coarse estimates are shown at the working size
    EXPECT_EQ(test::max_abs_diff(p_.result_image(), core_result()), 0);
    EXPECT_FALSE(p_.update(s_).ran.any());  // idle: nothing runs
}

TEST_F(IterativePipeline, AChangeRestartsAndTheStrengthRemixes) {
    p_.update(s_);
    s_.controls.params["patch_synthesis"]["seed"] = 7;  // before the first job is done
    settle();
    EXPECT_EQ(test::max_abs_diff(p_.result_image(), core_result()), 0);
    s_.controls.params["patch_synthesis"]["strength"] = 0.5;
    const PipelineUpdate u = p_.update(s_);
    EXPECT_FALSE(u.pending);
    EXPECT_TRUE(u.remixed);
    EXPECT_EQ(test::max_abs_diff(p_.result_image(), core_result()), 0);
}

namespace {

// Gatys with a random VGG-19: a network that is also iterative.
class GatysPipeline : public IterativePipeline {
protected:
    void SetUp() override {
        IterativePipeline::SetUp();
        test::write_random_vgg19(dir_.path(), "net", "normalised", 6);
        s_.controls.custom_width = 48;
        s_.controls.custom_height = 32;
        s_.controls.method = "gatys";
        s_.controls.models["gatys"] = "net";
        s_.controls.params["gatys"]["iterations"] = 12;
        p_.set_models(scan_models(dir_.path()));
    }
    Image gatys_core_result() const {
        StylizeOptions o;
        o.method = "gatys";
        o.model = "net";
        o.models_dir = dir_.path();
        o.params = current_params(s_.controls);
        o.size = size_spec(s_.controls);
        o.device = DeviceChoice::Cpu;
        return stylize(s_.content.image, s_.style.image, o);
    }
    // Polls until an estimate of at least `step` is on screen.
    int wait_for_step(int step) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        int seen = 0;
        while (seen < step && std::chrono::steady_clock::now() < deadline) {
            const PipelineUpdate u = p_.update(s_);
            if (u.converging) seen = u.step;
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        return seen;
    }
    test::TempDir dir_;
};

}  // namespace

TEST_F(GatysPipeline, ConvergesOnScreenWithItsLossesAndEqualsTheCore) {
    const std::vector<PipelineUpdate> shown = settle();
    ASSERT_FALSE(p_.pending());
    ASSERT_GE(shown.size(), 2u);
    EXPECT_TRUE(shown.front().converging);
    EXPECT_EQ(test::max_abs_diff(p_.result_image(), gatys_core_result()), 0);
    const NeuralStatus st = p_.neural_worker()->status();
    ASSERT_EQ(st.value_names, (std::vector<std::string>{"loss", "content", "style", "tv"}));
    EXPECT_EQ(st.value_history.at(0).size(), 12u);  // one loss per iteration, kept after the run
}

TEST_F(GatysPipeline, PauseHoldsTheRunAndRestartStartsAgain) {
    p_.update(s_);
    ASSERT_GE(wait_for_step(2), 2);
    p_.set_paused(true);
    // The iteration under way ends (how long depends on the machine's load and on sanitizers),
    // then the worker holds at that step boundary and says so.
    const auto hold_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (!p_.neural_worker()->status().holding && std::chrono::steady_clock::now() < hold_deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    ASSERT_TRUE(p_.neural_worker()->status().holding);
    const int held = p_.neural_worker()->status().step;
    ASSERT_GE(held, 2);
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    EXPECT_EQ(p_.neural_worker()->status().step, held);
    EXPECT_TRUE(p_.neural_worker()->status().paused);
    EXPECT_TRUE(p_.pending());
    // Restart: the paused run is cancelled and a new one begins at step 1.
    p_.restart();
    p_.update(s_);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (p_.neural_worker()->status().step >= held && std::chrono::steady_clock::now() < deadline) {
        p_.update(s_);
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    EXPECT_LT(p_.neural_worker()->status().step, held);
    EXPECT_FALSE(p_.neural_worker()->status().paused);
    settle();
    EXPECT_EQ(test::max_abs_diff(p_.result_image(), gatys_core_result()), 0);
}

TEST_F(GatysPipeline, ContinueFromThePictureShownStartsFromIt) {
    settle();
    const Image finished = p_.result_image();
    s_.iterate_from_current = true;
    p_.restart();
    p_.update(s_);
    ASSERT_GE(wait_for_step(1), 1);
    // The first estimate (taken before the first step) is the picture the run starts from: the
    // last result, not the content.
    const Image first = rgba8_to_image(p_.result_rgba_host());
    const Image content =
        make_working_pair(s_.content.image, s_.style.image, size_spec(s_.controls), current_method_info(s_.controls))
            .content;
    EXPECT_LT(test::max_abs_diff(first, finished), test::max_abs_diff(first, content));
    EXPECT_LE(test::max_abs_diff(first, finished), 1);
}

TEST_F(IterativePipeline, ChoosingAMethodOfTheUiThreadStopsTheRun) {
    s_.controls.custom_width = 400;  // a run of about 3 s; a step well under one
    s_.controls.custom_height = 300;
    s_.controls.params["patch_synthesis"]["levels"] = 3;
    p_.update(s_);
    ASSERT_TRUE(p_.pending());
    s_.controls.method = "blend";
    const PipelineUpdate u = p_.update(s_);
    EXPECT_FALSE(u.pending);
    EXPECT_TRUE(u.ran.method);
    // The run stops at its next step (how soon depends on the machine's load and on sanitizers:
    // a 1 s deadline failed under TSan beside a build), and it never finishes: cancelled, not run
    // to the end.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (p_.neural_worker()->busy() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    EXPECT_FALSE(p_.neural_worker()->busy());
    EXPECT_LT(p_.neural_worker()->status().last_seconds, 0.0);  // no job finished
}

// Issue 26, item 8: a held slider that keeps moving (a new value at every update, as a drag gives
// at every frame) showed nothing: patch synthesis had no preview, and every new value cancelled
// the job before its first estimate. Now the preview (long side 256) of each job that is replaced
// reaches its first estimate, which is shown; the release brings the full resolution.
TEST_F(IterativePipeline, AHeldSliderThatKeepsMovingShowsPreviewEstimates) {
    s_.controls.custom_width = 320;  // previewed at 256 x 192
    s_.controls.custom_height = 240;
    s_.controls.params["patch_synthesis"]["updates"] = 1;  // a shorter full run after the release
    s_.interacting = true;
    int previews = 0, updates = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (previews < 2 && std::chrono::steady_clock::now() < deadline) {
        s_.controls.params["patch_synthesis"]["denoise"] = 0.5 + 0.001 * (++updates % 1000);
        const PipelineUpdate u = p_.update(s_);
        if (u.ran.method) {
            EXPECT_TRUE(u.preview);
            EXPECT_TRUE(u.converging);
            ++previews;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_GE(previews, 2) << "after " << updates << " moves";
    EXPECT_TRUE(p_.shows_preview());
    EXPECT_NE(save_error().find("preview"), std::string::npos);  // a preview is never saved
    s_.interacting = false;
    settle();
    EXPECT_FALSE(p_.shows_preview());
    EXPECT_EQ(p_.result_width(), 320);
    EXPECT_EQ(test::max_abs_diff(p_.result_image(), core_result()), 0);
}
