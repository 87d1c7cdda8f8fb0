// Phone photos carry their rotation in EXIF; the loader must show them upright.
#include <gtest/gtest.h>

#include "imageio/exif_orientation.h"
#include "imageio/load_image.h"
#include "imageio/save_image.h"
#include "support/temp_dir.h"
#include "support/test_images.h"

namespace nt {
namespace {

using test::Bytes;

// A 3x2 picture with distinct corners, to check each transform exactly.
Image corners() {
    Image img(3, 2);
    for (int i = 0; i < 6; ++i) std::fill_n(img.pixels.data() + 3 * i, 3, std::uint8_t(10 * (i + 1)));
    return img;  // row 0: 10 20 30, row 1: 40 50 60
}

std::vector<int> grey(const Image& img) {
    std::vector<int> v;
    for (std::size_t i = 0; i < img.pixels.size(); i += 3) v.push_back(img.pixels[i]);
    return v;
}

TEST(ExifOrientation, EachTransform) {
    const Image in = corners();
    struct Case {
        int orientation, w, h;
        std::vector<int> values;
    };
    const Case cases[] = {
        {1, 3, 2, {10, 20, 30, 40, 50, 60}}, {2, 3, 2, {30, 20, 10, 60, 50, 40}},  // mirrored left-right
        {3, 3, 2, {60, 50, 40, 30, 20, 10}},                                       // rotated 180
        {4, 3, 2, {40, 50, 60, 10, 20, 30}},                                       // mirrored top-bottom
        {5, 2, 3, {10, 40, 20, 50, 30, 60}},                                       // transposed
        {6, 2, 3, {40, 10, 50, 20, 60, 30}},                                       // rotated 90 clockwise
        {7, 2, 3, {60, 30, 50, 20, 40, 10}},                                       // transversed
        {8, 2, 3, {30, 60, 20, 50, 10, 40}},                                       // rotated 90 counter-clockwise
    };
    for (const Case& c : cases) {
        const Image out = apply_exif_orientation(in, c.orientation);
        EXPECT_EQ(out.width, c.w) << c.orientation;
        EXPECT_EQ(out.height, c.h) << c.orientation;
        EXPECT_EQ(grey(out), c.values) << "orientation " << c.orientation;
    }
}

TEST(ExifOrientation, ReadsTagInBothByteOrders) {
    const Bytes jpg = encode_image(test::make_pattern(8, 8), ImageFormat::Jpeg);
    EXPECT_EQ(read_jpeg_exif_orientation(jpg.data(), jpg.size()), 1);
    for (int o = 1; o <= 8; ++o)
        for (bool little : {true, false}) {
            const Bytes tagged = test::with_exif_orientation(jpg, o, little);
            EXPECT_EQ(read_jpeg_exif_orientation(tagged.data(), tagged.size()), o);
        }
}

TEST(ExifOrientation, MalformedExifMeansUpright) {
    const Bytes jpg = encode_image(test::make_pattern(8, 8), ImageFormat::Jpeg);
    Bytes tagged = test::with_exif_orientation(jpg, 6);
    tagged[12] = 'X';  // SOI, APP1 marker and length, "Exif\0\0": the TIFF byte-order mark
    EXPECT_EQ(read_jpeg_exif_orientation(tagged.data(), tagged.size()), 1);
    // A well-formed tag with a value out of range is reported as stored: load_image refuses it
    // (bad_images_test.cpp) rather than show the picture in a guessed orientation.
    Bytes bad_value = test::with_exif_orientation(jpg, 9);
    EXPECT_EQ(read_jpeg_exif_orientation(bad_value.data(), bad_value.size()), 9);
    for (std::size_t n = 0; n < 40; ++n) read_jpeg_exif_orientation(tagged.data(), n);  // no crash on cuts
}

TEST(ExifOrientation, LoaderShowsPhonePhotosUpright) {
    test::TempDir dir;
    const Image upright = test::make_pattern(40, 24, 5);  // landscape as seen by the user
    // The camera stored it rotated and tagged orientation 6 (rotate 90 clockwise to display).
    const Image stored = apply_exif_orientation(upright, 8);
    ASSERT_EQ(stored.width, 24);
    const Bytes jpg = encode_image(stored, ImageFormat::Jpeg, {100});
    test::write_bytes(dir / "phone.jpg", test::with_exif_orientation(jpg, 6));
    const Image loaded = load_image(dir / "phone.jpg");
    ASSERT_EQ(loaded.width, 40);
    ASSERT_EQ(loaded.height, 24);
    EXPECT_LT(test::mean_abs_diff(loaded, upright), 4.0);
}

}  // namespace
}  // namespace nt
