// The fixed-point RGBA8 blend must equal the original's float path within one level everywhere.
#include <gtest/gtest.h>

#include <ATen/ATen.h>

#include <cmath>

#include "base/device.h"
#include "base/error.h"
#include "methods/blend.h"
#include "methods/blend_rgba8.h"
#include "image/tensor_convert.h"
#include "support/test_images.h"

namespace nt {
namespace {

// Content and style whose red channels together hold every (content, style) byte pair once.
std::pair<Image, Image> all_byte_pairs() {
    Image c(256, 256), s(256, 256);
    for (int y = 0; y < 256; ++y)
        for (int x = 0; x < 256; ++x) {
            std::uint8_t* pc = c.at(x, y);
            std::uint8_t* ps = s.at(x, y);
            pc[0] = std::uint8_t(x), ps[0] = std::uint8_t(y);
            pc[1] = std::uint8_t(255 - y), ps[1] = std::uint8_t(x);
            pc[2] = std::uint8_t((x * 7 + y) & 255), ps[2] = std::uint8_t((y * 13 + x) & 255);
        }
    return {c, s};
}

// The original: float tensors, (1 - a) * c + a * s, clamp, x * 255 truncated, interleaved.
Image reference(const Image& c, const Image& s, double alpha) {
    return tensor_to_image(blend(image_to_tensor(c), image_to_tensor(s), alpha));
}

TEST(BlendRgba8, WithinOneLevelOfTheFloatPathForEveryBytePair) {
    const auto [c, s] = all_byte_pairs();
    for (double alpha : {0.0, 0.1, 0.25, 0.4, 0.5, 0.6180339, 0.75, 0.999, 1.0}) {
        const Image ref = reference(c, s, alpha);
        std::vector<std::uint8_t> out(256 * 256 * 4);
        blend_rgb_into_rgba8(c.pixels.data(), s.pixels.data(), 256, 256, alpha, out.data(), 256 * 4);
        int worst = 0;
        for (std::size_t p = 0; p < 256 * 256; ++p) {
            for (int k = 0; k < 3; ++k)
                worst = std::max(worst, std::abs(int(out[4 * p + k]) - int(ref.pixels[3 * p + k])));
            ASSERT_EQ(out[4 * p + 3], 255);
        }
        EXPECT_LE(worst, 1) << "alpha " << alpha;
    }
}

TEST(BlendRgba8, EndpointsAreExact) {
    const auto [c, s] = all_byte_pairs();
    std::vector<std::uint8_t> out(256 * 256 * 4);
    for (double alpha : {0.0, 1.0}) {
        blend_rgb_into_rgba8(c.pixels.data(), s.pixels.data(), 256, 256, alpha, out.data(), 256 * 4);
        const Image& expect = alpha == 0.0 ? c : s;
        for (std::size_t p = 0; p < 256 * 256; ++p)
            for (int k = 0; k < 3; ++k) ASSERT_EQ(out[4 * p + k], expect.pixels[3 * p + k]);
    }
}

TEST(BlendRgba8, PaddedRowsLeaveThePaddingAlone) {
    const Image c = test::make_pattern(33, 7, 1), s = test::make_pattern(33, 7, 2);
    const std::size_t stride = 33 * 4 + 12;
    std::vector<std::uint8_t> out(stride * 7, 0xAB);
    blend_rgb_into_rgba8(c.pixels.data(), s.pixels.data(), 33, 7, 0.5, out.data(), stride);
    std::vector<std::uint8_t> packed(33 * 7 * 4);
    blend_rgb_into_rgba8(c.pixels.data(), s.pixels.data(), 33, 7, 0.5, packed.data(), 33 * 4);
    for (int y = 0; y < 7; ++y) {
        EXPECT_TRUE(std::equal(packed.begin() + y * 132, packed.begin() + (y + 1) * 132, out.begin() + y * stride));
        for (std::size_t i = 132; i < stride; ++i) EXPECT_EQ(out[y * stride + i], 0xAB);
    }
    EXPECT_THROW(blend_rgb_into_rgba8(c.pixels.data(), s.pixels.data(), 33, 7, 0.5, out.data(), 100), Error);
}

TEST(BlendRgba8, LargeFrameSplitAcrossThreadsMatchesRowByRow) {
    const Image c = test::make_pattern(1920, 1080, 3), s = test::make_pattern(1920, 1080, 4);
    std::vector<std::uint8_t> whole(1920 * 1080 * 4), rows(1920 * 1080 * 4 + 1080 * 4);
    blend_rgb_into_rgba8(c.pixels.data(), s.pixels.data(), 1920, 1080, 0.4, whole.data(), 1920 * 4);
    blend_rgb_into_rgba8(c.pixels.data(), s.pixels.data(), 1920, 1080, 0.4, rows.data(), 1920 * 4 + 4);
    for (int y = 0; y < 1080; ++y)
        ASSERT_TRUE(std::equal(whole.begin() + y * 7680, whole.begin() + (y + 1) * 7680, rows.begin() + y * 7684));
}

TEST(BlendRgba8, TensorVersionOnCpu) {
    const Image c = test::make_pattern(50, 20, 1), s = test::make_pattern(50, 20, 2);
    const at::Tensor tc = at::from_blob(const_cast<std::uint8_t*>(c.pixels.data()), {20, 50, 3}, at::kByte);
    const at::Tensor ts = at::from_blob(const_cast<std::uint8_t*>(s.pixels.data()), {20, 50, 3}, at::kByte);
    const at::Tensor cpu = blend_rgba8(tc, ts, 0.3);
    ASSERT_EQ(cpu.sizes(), (at::IntArrayRef{20, 50, 4}));
    std::vector<std::uint8_t> direct(50 * 20 * 4);
    blend_rgb_into_rgba8(c.pixels.data(), s.pixels.data(), 50, 20, 0.3, direct.data(), 200);
    EXPECT_TRUE(std::equal(direct.begin(), direct.end(), cpu.data_ptr<std::uint8_t>()));
    EXPECT_THROW(blend_rgba8(tc, ts.narrow(0, 0, 10), 0.3), Error);
    EXPECT_THROW(blend_rgba8(tc, ts, 1.5), Error);
}

TEST(BlendRgba8, CudaTensorsGiveTheCpuBytes) {
    if (!cuda_available()) GTEST_SKIP() << "no CUDA GPU: " << cuda_unavailable_reason();
    const Image c = test::make_pattern(50, 20, 1), s = test::make_pattern(50, 20, 2);
    const at::Tensor tc = at::from_blob(const_cast<std::uint8_t*>(c.pixels.data()), {20, 50, 3}, at::kByte);
    const at::Tensor ts = at::from_blob(const_cast<std::uint8_t*>(s.pixels.data()), {20, 50, 3}, at::kByte);
    const at::Tensor cpu = blend_rgba8(tc, ts, 0.3);
    const at::Tensor gpu = blend_rgba8(tc.cuda(), ts.cuda(), 0.3);
    EXPECT_TRUE(gpu.is_cuda());
    EXPECT_TRUE(at::equal(gpu.cpu(), cpu));
}

TEST(BlendRgba8, RgbToRgba8CopiesExactly) {
    const Image img = test::make_pattern(37, 9, 5);
    std::vector<std::uint8_t> out(37 * 9 * 4);
    rgb_to_rgba8(img.pixels.data(), 37, 9, out.data(), 37 * 4);
    for (std::size_t p = 0; p < 37 * 9; ++p) {
        for (int k = 0; k < 3; ++k) ASSERT_EQ(out[4 * p + k], img.pixels[3 * p + k]);
        ASSERT_EQ(out[4 * p + 3], 255);
    }
}

TEST(DisplayConversions, FloatToRgba8ConvertsExactlyLikeTensorToImage) {
    const at::Tensor t = at::rand({1, 3, 19, 23}) * 1.4 - 0.2;  // some values outside 0..1
    const at::Tensor rgba = float_to_rgba8(t);
    ASSERT_EQ(rgba.sizes(), (at::IntArrayRef{19, 23, 4}));
    EXPECT_EQ(rgba8_to_image(rgba).pixels, tensor_to_image(t).pixels);
    EXPECT_TRUE(at::all(rgba.select(2, 3) == 255).item<bool>());
    // An existing buffer of the right shape is filled in place.
    at::Tensor out = at::zeros({19, 23, 4}, at::kByte);
    const at::Tensor filled = float_to_rgba8(t, out);
    EXPECT_EQ(filled.data_ptr(), out.data_ptr());
    EXPECT_TRUE(at::equal(filled, rgba));
}

TEST(DisplayConversions, HwcTensorHoldsTheImageBytes) {
    const Image img = test::make_pattern(7, 5, 2);
    const at::Tensor hwc = image_to_hwc_tensor(img);
    ASSERT_EQ(hwc.sizes(), (at::IntArrayRef{5, 7, 3}));
    EXPECT_TRUE(std::equal(img.pixels.begin(), img.pixels.end(), hwc.data_ptr<std::uint8_t>()));
    EXPECT_THROW(rgba8_to_image(hwc), Error);
}

TEST(BlendRgba8, WeightQuantization) {
    EXPECT_EQ(blend_weight_q8(0.0), 0);
    EXPECT_EQ(blend_weight_q8(1.0), 256);
    EXPECT_EQ(blend_weight_q8(0.4), 102);
    EXPECT_THROW(blend_weight_q8(std::nan("")), Error);
}

}  // namespace
}  // namespace nt
