// The style's size (issue 26, item 12): stretched to the content's working size only for the
// method that mixes the two pictures pixel by pixel (the blend); every other method gets the style
// with its own aspect, at about the content's working area, never upscaled past its own pixels.
#include <gtest/gtest.h>

#include <ATen/ATen.h>

#include <cmath>

#include "base/error.h"
#include "methods/blend.h"
#include "methods/color_transfer.h"
#include "image/resize.h"
#include "image/sizing.h"
#include "stylize/stylize.h"
#include "image/tensor_convert.h"
#include "image/tensor_resize.h"
#include "support/test_images.h"
#include "stylize/registry.h"

namespace nt {
namespace {

double aspect(Size2 s) { return double(s.width) / double(s.height); }
std::int64_t area(Size2 s) { return std::int64_t(s.width) * s.height; }

TEST(StyleWorkingSize, KeepsTheAspectAtTheTargetsArea) {
    EXPECT_EQ(style_working_size({2000, 500}, {512, 512}), (Size2{1024, 256}));
    const Size2 wide = style_working_size({3000, 2000}, {512, 384});
    EXPECT_NEAR(aspect(wide), 1.5, 0.01);
    EXPECT_LE(area(wide), 512 * 384);
    EXPECT_GT(area(wide), 512 * 384 * 99 / 100);
    // A tall style for wide content keeps its tallness.
    const Size2 tall = style_working_size({600, 1800}, {640, 360});
    EXPECT_NEAR(aspect(tall), 1.0 / 3.0, 0.01);
    EXPECT_LE(area(tall), 640 * 360);
}

TEST(StyleWorkingSize, NeverUpscalesAStyle) {
    EXPECT_EQ(style_working_size({300, 100}, {512, 512}), (Size2{300, 100}));
    EXPECT_EQ(style_working_size({512, 512}, {512, 512}), (Size2{512, 512}));
    EXPECT_EQ(style_working_size({1200, 1000}, {4000, 3000}), (Size2{1200, 1000}));  // issue 24's 12 MP case
}

TEST(StyleWorkingSize, MapsItsOwnResultsToThemselves) {
    // A style prepared once (a video's) is not resized again by stylize.
    for (int w : {7, 31, 333, 1001, 4000})
        for (int h : {5, 97, 640, 2999})
            for (Size2 target : {Size2{64, 48}, Size2{512, 512}, Size2{1000, 37}}) {
                const Size2 once = style_working_size({w, h}, target);
                EXPECT_EQ(style_working_size(once, target), once) << w << "x" << h;
                EXPECT_LE(area(once), std::max(area(target), std::int64_t(w) * h));
                EXPECT_GE(once.width, 1);
                EXPECT_GE(once.height, 1);
            }
}

TEST(StyleWorkingSize, AThinStyleKeepsOnePixelAcross) {
    EXPECT_EQ(style_working_size({20000, 2}, {8, 8}), (Size2{64, 1}));
    EXPECT_EQ(style_working_size({2, 20000}, {8, 8}), (Size2{1, 64}));
}

TEST(MethodStyleSize, OnlyThePixelAlignedMethodIsStretched) {
    const Size2 style{1600, 400}, target{300, 400};
    for (const auto& m : method_registry()) {
        const MethodInfo& info = m->info();
        const Size2 size = method_style_size(info, style, target);
        if (info.style_pixel_aligned) {
            EXPECT_EQ(size, target) << info.name;
        } else {
            EXPECT_NEAR(aspect(size), 4.0, 0.02) << info.name;
            EXPECT_LE(area(size), area(target)) << info.name;
        }
    }
    EXPECT_TRUE(method_by_name("blend").info().style_pixel_aligned);  // the original script's stretch
}

TEST(MethodStyleSize, ATilingNetworkTakesTheStyleAtMostAtTheThumbnailsArea) {
    // AdaIN at 4096 x 3072: its statistics come from a 1024 x 768 thumbnail.
    const Size2 size = method_style_size(method_by_name("adain").info(), {2000, 2000}, {4096, 3072});
    EXPECT_EQ(size.width, size.height);
    EXPECT_LE(area(size), 1024 * 768);
    EXPECT_GT(area(size), 1024 * 768 * 99 / 100);
}

// A wide style and a tall content: Reinhard (a non-aligned method) gets the style with its own
// aspect, exactly as style_for_method makes it; the blend gets it stretched.
TEST(StylizeStyleSize, AStyleOfAnotherAspectReachesTheMethodsAsEachTakesIt) {
    const Image content = test::make_pattern(60, 120, 1);
    Image style = test::make_pattern(400, 100, 2);
    // Red left half, blue right half: stretching it changes the statistics the methods read.
    for (int y = 0; y < style.height; ++y)
        for (int x = 0; x < style.width; ++x) style.at(x, y)[x < 100 ? 0 : 2] = 255;
    StylizeOptions o;
    o.size = parse_size_spec("original");
    o.device = DeviceChoice::Cpu;
    o.method = "reinhard";
    const Image result = stylize(content, style, o);
    const Image own = resize_bilinear_antialias(style, 170, 42);  // 4:1 at about 60 x 120 pixels
    EXPECT_EQ(style_for_method(method_by_name("reinhard").info(), style, {60, 120}).width, 170);
    const at::Tensor c = image_to_tensor(content);
    EXPECT_EQ(test::max_abs_diff(result, tensor_to_image(reinhard_transfer(c, image_to_tensor(own), 1.0))), 0);
    const Image stretched = resize_bilinear_antialias(style, 60, 120);
    EXPECT_GT(test::max_abs_diff(result, tensor_to_image(reinhard_transfer(c, image_to_tensor(stretched), 1.0))), 2);

    o.method = "blend";
    EXPECT_EQ(test::max_abs_diff(stylize(content, style, o),
                                 tensor_to_image(blend(c, image_to_tensor(stretched), kDefaultAlpha))),
              0);
}

// Every method that reads the style and needs no model runs with a style of another shape, also a
// thin one (a patch must still fit it), and returns the content's working size.
TEST(StylizeStyleSize, EveryMethodWithoutAModelTakesAStyleOfAnotherShape) {
    const Image content = test::make_pattern(40, 56, 3);
    for (const Image& style : {test::make_pattern(160, 48, 4), test::make_pattern(600, 4, 5)})
        for (const auto& m : method_registry()) {
            const MethodInfo& info = m->info();
            if (info.needs_model || !info.uses_style) continue;
            StylizeOptions o;
            o.method = info.name;
            o.size = parse_size_spec("original");
            o.device = DeviceChoice::Cpu;
            if (info.name == std::string("patch_distribution")) o.params = {{"steps", 2}, {"levels", 1}};
            if (info.name == std::string("patch_synthesis")) o.params = {{"levels", 1}, {"updates", 1}};
            Image result;
            ASSERT_NO_THROW(result = stylize(content, style, o)) << info.name << " " << style.width;
            EXPECT_EQ(result.width, 40) << info.name;
            EXPECT_EQ(result.height, 56) << info.name;
        }
}

TEST(ResizeToAtLeast, GrowsTheShorterSideKeepingTheAspect) {
    const at::Tensor t = at::rand({1, 3, 4, 60});
    const at::Tensor grown = resize_to_at_least(t, 9);
    EXPECT_EQ(grown.size(2), 9);
    EXPECT_EQ(grown.size(3), 135);
    EXPECT_TRUE(resize_to_at_least(t, 4).is_same(t));
}

}  // namespace
}  // namespace nt
