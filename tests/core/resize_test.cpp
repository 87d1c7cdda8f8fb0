// nt::resize_bilinear_antialias must be bit-exact with Pillow's BILINEAR resize, which the
// original workflow used through torchvision's Resize.
#include <gtest/gtest.h>

#include <cstdint>

#include "base/error.h"
#include "image/resize.h"
#include "support/test_images.h"

namespace nt {
namespace {

struct PilCase {
    int src_w, src_h, seed, dst_w, dst_h;
    std::uint64_t fnv1a;
    int x, y;
    int rgb[3];
};

const PilCase kPilCases[] = {
#include "core/pil_resize_golden.inc"
};

std::uint64_t fnv1a(const std::vector<std::uint8_t>& data) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (std::uint8_t b : data) h = (h ^ b) * 0x100000001b3ULL;
    return h;
}

TEST(Resize, MatchesPillowBitForBit) {
    for (const PilCase& c : kPilCases) {
        SCOPED_TRACE(std::to_string(c.src_w) + "x" + std::to_string(c.src_h) + " -> " + std::to_string(c.dst_w) + "x" +
                     std::to_string(c.dst_h));
        const Image out = resize_bilinear_antialias(test::make_pattern(c.src_w, c.src_h, c.seed), c.dst_w, c.dst_h);
        ASSERT_EQ(out.width, c.dst_w);
        ASSERT_EQ(out.height, c.dst_h);
        const std::uint8_t* p = out.at(c.x, c.y);
        EXPECT_EQ(int(p[0]), c.rgb[0]);
        EXPECT_EQ(int(p[1]), c.rgb[1]);
        EXPECT_EQ(int(p[2]), c.rgb[2]);
        EXPECT_EQ(fnv1a(out.pixels), c.fnv1a);
    }
}

TEST(Resize, SameSizeIsACopy) {
    const Image in = test::make_pattern(31, 17, 3);
    const Image out = resize_bilinear_antialias(in, 31, 17);
    EXPECT_EQ(out.pixels, in.pixels);
}

TEST(Resize, ConstantImageStaysConstant) {
    Image in(97, 61);
    std::fill(in.pixels.begin(), in.pixels.end(), std::uint8_t(200));
    for (auto [w, h] : {std::pair{13, 7}, std::pair{512, 512}, std::pair{97, 5}}) {
        const Image out = resize_bilinear_antialias(in, w, h);
        for (std::uint8_t v : out.pixels) ASSERT_EQ(v, 200);
    }
}

TEST(Resize, ShrinkingAveragesInsteadOfAliasing) {
    // A one-pixel checkerboard shrunk 4x must come out mid-grey, not black or white (aliasing).
    Image in(64, 64);
    for (int y = 0; y < 64; ++y)
        for (int x = 0; x < 64; ++x) std::fill_n(in.at(x, y), 3, std::uint8_t((x + y) % 2 ? 255 : 0));
    const Image out = resize_bilinear_antialias(in, 16, 16);
    for (int y = 2; y < 14; ++y)
        for (int x = 2; x < 14; ++x) EXPECT_NEAR(int(out.at(x, y)[0]), 128, 2) << x << "," << y;
}

TEST(Resize, RejectsEmptySourceAndBadTargets) {
    EXPECT_THROW(resize_bilinear_antialias(Image(), 4, 4), Error);
    const Image in = test::make_pattern(8, 8);
    EXPECT_THROW(resize_bilinear_antialias(in, 0, 4), Error);
    EXPECT_THROW(resize_bilinear_antialias(in, 4, -1), Error);
    EXPECT_THROW(resize_bilinear_antialias(in, 40000, 4), Error);
}

}  // namespace
}  // namespace nt
