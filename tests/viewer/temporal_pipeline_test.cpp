// A live video's temporal consistency in the viewer's pipeline (ViewerState::consistency): the
// flow never runs on the UI thread (even a colour method that would run there goes to the worker),
// and the result shown, which is what a recording takes, is the filter's output for the
// per-frame results; a strength change re-blends the same frame with the one before it.
#include <gtest/gtest.h>

#include <ATen/ATen.h>

#include <chrono>
#include <memory>
#include <thread>

#include "video/temporal_consistency.h"
#include "support/temp_dir.h"
#include "support/test_images.h"
#include "viewer/pipeline/stylize_pipeline.h"

using namespace nt;
using namespace nt::viewer;

namespace {

// Frame i of a clip panning 2 pixels a frame over a textured picture.
Image frame(int i) {
    static const Image scene = test::make_pattern(140, 90, 3);
    Image f(96, 72);
    for (int y = 0; y < f.height; ++y)
        std::copy(scene.at(2 * i, y + 8), scene.at(2 * i, y + 8) + f.row_bytes(), f.row(y));
    return f;
}

class TemporalPipeline : public ::testing::Test {
protected:
    static ViewerState video_state() {
        ViewerState s;
        s.set_image(s.style, "s.png", test::make_pattern(30, 40, 2));
        s.controls.method = "reinhard";
        s.controls.size_preset = SizePreset::Original;
        return s;
    }
    // Updates until the worker's result is shown (or 60 s pass).
    static void settle(StylizePipeline& p, const ViewerState& s) {
        p.update(s);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (p.pending() && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
            p.update(s);
        }
        ASSERT_FALSE(p.pending());
        ASSERT_TRUE(p.has_result()) << p.failure();
    }
    // The per-frame result of frame i without the filter (RGBA8).
    at::Tensor per_frame(int i) {
        plain_state_.set_image(plain_state_.content, "frame.png", frame(i));
        settle(plain_, plain_state_);
        return plain_.result_rgba().clone();
    }
    test::TempDir dir_;
    ViewerState plain_state_ = video_state();
    StylizePipeline plain_;
};

at::Tensor filtered(TemporalConsistency& tc, const Image& input, const at::Tensor& rgba, std::uint64_t id) {
    at::Tensor out = rgba.clone();
    tc.filter(PixelsView{input.pixels.data(), input.width, input.height, 3},
              MutablePixels{out.data_ptr<std::uint8_t>(), int(out.size(1)), int(out.size(0)), 4}, id);
    return out;
}

}  // namespace

TEST_F(TemporalPipeline, TheWorkerFiltersAndTheResultShownIsTheFiltersOutput) {
    plain_.set_models(scan_models(dir_.path()));
    StylizePipeline p;
    p.set_models(scan_models(dir_.path()));
    ViewerState s = video_state();
    s.consistency = std::make_shared<TemporalConsistency>(0.8);
    TemporalConsistency reference(0.8);
    for (int i = 0; i < 3; ++i) {
        s.set_image(s.content, "frame.png", frame(i));
        // Reinhard at this size runs on the UI thread; with the filter on it goes to the worker.
        EXPECT_TRUE(p.update(s).pending) << i;
        settle(p, s);
        const at::Tensor expected = filtered(reference, frame(i), per_frame(i), std::uint64_t(i));
        EXPECT_TRUE(at::equal(p.result_rgba(), expected)) << i;
        if (i > 0) {
            EXPECT_FALSE(at::equal(p.result_rgba(), per_frame(i))) << i;
        }
    }
    // Another strength: the same frame blended again with the one before it.
    s.consistency->set_strength(0.3);
    reference.set_strength(0.3);
    settle(p, s);
    EXPECT_TRUE(at::equal(p.result_rgba(), filtered(reference, frame(2), per_frame(2), 2)));
    // Off: the per-frame result, finished here again.
    s.consistency.reset();
    settle(p, s);
    EXPECT_TRUE(at::equal(p.result_rgba(), per_frame(2)));
}
