#include <gtest/gtest.h>

#include "base/error.h"
#include "imageio/load_image.h"
#include "imageio/save_image.h"
#include "support/temp_dir.h"
#include "support/test_images.h"

namespace nt {
namespace {

TEST(SaveImage, FormatFollowsExtension) {
    test::TempDir dir;
    const Image img = test::make_pattern(20, 10);
    const std::pair<const char*, std::vector<std::uint8_t>> signatures[] = {{"a.png", {0x89, 'P', 'N', 'G'}},
                                                                            {"a.jpg", {0xFF, 0xD8, 0xFF}},
                                                                            {"a.JPEG", {0xFF, 0xD8, 0xFF}},
                                                                            {"a.bmp", {'B', 'M'}}};
    for (const auto& [name, magic] : signatures) {
        save_image(img, dir / name);
        const auto bytes = test::read_bytes(dir / name);
        EXPECT_TRUE(std::equal(magic.begin(), magic.end(), bytes.begin())) << name;
    }
    save_image(img, dir / "a.tga");
    EXPECT_EQ(load_image(dir / "a.tga").pixels, img.pixels);
}

TEST(SaveImage, JpegQualityChangesSizeAndFidelity) {
    const Image img = test::make_pattern(128, 128, 7);
    const auto low = encode_image(img, ImageFormat::Jpeg, {10});
    const auto high = encode_image(img, ImageFormat::Jpeg, {95});
    EXPECT_LT(low.size(), high.size());
    const Image low_back = decode_image(low.data(), low.size(), "low");
    const Image high_back = decode_image(high.data(), high.size(), "high");
    EXPECT_LT(test::mean_abs_diff(high_back, img), test::mean_abs_diff(low_back, img));
    EXPECT_THROW(encode_image(img, ImageFormat::Jpeg, {0}), Error);
    EXPECT_THROW(encode_image(img, ImageFormat::Jpeg, {101}), Error);
}

TEST(SaveImage, UnknownExtensionWritesNothing) {
    test::TempDir dir;
    for (const char* name : {"out.webp", "out", "out.jpg.txt"}) {
        try {
            save_image(test::make_pattern(4, 4), dir / name);
            FAIL() << name;
        } catch (const Error& e) {
            EXPECT_NE(std::string(e.what()).find("unknown output extension"), std::string::npos) << e.what();
        }
    }
    EXPECT_TRUE(test::folder_entries(dir.path()).empty());
}

TEST(SaveImage, EmptyImageIsRefused) {
    test::TempDir dir;
    EXPECT_THROW(save_image(Image(), dir / "x.png"), Error);
    EXPECT_TRUE(test::folder_entries(dir.path()).empty());
}

}  // namespace
}  // namespace nt
