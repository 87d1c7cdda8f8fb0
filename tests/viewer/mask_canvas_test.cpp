// The paintable mask: dabs, erasing, hardness, gap-free strokes, clear/invert, resizing and
// loading pictures exactly as the core reads --mask.
#include <gtest/gtest.h>

#include <ATen/ATen.h>

#include "image/mask.h"
#include "support/test_images.h"
#include "viewer/state/mask_canvas.h"

using namespace nt;
using namespace nt::viewer;

namespace {

MaskCanvas blank(int w, int h) {
    MaskCanvas m;
    m.fit_to(w, h);
    return m;
}

BrushDab dab(float x, float y, float radius, float hardness = 1.0f, bool erase = false) {
    return {x, y, radius, hardness, erase};
}

// Left half white, right half black.
Image halves(int w, int h) {
    Image image(w, h);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w / 2; ++x) image.at(x, y)[0] = image.at(x, y)[1] = image.at(x, y)[2] = 255;
    return image;
}

}  // namespace

TEST(MaskCanvas, StartsEmptyAtTheWorkingSize) {
    const MaskCanvas m = blank(30, 20);
    EXPECT_EQ(m.width(), 30);
    EXPECT_EQ(m.height(), 20);
    for (float v : m.values()) EXPECT_EQ(v, 0.0f);
}

TEST(MaskCanvas, HardDabCoversItsDiscOnly) {
    MaskCanvas m = blank(64, 64);
    m.paint_dab(dab(32, 32, 8));
    EXPECT_EQ(m.at(32, 32), 1.0f);
    EXPECT_EQ(m.at(32 + 6, 32), 1.0f);  // centre 38.5: 6.5 px away, inside the radius
    EXPECT_EQ(m.at(32 + 9, 32), 0.0f);  // 9.5 px away: outside
    EXPECT_EQ(m.at(32, 32 - 10), 0.0f);
    EXPECT_EQ(m.at(0, 0), 0.0f);
}

TEST(MaskCanvas, HardnessSoftensTheEdge) {
    MaskCanvas hard = blank(64, 64), soft = blank(64, 64);
    hard.paint_dab(dab(32, 32, 16, 1.0f));
    soft.paint_dab(dab(32, 32, 16, 0.0f));
    EXPECT_EQ(hard.at(32 + 8, 32), 1.0f);
    const float mid = soft.at(32 + 8, 32);  // half the radius out
    EXPECT_GT(mid, 0.2f);
    EXPECT_LT(mid, 0.8f);
    EXPECT_GT(soft.at(32, 32), soft.at(32 + 4, 32));  // falls off from the centre
    EXPECT_FLOAT_EQ(brush_coverage(0, 16, 0), 1.0f);
    EXPECT_FLOAT_EQ(brush_coverage(17, 16, 0.5f), 0.0f);
}

TEST(MaskCanvas, RepeatedDabsDoNotBuildUp) {
    MaskCanvas once = blank(64, 64), twice = blank(64, 64);
    once.paint_dab(dab(32, 32, 10, 0.3f));
    twice.paint_dab(dab(32, 32, 10, 0.3f));
    twice.paint_dab(dab(32, 32, 10, 0.3f));
    EXPECT_EQ(once.values(), twice.values());
}

TEST(MaskCanvas, EraseLowersTheMask) {
    MaskCanvas m = blank(64, 64);
    m.paint_dab(dab(32, 32, 12));
    m.paint_dab(dab(32, 32, 4, 1.0f, true));
    EXPECT_EQ(m.at(32, 32), 0.0f);
    EXPECT_EQ(m.at(32 + 8, 32), 1.0f);  // outside the eraser
}

TEST(MaskCanvas, StrokeLeavesNoGapsBetweenDistantPoints) {
    MaskCanvas m = blank(128, 32);
    // One segment across most of the canvas, as one fast mouse move between two frames gives.
    m.stroke(dab(4, 16, 3), dab(120, 16, 3));
    for (int x = 8; x < 120; ++x) ASSERT_EQ(m.at(x, 16), 1.0f) << "gap at x=" << x;
    EXPECT_EQ(m.at(64, 16 + 5), 0.0f);  // only the brush's width
    // A zero-length segment changes nothing (the joint was painted by the previous one).
    const auto generation = m.generation();
    m.stroke(dab(50, 16, 3), dab(50, 16, 3));
    EXPECT_EQ(m.generation(), generation);
}

TEST(MaskCanvas, DabsOutsideAreClipped) {
    MaskCanvas m = blank(16, 16);
    m.paint_dab(dab(-2, 8, 4));  // partly outside
    EXPECT_EQ(m.at(0, 8), 1.0f);
    m.paint_dab(dab(-50, -50, 4));  // entirely outside: no crash
    EXPECT_EQ(m.at(15, 15), 0.0f);
}

TEST(MaskCanvas, ClearAndInvert) {
    MaskCanvas m = blank(16, 16);
    m.paint_dab(dab(4, 4, 2));
    m.invert();
    EXPECT_EQ(m.at(4, 4), 0.0f);
    EXPECT_EQ(m.at(12, 12), 1.0f);
    m.clear();
    for (float v : m.values()) EXPECT_EQ(v, 0.0f);
}

TEST(MaskCanvas, EveryEditChangesTheGeneration) {
    MaskCanvas m = blank(16, 16);
    std::uint64_t g = m.generation();
    auto changed = [&] {
        const bool c = m.generation() != g;
        g = m.generation();
        return c;
    };
    m.paint_dab(dab(4, 4, 2));
    EXPECT_TRUE(changed());
    m.invert();
    EXPECT_TRUE(changed());
    m.clear();
    EXPECT_TRUE(changed());
    m.fit_to(16, 16);  // same size: nothing to do
    EXPECT_FALSE(changed());
    m.fit_to(32, 32);
    EXPECT_TRUE(changed());
    EXPECT_NE(MaskCanvas().generation(), MaskCanvas().generation());
}

TEST(MaskCanvas, ResizeResamplesThePaintedValues) {
    MaskCanvas m = blank(32, 32);
    for (int y = 0; y < 32; ++y) m.stroke(dab(0, y + 0.5f, 1), dab(14, y + 0.5f, 1));
    m.paint_dab(dab(1, 0.5f, 1));
    m.fit_to(64, 48);
    EXPECT_EQ(m.width(), 64);
    EXPECT_EQ(m.height(), 48);
    EXPECT_NEAR(m.at(10, 24), 1.0f, 1e-6);
    EXPECT_NEAR(m.at(50, 24), 0.0f, 1e-6);
}

TEST(MaskCanvas, LoadedPictureIsReadAsTheCoreReadsMasks) {
    const Image picture = test::make_pattern(30, 20, 3);
    MaskCanvas m;
    m.load(picture);
    EXPECT_FALSE(m.has_pixels());
    m.fit_to(64, 48);
    at::InferenceMode inference;
    const at::Tensor core = mask_to_tensor(picture, 64, 48, c10::Device(c10::kCPU)).contiguous();
    ASSERT_EQ(core.numel(), static_cast<long>(m.values().size()));
    EXPECT_TRUE(at::equal(core.flatten(), at::from_blob(const_cast<float*>(m.values().data()), {64 * 48})));
    // Unedited, a second size is read from the picture again, not from the first resampling.
    m.fit_to(40, 30);
    EXPECT_TRUE(at::equal(mask_to_tensor(picture, 40, 30, c10::Device(c10::kCPU)), m.tensor(40, 30, c10::kCPU)));
}

TEST(MaskCanvas, TensorAndImageRoundTrip) {
    MaskCanvas m;
    m.load(halves(20, 10));
    m.fit_to(20, 10);
    const Image image = m.to_image();
    EXPECT_EQ(test::max_abs_diff(image, halves(20, 10)), 0);
    const at::Tensor t = m.tensor(20, 10, c10::kCPU);
    EXPECT_EQ(t.sizes(), (std::vector<int64_t>{1, 1, 10, 20}));
    EXPECT_EQ(t[0][0][5][2].item<float>(), 1.0f);
    EXPECT_EQ(t[0][0][5][15].item<float>(), 0.0f);
    // The tensor is a copy: later edits do not reach a result already computed from it.
    m.clear();
    EXPECT_EQ(t[0][0][5][2].item<float>(), 1.0f);
}

// The display re-sends only what a stroke touched: the box must hold every changed pixel, and
// edits that can change anything (clear, undo, resize) must say so.
TEST(MaskCanvas, ChangedSinceBoundsTheDabsAndKnowsWhenItCannot) {
    MaskCanvas m = blank(100, 80);
    const std::uint64_t start = m.generation();
    ASSERT_TRUE(m.changed_since(start).has_value());
    EXPECT_TRUE(m.changed_since(start)->empty());
    const std::vector<float> before = m.values();
    m.begin_stroke();
    m.stroke(dab(20, 30, 4), dab(60, 30, 4));
    const std::uint64_t mid = m.generation();
    m.paint_dab(dab(50, 70, 3));
    const auto box = m.changed_since(start);
    ASSERT_TRUE(box.has_value());
    EXPECT_FALSE(box->empty());
    for (int y = 0; y < 80; ++y)
        for (int x = 0; x < 100; ++x) {
            const bool inside = x >= box->x0 && x < box->x1 && y >= box->y0 && y < box->y1;
            if (!inside) {
                ASSERT_EQ(m.at(x, y), before[std::size_t(y) * 100 + x]) << x << "," << y;
            }
        }
    EXPECT_LE(box->x1 - box->x0, 60);  // a bounding box, not the whole mask
    EXPECT_LE(box->y0, 30 - 4);
    EXPECT_GE(box->y1, 70 + 3);
    // Since `mid`: the last dab only.
    const auto last = m.changed_since(mid);
    ASSERT_TRUE(last.has_value());
    EXPECT_GE(last->y0, 70 - 3 - 2);
    EXPECT_LE(last->x1 - last->x0, 3 * 2 + 4);
    m.clear();
    EXPECT_FALSE(m.changed_since(mid).has_value());
    const std::uint64_t cleared = m.generation();
    EXPECT_TRUE(m.changed_since(cleared)->empty());
    m.paint_dab(dab(10, 10, 2));
    EXPECT_TRUE(m.changed_since(cleared).has_value());
    EXPECT_FALSE(m.changed_since(0).has_value());  // never a generation of this mask
    ASSERT_TRUE(m.undo());
    EXPECT_FALSE(m.changed_since(cleared).has_value());
}

TEST(MaskCanvas, UndoAndRedoWholeStrokesClearsAndLoads) {
    MaskCanvas m = blank(40, 30);
    const std::vector<float> empty = m.values();
    EXPECT_FALSE(m.can_undo());
    m.begin_stroke();
    m.stroke(dab(5, 5, 3), dab(35, 5, 3));  // many dabs, one edit
    const std::vector<float> stroked = m.values();
    m.clear();
    const std::uint64_t before_undo = m.generation();
    ASSERT_TRUE(m.undo());                   // the clear
    EXPECT_NE(m.generation(), before_undo);  // the pipeline sees the change
    EXPECT_EQ(m.values(), stroked);
    ASSERT_TRUE(m.undo());  // the whole stroke
    EXPECT_EQ(m.values(), empty);
    EXPECT_FALSE(m.undo());
    ASSERT_TRUE(m.redo());
    EXPECT_EQ(m.values(), stroked);
    // A new edit after an undo drops what could have been redone.
    m.invert();
    EXPECT_FALSE(m.redo());
    // A loaded picture is undone back to the painted pixels.
    m.load(halves(40, 30));
    m.fit_to(40, 30);
    ASSERT_TRUE(m.undo());
    ASSERT_TRUE(m.undo());
    EXPECT_EQ(m.values(), stroked);
}

TEST(MaskCanvas, UndoHistoryIsBounded) {
    MaskCanvas m = blank(8, 8);
    for (std::size_t i = 0; i < MaskCanvas::kMaxUndoSteps + 20; ++i) m.invert();
    std::size_t undone = 0;
    while (m.undo()) ++undone;
    EXPECT_EQ(undone, MaskCanvas::kMaxUndoSteps);
    // At a large working size the byte budget, not the step count, bounds it.
    MaskCanvas big = blank(2048, 2048);  // 16 MiB of floats per step
    const std::size_t fit = MaskCanvas::kMaxUndoBytes / (std::size_t(2048) * 2048 * sizeof(float));
    ASSERT_LT(fit, MaskCanvas::kMaxUndoSteps);
    for (std::size_t i = 0; i < fit + 4; ++i) big.invert();
    undone = 0;
    while (big.undo()) ++undone;
    EXPECT_EQ(undone, fit);
}
