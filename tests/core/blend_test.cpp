// The blend and the tensor conversions around it follow the original PyTorch workflow exactly.
#include <gtest/gtest.h>

#include <ATen/ATen.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "base/error.h"
#include "methods/blend.h"
#include "image/resize.h"
#include "stylize/stylize.h"
#include "image/tensor_convert.h"
#include "support/test_images.h"

namespace nt {
namespace {

TEST(TensorConvert, ImageToTensorIsToTensor) {
    const Image img = test::make_pattern(5, 3, 1);
    const at::Tensor t = image_to_tensor(img);
    ASSERT_EQ(t.sizes(), (at::IntArrayRef{1, 3, 3, 5}));
    EXPECT_EQ(t.scalar_type(), at::kFloat);
    for (int y = 0; y < 3; ++y)
        for (int x = 0; x < 5; ++x)
            for (int c = 0; c < 3; ++c) EXPECT_FLOAT_EQ(t[0][c][y][x].item<float>(), float(img.at(x, y)[c]) / 255.0f);
}

TEST(TensorConvert, RoundTripIsLossless) {
    const Image img = test::make_pattern(64, 33, 2);
    EXPECT_EQ(tensor_to_image(image_to_tensor(img)).pixels, img.pixels);
}

TEST(TensorConvert, BackConversionTruncatesAndClampsLikeToPILImage) {
    // ToPILImage does pic.mul(255).byte(): 0.999 -> 254 (not 255), and clamp(0, 1) first.
    at::Tensor t = at::empty({1, 3, 1, 2});
    t[0][0][0][0] = 0.999f;
    t[0][0][0][1] = 1.7f;
    t[0][1][0][0] = -0.3f;
    t[0][1][0][1] = 0.5f;
    t[0][2][0][0] = 1.0f;
    t[0][2][0][1] = 2.0f / 255.0f;
    const Image img = tensor_to_image(t);
    EXPECT_EQ(int(img.at(0, 0)[0]), 254);
    EXPECT_EQ(int(img.at(1, 0)[0]), 255);
    EXPECT_EQ(int(img.at(0, 0)[1]), 0);
    EXPECT_EQ(int(img.at(1, 0)[1]), 127);
    EXPECT_EQ(int(img.at(0, 0)[2]), 255);
    EXPECT_EQ(int(img.at(1, 0)[2]), 2);
}

// On the CPU both conversions run as one pass each (no full-size temporaries at 24 MP); they
// must give the ATen chains' values bit for bit, for every byte and for values out of range.
TEST(TensorConvert, CpuPassesEqualTheAtenChains) {
    Image img(256, 3);
    for (int i = 0; i < 256 * 3 * 3; ++i) img.pixels[std::size_t(i)] = std::uint8_t((i * 7 + i / 3) % 256);
    const at::Tensor hwc = at::from_blob(img.pixels.data(), {3, 256, 3}, at::kByte);
    const at::Tensor chain = hwc.permute({2, 0, 1}).contiguous().to(at::kFloat).div(255).unsqueeze(0);
    EXPECT_TRUE(at::equal(image_to_tensor(img), chain));

    at::manual_seed(3);
    const at::Tensor t = at::rand({1, 3, 37, 41}) * 1.4 - 0.2;  // some below 0, some above 1
    const at::Tensor bytes = t.squeeze(0).clamp(0, 1).mul(255).to(at::kByte).permute({1, 2, 0}).contiguous();
    const Image out = tensor_to_image(t);
    ASSERT_EQ(out.pixels.size(), std::size_t(bytes.numel()));
    EXPECT_EQ(std::memcmp(out.pixels.data(), bytes.data_ptr<std::uint8_t>(), out.pixels.size()), 0);
    // NaN (a broken model's output) is 0, not undefined behaviour.
    const Image nan = tensor_to_image(at::full({1, 3, 1, 2}, std::numeric_limits<float>::quiet_NaN()));
    EXPECT_EQ(nan.pixels, std::vector<std::uint8_t>(6, 0));
    // A non-contiguous tensor (a view) converts the same.
    const at::Tensor wide = at::rand({1, 3, 37, 50});
    EXPECT_EQ(tensor_to_image(wide.narrow(3, 5, 41)).pixels,
              tensor_to_image(wide.narrow(3, 5, 41).contiguous()).pixels);
}

// A picture streamed through tiles: windows converted on their own, bands of rows written on
// their own, the same values as the whole conversions.
TEST(TensorConvert, WindowsAndBandsOfRowsConvertAsTheWholePicture) {
    const Image img = test::make_pattern(61, 45, 4);
    const at::Tensor whole = image_to_tensor(img);
    EXPECT_TRUE(at::equal(image_window_to_tensor(img, 7, 13, 20, 31), whole.narrow(2, 7, 20).narrow(3, 13, 31)));
    EXPECT_TRUE(at::equal(image_window_to_tensor(img, 0, 0, 45, 61), whole));
    EXPECT_THROW(image_window_to_tensor(img, 40, 0, 6, 61), Error);  // past the bottom
    EXPECT_THROW(image_window_to_tensor(img, 0, -1, 5, 5), Error);
    EXPECT_THROW(image_window_to_tensor(img, 0, 0, 0, 5), Error);

    at::manual_seed(4);
    const at::Tensor t = at::rand({1, 3, 45, 61}) * 1.4 - 0.2;
    Image bands(61, 45);
    tensor_into_image_rows(t.narrow(2, 0, 17), bands, 0);
    tensor_into_image_rows(t.narrow(2, 17, 28), bands, 17);
    EXPECT_EQ(bands.pixels, tensor_to_image(t).pixels);
    EXPECT_THROW(tensor_into_image_rows(t.narrow(2, 0, 10), bands, 40), Error);  // past the bottom
    EXPECT_THROW(tensor_into_image_rows(t.narrow(3, 0, 60), bands, 0), Error);   // narrower
}

TEST(TensorConvert, RejectsWrongShapes) {
    EXPECT_THROW(tensor_to_image(at::zeros({2, 3, 4, 4})), Error);
    EXPECT_THROW(tensor_to_image(at::zeros({4, 4, 4})), Error);
    EXPECT_THROW(image_to_tensor(Image()), Error);
}

TEST(Blend, IsTheWeightedAverage) {
    const at::Tensor c = at::rand({1, 3, 8, 8});
    const at::Tensor s = at::rand({1, 3, 8, 8});
    for (double alpha : {0.0, 0.25, 0.4, 1.0}) {
        const at::Tensor r = blend(c, s, alpha);
        EXPECT_TRUE(at::allclose(r, c * (1 - alpha) + s * alpha, 1e-6, 1e-7)) << alpha;
    }
    EXPECT_TRUE(at::equal(blend(c, s, 0.0), c));
    EXPECT_TRUE(at::equal(blend(c, s, 1.0), s));
}

TEST(Blend, DefaultEqualsTheOriginalsExpression) {
    // The original computed 0.6 * content + 0.4 * style in float32; the default must give the same bits.
    EXPECT_DOUBLE_EQ(kDefaultAlpha, 0.4);
    const at::Tensor c = at::rand({1, 3, 16, 16});
    const at::Tensor s = at::rand({1, 3, 16, 16});
    EXPECT_TRUE(at::equal(blend(c, s, kDefaultAlpha), 0.6 * c + 0.4 * s));
}

TEST(Blend, RejectsAlphaOutsideUnitIntervalAndNaN) {
    const at::Tensor c = at::rand({1, 3, 2, 2});
    for (double bad : {-0.01, 1.01, std::nan(""), std::numeric_limits<double>::infinity()})
        EXPECT_THROW(blend(c, c, bad), Error) << bad;
    EXPECT_THROW(blend(c, at::rand({1, 3, 2, 3}), 0.5), Error);
}

TEST(Stylize, ResizesBothToTheWorkingSizeThenBlends) {
    const Image content = test::make_pattern(90, 60, 1);
    const Image style = test::make_pattern(40, 70, 2);
    StylizeOptions options;
    options.device = DeviceChoice::Cpu;
    options.size = parse_size_spec("long:45");
    const Image result = stylize(content, style, options);
    ASSERT_EQ(result.width, 45);
    ASSERT_EQ(result.height, 30);
    // Reference: the same steps spelled out, pixel by pixel in float32 like PyTorch.
    const Image c = resize_bilinear_antialias(content, 45, 30);
    const Image s = resize_bilinear_antialias(style, 45, 30);
    for (std::size_t i = 0; i < result.pixels.size(); ++i) {
        const float v = 0.6f * (float(c.pixels[i]) / 255.0f) + 0.4f * (float(s.pixels[i]) / 255.0f);
        ASSERT_NEAR(int(result.pixels[i]), int(v * 255.0f), 1) << i;
    }
}

TEST(Stylize, InvalidOptionsThrowBeforeWork) {
    const Image img = test::make_pattern(8, 8);
    StylizeOptions options;
    options.params["alpha"] = 2.0;
    EXPECT_THROW(stylize(img, img, options), Error);
    options.params = {{"beta", 0.5}};
    EXPECT_THROW(stylize(img, img, options), Error);
    options.params = {};
    options.method = "nonexistent";
    EXPECT_THROW(stylize(img, img, options), Error);
}

}  // namespace
}  // namespace nt
