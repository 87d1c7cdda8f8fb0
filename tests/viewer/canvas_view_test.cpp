// Panel layout and the shared zoom/pan transform.
#include <gtest/gtest.h>

#include "viewer/state/canvas_view.h"

using namespace nt::viewer;

TEST(CanvasView, ThreeEqualPanelsSideBySide) {
    const auto p = layout_panels({10, 20, 920, 400}, 10, 30);
    EXPECT_FLOAT_EQ(p[0].frame.x, 10);
    EXPECT_FLOAT_EQ(p[0].frame.w, 300);
    EXPECT_FLOAT_EQ(p[1].frame.x, 320);
    EXPECT_FLOAT_EQ(p[2].frame.x + p[2].frame.w, 930);
    EXPECT_FLOAT_EQ(p[2].image_area.h, 370);
    EXPECT_FLOAT_EQ(p[2].caption.y, 390);
    EXPECT_EQ(panel_at(p, {325, 30}), 1);
    EXPECT_EQ(panel_at(p, {315, 30}), -1);  // in the gap
}

TEST(CanvasView, PanelsShrinkToThePicturesAndCenter) {
    // Pictures twice as wide as tall, in a wide canvas: one row, each 300 x 150 above its caption
    // (two per row would give 230 x 115).
    const auto p = layout_panels({0, 0, 920, 300}, 10, 30, 0.5f);
    EXPECT_FLOAT_EQ(p[0].image_area.h, 150);
    EXPECT_FLOAT_EQ(p[0].frame.h, 180);
    EXPECT_FLOAT_EQ(p[0].frame.y, 60);  // centered vertically
    EXPECT_FLOAT_EQ(p[1].frame.y, p[0].frame.y);
    const auto tall = layout_panels({0, 0, 920, 400}, 10, 30, 3.0f);  // limited by the canvas height
    EXPECT_FLOAT_EQ(tall[0].frame.h, 400);
    EXPECT_FLOAT_EQ(tall[0].frame.y, 0);
    // As wide as the picture (370 / 3), the row centered horizontally.
    EXPECT_NEAR(tall[0].frame.w, 370.0f / 3.0f, 1e-3);
    EXPECT_NEAR(tall[0].frame.x, (920 - 3 * 370.0f / 3.0f - 20) / 2, 1e-3);
    EXPECT_NEAR(tall[2].frame.x + tall[2].frame.w, 920 - tall[0].frame.x, 1e-3);
}

TEST(CanvasView, TheArrangementThatShowsThePicturesLargestIsChosen) {
    // A 1200 x 840 canvas (1600 x 900 less the sidebar) and 4:3 pictures: a row would give each
    // picture 393 points of width, a column 324, two per row 513: content and style above, the
    // result centered below.
    const auto grid = layout_panels({300, 30, 1200, 840}, 10, 30, 0.75f);
    EXPECT_NEAR(grid[kContentPanel].image_area.w, 385 / 0.75f, 1e-2);
    EXPECT_FLOAT_EQ(grid[kContentPanel].image_area.h, 385);
    EXPECT_FLOAT_EQ(grid[kStylePanel].frame.y, grid[kContentPanel].frame.y);
    EXPECT_FLOAT_EQ(grid[kResultPanel].frame.y, grid[kContentPanel].frame.y + 415 + 10);
    EXPECT_NEAR(grid[kResultPanel].frame.center().x, 300 + 600, 1e-3);  // centered below
    EXPECT_NEAR(grid[kStylePanel].frame.x - grid[kContentPanel].frame.x, grid[kContentPanel].frame.w + 10, 1e-3);
    // All panels the same size: the shared zoom and pan rely on it.
    for (const PanelLayout& p : grid) {
        EXPECT_FLOAT_EQ(p.frame.w, grid[kContentPanel].frame.w);
        EXPECT_FLOAT_EQ(p.frame.h, grid[kContentPanel].frame.h);
    }
    EXPECT_EQ(panel_at(grid, grid[kResultPanel].image_area.center()), kResultPanel);
    // Wide pictures in a tall canvas: one column.
    const auto column = layout_panels({0, 0, 920, 1000}, 10, 30, 0.5f);
    EXPECT_FLOAT_EQ(column[kContentPanel].frame.x, column[kResultPanel].frame.x);
    EXPECT_GT(column[kResultPanel].frame.y, column[kStylePanel].frame.y);
    EXPECT_NEAR(column[kContentPanel].image_area.w, ((1000 - 20) / 3.0f - 30) / 0.5f, 1e-2);
    // Two panels of 4:3 pictures in the same wide canvas: side by side.
    const auto pair = layout_panels({300, 30, 1200, 840}, 10, 30, 0.75f, PanelArrangement::ContentResult);
    EXPECT_FLOAT_EQ(pair[kContentPanel].frame.y, pair[kResultPanel].frame.y);
    EXPECT_FLOAT_EQ(pair[kContentPanel].image_area.w, 595);
}

TEST(CanvasView, ArrangementsShowTheirPanelsLargerAndHideTheOthers) {
    const auto result_only = layout_panels({10, 20, 920, 400}, 10, 30, 0.0f, PanelArrangement::ResultOnly);
    EXPECT_TRUE(result_only[kContentPanel].frame.empty());
    EXPECT_TRUE(result_only[kStylePanel].frame.empty());
    EXPECT_FLOAT_EQ(result_only[kResultPanel].frame.x, 10);
    EXPECT_FLOAT_EQ(result_only[kResultPanel].frame.w, 920);
    EXPECT_EQ(panel_at(result_only, {20, 30}), kResultPanel);
    EXPECT_EQ(first_shown_panel(result_only), kResultPanel);
    const auto pair = layout_panels({10, 20, 920, 400}, 10, 30, 0.0f, PanelArrangement::ContentResult);
    EXPECT_FLOAT_EQ(pair[kContentPanel].frame.w, 455);
    EXPECT_TRUE(pair[kStylePanel].frame.empty());
    EXPECT_FLOAT_EQ(pair[kResultPanel].frame.x, 475);
    EXPECT_EQ(first_shown_panel(pair), kContentPanel);
    // The key cycles through all three and comes back.
    PanelArrangement a = PanelArrangement::All;
    for (int i = 0; i < kArrangementCount; ++i) a = next_arrangement(a);
    EXPECT_EQ(a, PanelArrangement::All);
    EXPECT_EQ(next_arrangement(PanelArrangement::All), PanelArrangement::ResultOnly);
}

TEST(CanvasView, TinyCanvasNeverGivesNegativeSizes) {
    for (const auto& p : layout_panels({0, 0, 5, 3}, 10, 30)) {
        EXPECT_GE(p.frame.w, 0);
        EXPECT_GE(p.image_area.h, 0);
    }
}

TEST(CanvasView, FitKeepsAspectAndCenters) {
    const Rect area{0, 0, 300, 200};
    const ViewTransform v = resolve(ViewTransform{}, area, 600, 200);  // wide picture: width limits
    EXPECT_FLOAT_EQ(v.zoom, 0.5f);
    const VisiblePart part = visible_part(v, area, 600, 200);
    EXPECT_FLOAT_EQ(part.screen.x, 0);
    EXPECT_FLOAT_EQ(part.screen.w, 300);
    EXPECT_FLOAT_EQ(part.screen.y, 50);  // letterboxed, centered
    EXPECT_FLOAT_EQ(part.screen.h, 100);
    EXPECT_FLOAT_EQ(part.uv1.x, 1.0f);
}

TEST(CanvasView, ZoomKeepsThePointUnderTheCursor) {
    const Rect area{100, 50, 400, 400};
    const ViewTransform fit = resolve(ViewTransform{}, area, 512, 512);
    const Vec2 cursor{180, 130};
    const Vec2 before = screen_to_image(fit, area, cursor);
    const ViewTransform zoomed = zoom_around(fit, area, 512, 512, cursor, 3.0f);
    EXPECT_FALSE(zoomed.fit);
    EXPECT_NEAR(zoomed.zoom, fit.zoom * 3, 1e-5);
    const Vec2 after = screen_to_image(zoomed, area, cursor);
    EXPECT_NEAR(after.x, before.x, 1e-3);
    EXPECT_NEAR(after.y, before.y, 1e-3);
}

TEST(CanvasView, ZoomIsClamped) {
    const Rect area{0, 0, 400, 400};
    ViewTransform v;
    for (int i = 0; i < 100; ++i) v = zoom_around(v, area, 100, 100, {200, 200}, 2.0f);
    EXPECT_FLOAT_EQ(v.zoom, kMaxZoom);
    for (int i = 0; i < 100; ++i) v = zoom_around(v, area, 100, 100, {200, 200}, 0.5f);
    EXPECT_NEAR(v.zoom, kMinZoomOfFit * 4.0f, 1e-5);
    EXPECT_FLOAT_EQ(zoom_around(v, area, 100, 100, {0, 0}, 0.0f).zoom, v.zoom);  // bad factor ignored
}

TEST(CanvasView, PanMovesTheImageWithTheMouseAndStaysOnIt) {
    const Rect area{0, 0, 200, 200};
    const ViewTransform v = zoom_to(ViewTransform{}, area, 100, 100, 4.0f);
    const ViewTransform moved = pan_by(v, area, 100, 100, {40, -20});
    EXPECT_FLOAT_EQ(moved.center.x, v.center.x - 10);
    EXPECT_FLOAT_EQ(moved.center.y, v.center.y + 5);
    const ViewTransform far = pan_by(v, area, 100, 100, {-100000, 100000});
    EXPECT_FLOAT_EQ(far.center.x, 100);
    EXPECT_FLOAT_EQ(far.center.y, 0);
}

TEST(CanvasView, OneToOneShowsImagePixelsAsScreenPixels) {
    const Rect area{0, 0, 300, 300};
    const ViewTransform v = zoom_to(ViewTransform{}, area, 1024, 1024, 1.0f);
    const VisiblePart part = visible_part(v, area, 1024, 1024);
    EXPECT_FLOAT_EQ(part.screen.w, 300);
    EXPECT_NEAR((part.uv1.x - part.uv0.x) * 1024, 300, 1e-3);
}

TEST(CanvasView, WipeSplitsTheColumns) {
    const Rect area{0, 0, 100, 100};
    const ViewTransform v = resolve(ViewTransform{}, area, 100, 100);
    const VisiblePart left = visible_part(v, area, 100, 100, 0.0f, 0.25f);
    const VisiblePart right = visible_part(v, area, 100, 100, 0.25f, 1.0f);
    EXPECT_FLOAT_EQ(left.screen.w, 25);
    EXPECT_FLOAT_EQ(right.screen.x, 25);
    EXPECT_FLOAT_EQ(right.uv0.x, 0.25f);
    EXPECT_TRUE(visible_part(v, area, 100, 100, 0.5f, 0.5f).empty());
}

TEST(CanvasView, PixelUnderTheCursor) {
    const Rect area{0, 0, 100, 100};
    const ViewTransform v = resolve(ViewTransform{}, area, 10, 10);  // 10 points per pixel
    int x = -1, y = -1;
    ASSERT_TRUE(pixel_at(v, area, 10, 10, {35, 91}, x, y));
    EXPECT_EQ(x, 3);
    EXPECT_EQ(y, 9);
    EXPECT_FALSE(pixel_at(v, area, 10, 10, {150, 10}, x, y));
    const ViewTransform wide = resolve(ViewTransform{}, area, 20, 10);  // letterbox: top is outside
    EXPECT_FALSE(pixel_at(wide, area, 20, 10, {50, 5}, x, y));
}

// The style with its own aspect in the working frame (issue 26, item 12): fitted and centred,
// drawn over that rect with the full texture, its pixels read where it covers the frame.
TEST(CanvasView, AStyleOfAnotherAspectIsFittedInTheFrame) {
    const Rect wide = placed_in_frame(120, 200, 240, 80);  // a 3:1 style beside a tall content
    EXPECT_FLOAT_EQ(wide.w, 120);
    EXPECT_FLOAT_EQ(wide.h, 40);
    EXPECT_FLOAT_EQ(wide.x, 0);
    EXPECT_FLOAT_EQ(wide.y, 80);
    const Rect same = placed_in_frame(120, 200, 60, 100);  // the frame's aspect: the whole frame
    EXPECT_FLOAT_EQ(same.w, 120);
    EXPECT_FLOAT_EQ(same.h, 200);

    const Rect area{0, 0, 120, 200};
    const ViewTransform fit = resolve(ViewTransform{}, area, 120, 200);  // 1 point per frame pixel
    const VisiblePart part = visible_placed(fit, area, wide);
    EXPECT_FLOAT_EQ(part.screen.y, 80);
    EXPECT_FLOAT_EQ(part.screen.h, 40);
    EXPECT_FLOAT_EQ(part.uv0.x, 0);
    EXPECT_FLOAT_EQ(part.uv1.y, 1);

    // A 360 x 120 style there: 3 of its pixels per frame pixel, the frame pixel's centre in the middle one.
    int x = 0, y = 0;
    EXPECT_FALSE(placed_pixel(wide, 360, 120, 60, 10, x, y));  // in the margin above it
    ASSERT_TRUE(placed_pixel(wide, 360, 120, 119, 119, x, y));
    EXPECT_EQ(x, 358);
    EXPECT_EQ(y, 118);
    ASSERT_TRUE(placed_pixel(wide, 360, 120, 0, 80, x, y));
    EXPECT_EQ(x, 1);
    EXPECT_EQ(y, 1);
}
