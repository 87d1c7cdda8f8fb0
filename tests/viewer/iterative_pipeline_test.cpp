// An iterative method (patch synthesis) in the viewer's pipeline: it runs on the worker, each
// estimate reaches the result as it is made (steps in order), Save refuses an estimate, the final
// result equals the command line's, a change restarts it, and its strength re-mixes the result.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

#include "core/error.h"
#include "core/stylize.h"
#include "support/test_images.h"
#include "viewer/stylize_pipeline.h"

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
            if (u.ran.result) shown.push_back(u);
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
        EXPECT_EQ(shown[i].total_steps, method_by_name("patch_synthesis").total_steps(64, 96, current_params(s_.controls)));
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
