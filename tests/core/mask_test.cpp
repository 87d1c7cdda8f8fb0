// Masks: outside a hard mask the result is the content bit for bit, feathering widens the
// transition, mask pictures are read as grey levels and resized to the working size.
#include <gtest/gtest.h>

#include <ATen/ATen.h>

#include <cmath>

#include "base/error.h"
#include "image/gaussian_blur.h"
#include "image/mask.h"
#include "stylize/stylize.h"
#include "image/tensor_convert.h"
#include "support/test_images.h"

namespace nt {
namespace {

// [1, 1, h, w]: 1 on the left half, 0 on the right.
at::Tensor left_half(int h, int w) {
    at::Tensor m = at::zeros({1, 1, h, w});
    m.narrow(3, 0, w / 2).fill_(1.0);
    return m;
}

Image left_half_image(int w, int h) {
    Image img(w, h);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w / 2; ++x) img.at(x, y)[0] = img.at(x, y)[1] = img.at(x, y)[2] = 255;
    return img;
}

// Pixels of one row where the mask is strictly between 0 and 1.
int transition_width(const at::Tensor& mask) {
    const at::Tensor row = mask[0][0][mask.size(2) / 2];
    return int(((row > 1e-3) & (row < 1 - 1e-3)).sum().item<std::int64_t>());
}

TEST(Mask, OutsideAHardMaskTheContentIsExact) {
    at::manual_seed(31);
    const at::Tensor content = at::rand({1, 3, 20, 30}), stylized = at::rand({1, 3, 20, 30});
    const at::Tensor result = apply_mask(content, stylized, left_half(20, 30));
    EXPECT_TRUE(at::equal(result.narrow(3, 15, 15), content.narrow(3, 15, 15)));
    EXPECT_TRUE(at::allclose(result.narrow(3, 0, 15), stylized.narrow(3, 0, 15), 0, 1e-6));
}

TEST(Mask, FeatherWidensTheTransition) {
    const at::Tensor hard = left_half(40, 100);
    EXPECT_EQ(transition_width(feather_mask(hard, 0.0)), 0);
    const int narrow = transition_width(feather_mask(hard, 2.0));
    const int wide = transition_width(feather_mask(hard, 6.0));
    EXPECT_GT(narrow, 4);
    EXPECT_GT(wide, 2 * narrow);
    // The edge stays where it was: halfway at the boundary, and the far sides untouched.
    const at::Tensor soft = feather_mask(hard, 6.0);
    EXPECT_NEAR(soft[0][0][20].narrow(0, 49, 2).mean().item<float>(), 0.5, 1e-5);
    EXPECT_FLOAT_EQ(soft[0][0][20][0].item<float>(), 1.0f);
    EXPECT_FLOAT_EQ(soft[0][0][20][99].item<float>(), 0.0f);
}

TEST(GaussianBlur, KeepsConstantsAndHasTheRequestedSpread) {
    EXPECT_TRUE(at::allclose(gaussian_blur(at::ones({1, 2, 9, 13}), 3.0), at::ones({1, 2, 9, 13}), 0, 1e-6));
    at::Tensor impulse = at::zeros({1, 1, 1, 81});
    impulse[0][0][0][40] = 1.0;
    const at::Tensor blurred = gaussian_blur(impulse, 4.0)[0][0][0];
    const at::Tensor x = at::arange(81, at::kFloat) - 40;
    EXPECT_NEAR(blurred.sum().item<float>(), 1.0, 1e-5);
    // Truncation at 3 sigma trims the variance by about 3 %.
    EXPECT_NEAR(std::sqrt((blurred * x * x).sum().item<float>()), 4.0, 0.1);
    // A radius larger than the picture still works (edges repeat).
    EXPECT_TRUE(at::allclose(gaussian_blur(at::full({1, 1, 3, 3}, 0.25), 10.0), at::full({1, 1, 3, 3}, 0.25)));
}

TEST(Mask, PictureIsReadAsGreyLevelsAndResized) {
    Image grey(4, 2);
    for (std::size_t i = 0; i < grey.pixels.size(); i += 3) grey.pixels[i] = 255;  // pure red
    const at::Tensor m = mask_to_tensor(grey, 4, 2, c10::Device(c10::kCPU));
    EXPECT_EQ(m.sizes(), (at::IntArrayRef{1, 1, 2, 4}));
    EXPECT_NEAR(m.max().item<float>(), 0.299, 1e-6);
    const at::Tensor resized = mask_to_tensor(left_half_image(10, 6), 40, 24, c10::Device(c10::kCPU));
    EXPECT_EQ(resized.sizes(), (at::IntArrayRef{1, 1, 24, 40}));
    EXPECT_FLOAT_EQ(resized[0][0][12][0].item<float>(), 1.0f);
    EXPECT_FLOAT_EQ(resized[0][0][12][39].item<float>(), 0.0f);
}

TEST(Mask, FeatherOutsideTheRangeIsRefused) {
    EXPECT_THROW(check_feather(-1.0), Error);
    EXPECT_THROW(check_feather(std::nan("")), Error);
    EXPECT_THROW(check_feather(kMaxFeatherPx + 1), Error);
    EXPECT_NO_THROW(check_feather(0.0));
    EXPECT_NO_THROW(check_feather(kMaxFeatherPx));
}

class MaskedStylize : public ::testing::Test {
protected:
    const Image content = test::make_pattern(60, 40, 1), style = test::make_pattern(30, 30, 5);
    StylizeOptions options;
    void SetUp() override {
        options.method = "reinhard";
        options.device = DeviceChoice::Cpu;
        options.size = parse_size_spec("original");
    }
};

TEST_F(MaskedStylize, BlackPartOfTheMaskKeepsTheContentPixels) {
    options.mask = left_half_image(60, 40);
    const Image masked = stylize(content, style, options);
    options.mask.reset();
    const Image full = stylize(content, style, options);
    for (int y = 0; y < 40; ++y)
        for (int x = 0; x < 60; ++x)
            for (int c = 0; c < 3; ++c) {
                const Image& expected = x < 30 ? full : content;
                ASSERT_EQ(masked.at(x, y)[c], expected.at(x, y)[c]) << x << "," << y;
            }
}

TEST_F(MaskedStylize, MaskOfAnotherSizeIsResizedAndFeathered) {
    options.mask = left_half_image(15, 10);
    options.feather_px = 3.0;
    const Image masked = stylize(content, style, options);
    EXPECT_EQ(masked.width, 60);
    EXPECT_EQ(masked.height, 40);
    EXPECT_EQ(masked.at(59, 20)[0], content.at(59, 20)[0]);  // far right: content (3 sigma away)
}

TEST_F(MaskedStylize, BadMaskOptionsAreErrors) {
    options.mask = Image();
    EXPECT_THROW(stylize(content, style, options), Error);
    options.mask = left_half_image(60, 40);
    options.feather_px = -2;
    EXPECT_THROW(stylize(content, style, options), Error);
}

}  // namespace
}  // namespace nt

namespace nt {
namespace {

TEST(GaussianBlur, CpuLoopsMatchTheConvolutionPath) {
    // float CPU tensors take the loop path; double ones the conv2d path used on other devices.
    at::manual_seed(5);
    const at::Tensor img = at::rand({1, 2, 37, 53});
    for (double sigma : {0.5, 2.0, 7.0, 40.0}) {
        const at::Tensor loops = gaussian_blur(img, sigma);
        const at::Tensor conv = gaussian_blur(img.to(at::kDouble), sigma).to(at::kFloat);
        EXPECT_TRUE(at::allclose(loops, conv, 0, 2e-6))
            << "sigma " << sigma << ": max diff " << (loops - conv).abs().max().item<float>();
    }
}

}  // namespace
}  // namespace nt
