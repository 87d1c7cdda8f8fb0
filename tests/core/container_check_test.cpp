#include <gtest/gtest.h>

#include "imageio/container_check.h"
#include "imageio/save_image.h"
#include "support/test_images.h"

namespace nt {
namespace {

using test::Bytes;

TEST(ContainerCheck, SniffsSignatures) {
    const Bytes jpg = {0xFF, 0xD8, 0xFF, 0xE0}, png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    const Bytes gif = {'G', 'I', 'F', '8', '9', 'a'}, bmp = {'B', 'M', 0, 0}, txt = {'h', 'i'};
    EXPECT_EQ(sniff_container(jpg.data(), jpg.size()), ContainerKind::Jpeg);
    EXPECT_EQ(sniff_container(png.data(), png.size()), ContainerKind::Png);
    EXPECT_EQ(sniff_container(gif.data(), gif.size()), ContainerKind::Gif);
    EXPECT_EQ(sniff_container(bmp.data(), bmp.size()), ContainerKind::Bmp);
    EXPECT_EQ(sniff_container(txt.data(), txt.size()), ContainerKind::Other);
}

TEST(ContainerCheck, CompleteFilesPass) {
    const Image img = test::make_pattern(40, 30, 2);
    const Bytes jpg = encode_image(img, ImageFormat::Jpeg, {80});
    const Bytes png = encode_image(img, ImageFormat::Png);
    EXPECT_EQ(check_jpeg_structure(jpg.data(), jpg.size()), "");
    EXPECT_EQ(check_png_structure(png.data(), png.size()), "");
    // Bytes after EOI (some cameras append data) are fine.
    Bytes trailing = jpg;
    trailing.insert(trailing.end(), {1, 2, 3});
    EXPECT_EQ(check_jpeg_structure(trailing.data(), trailing.size()), "");
}

TEST(ContainerCheck, EveryTruncationOfASmallJpegIsCaught) {
    const Bytes jpg = encode_image(test::make_pattern(24, 16, 2), ImageFormat::Jpeg, {80});
    for (std::size_t n = 0; n < jpg.size(); ++n)
        ASSERT_NE(check_jpeg_structure(jpg.data(), n), "") << "cut at " << n << " of " << jpg.size();
}

TEST(ContainerCheck, EveryTruncationOfASmallPngIsCaught) {
    const Bytes png = encode_image(test::make_pattern(24, 16, 2), ImageFormat::Png);
    for (std::size_t n = 0; n < png.size(); ++n)
        ASSERT_NE(check_png_structure(png.data(), n), "") << "cut at " << n << " of " << png.size();
}

TEST(ContainerCheck, JpegWithoutFrameIsRejected) {
    const Bytes only_markers = {0xFF, 0xD8, 0xFF, 0xD9};
    EXPECT_NE(check_jpeg_structure(only_markers.data(), only_markers.size()), "");
}

}  // namespace
}  // namespace nt
