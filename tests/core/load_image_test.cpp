// Every format, bit depth and layout the loader promises, and every bad input it must refuse with
// a one-line message naming the file.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "base/error.h"
#include "imageio/load_image.h"
#include "imageio/save_image.h"
#include "base/limits.h"
#include "support/temp_dir.h"
#include "support/test_images.h"

namespace nt {
namespace {

using test::Bytes;

class LoadImage : public ::testing::Test {
protected:
    test::TempDir dir;

    // The loader's error for `path`, checked to be one line that names the file.
    std::string error_for(const std::filesystem::path& path) {
        try {
            load_image(path);
        } catch (const Error& e) {
            const std::string msg = e.what();
            EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
            EXPECT_EQ(msg.rfind(path.string(), 0), 0u) << "message does not start with the path: " << msg;
            return msg;
        }
        ADD_FAILURE() << "expected an error for " << path;
        return {};
    }
};

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

TEST_F(LoadImage, LosslessFormatsRoundTripExactly) {
    const Image img = test::make_pattern(45, 31, 4);
    for (const char* name : {"a.png", "a.bmp", "a.tga", "a.PNG"}) {
        save_image(img, dir / name);
        const Image back = load_image(dir / name);
        EXPECT_EQ(back.width, 45);
        EXPECT_EQ(back.height, 31);
        EXPECT_EQ(back.pixels, img.pixels) << name;
    }
}

TEST_F(LoadImage, BaselineJpegIsClose) {
    const Image img = test::make_pattern(64, 48, 1);
    save_image(img, dir / "a.jpg", {95});
    const Image back = load_image(dir / "a.jpg");
    ASSERT_EQ(back.width, 64);
    EXPECT_LT(test::mean_abs_diff(back, img), 6.0);
}

TEST_F(LoadImage, ProgressiveJpeg) {
    // stb_image_write only writes baseline; jpegtran (libjpeg-turbo-progs) converts losslessly.
    if (std::system("command -v jpegtran >/dev/null 2>&1") != 0)
        GTEST_FAIL() << "jpegtran not installed (scripts/install_deps.sh test installs libjpeg-turbo-progs)";
    const Image img = test::make_pattern(64, 48, 1);
    save_image(img, dir / "base.jpg", {95});
    const std::string cmd =
        "jpegtran -progressive -outfile '" + (dir / "prog.jpg").string() + "' '" + (dir / "base.jpg").string() + "'";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    const Bytes prog = test::read_bytes(dir / "prog.jpg");
    bool has_sof2 = false;  // progressive frame marker
    for (std::size_t i = 0; i + 1 < prog.size(); ++i) has_sof2 |= prog[i] == 0xFF && prog[i + 1] == 0xC2;
    ASSERT_TRUE(has_sof2);
    EXPECT_LE(test::max_abs_diff(load_image(dir / "prog.jpg"), load_image(dir / "base.jpg")), 1);
}

TEST_F(LoadImage, Png16BitKeepsTheHighByte) {
    std::vector<std::uint16_t> samples;
    for (int i = 0; i < 4 * 2 * 3; ++i) samples.push_back(std::uint16_t(i * 2731));
    test::write_bytes(dir / "16.png", test::make_png(4, 2, 2, 16, samples));
    const Image img = load_image(dir / "16.png");
    ASSERT_EQ(img.width, 4);
    for (std::size_t i = 0; i < samples.size(); ++i) EXPECT_EQ(int(img.pixels[i]), samples[i] >> 8) << i;
}

TEST_F(LoadImage, PalettePngExpands) {
    const Bytes palette = {255, 0, 0, 0, 255, 0, 0, 0, 255};
    test::write_bytes(dir / "pal.png", test::make_png(3, 1, 3, 8, {0, 1, 2}, palette));
    const Image img = load_image(dir / "pal.png");
    EXPECT_EQ(img.pixels, (std::vector<std::uint8_t>{255, 0, 0, 0, 255, 0, 0, 0, 255}));
}

TEST_F(LoadImage, GreyAndGreyAlphaBecomeRgb) {
    test::write_bytes(dir / "g.png", test::make_png(2, 1, 0, 8, {10, 200}));
    EXPECT_EQ(load_image(dir / "g.png").pixels, (std::vector<std::uint8_t>{10, 10, 10, 200, 200, 200}));
    test::write_bytes(dir / "ga.png", test::make_png(2, 1, 4, 8, {10, 0, 200, 255}));
    EXPECT_EQ(load_image(dir / "ga.png").pixels, (std::vector<std::uint8_t>{10, 10, 10, 200, 200, 200}));
    test::write_bytes(dir / "g16.png", test::make_png(1, 1, 0, 16, {0xABCD}));
    EXPECT_EQ(load_image(dir / "g16.png").pixels, (std::vector<std::uint8_t>{0xAB, 0xAB, 0xAB}));
}

TEST_F(LoadImage, AlphaIsDroppedLikePilConvertRgb) {
    test::write_bytes(dir / "rgba.png", test::make_png(2, 1, 6, 8, {1, 2, 3, 0, 4, 5, 6, 128}));
    EXPECT_EQ(load_image(dir / "rgba.png").pixels, (std::vector<std::uint8_t>{1, 2, 3, 4, 5, 6}));
}

TEST_F(LoadImage, GifFirstFrame) {
    Bytes palette(768, 0);
    palette[3] = 255;          // index 1: red
    palette[3 * 2 + 2] = 255;  // index 2: blue
    Bytes first(20 * 30, 1), second(20 * 30, 2);
    first[0] = 2;
    test::write_bytes(dir / "anim.gif", test::make_gif(20, 30, palette, {first, second}));
    const Image img = load_image(dir / "anim.gif");
    ASSERT_EQ(img.width, 20);
    ASSERT_EQ(img.height, 30);
    EXPECT_EQ(int(img.at(0, 0)[2]), 255);  // blue
    EXPECT_EQ(int(img.at(5, 5)[0]), 255);  // red: the first frame, not the second
    EXPECT_EQ(int(img.at(5, 5)[2]), 0);
}

TEST_F(LoadImage, MissingFile) { EXPECT_TRUE(contains(error_for(dir / "nope.jpg"), "no such file")); }

TEST_F(LoadImage, Folder) {
    std::filesystem::create_directory(dir / "sub.jpg");
    EXPECT_TRUE(contains(error_for(dir / "sub.jpg"), "folder"));
}

TEST_F(LoadImage, EmptyFile) {
    test::write_bytes(dir / "empty.png", {});
    EXPECT_TRUE(contains(error_for(dir / "empty.png"), "empty"));
}

TEST_F(LoadImage, TextFileNamedJpg) {
    test::write_text(dir / "notes.jpg", "these are not pixels\n");
    EXPECT_TRUE(contains(error_for(dir / "notes.jpg"), "not a supported image"));
}

TEST_F(LoadImage, TruncatedJpegAtManyPoints) {
    save_image(test::make_pattern(64, 64, 3), dir / "full.jpg", {90});
    const Bytes full = test::read_bytes(dir / "full.jpg");
    for (double fraction : {0.1, 0.5, 0.9, 0.99}) {
        const auto path = dir / ("cut" + std::to_string(int(fraction * 100)) + ".jpg");
        test::write_bytes(path, Bytes(full.begin(), full.begin() + long(full.size() * fraction)));
        EXPECT_TRUE(contains(error_for(path), "truncated JPEG")) << fraction;
    }
    // Only the end-of-image marker missing: stb_image would decode this silently.
    test::write_bytes(dir / "noeoi.jpg", Bytes(full.begin(), full.end() - 2));
    EXPECT_TRUE(contains(error_for(dir / "noeoi.jpg"), "truncated JPEG"));
}

TEST_F(LoadImage, TruncatedPngAtManyPoints) {
    save_image(test::make_pattern(64, 64, 3), dir / "full.png");
    const Bytes full = test::read_bytes(dir / "full.png");
    for (std::size_t keep : {std::size_t(4), std::size_t(20), full.size() / 2, full.size() - 12, full.size() - 1}) {
        const auto path = dir / ("cut" + std::to_string(keep) + ".png");
        test::write_bytes(path, Bytes(full.begin(), full.begin() + long(keep)));
        const std::string msg = error_for(path);
        EXPECT_TRUE(contains(msg, "truncated PNG") || contains(msg, "not a supported image")) << msg;
    }
}

TEST_F(LoadImage, CorruptPngCrc) {
    save_image(test::make_pattern(16, 16, 3), dir / "ok.png");
    Bytes bytes = test::read_bytes(dir / "ok.png");
    bytes[bytes.size() / 2] ^= 0x40;  // a bit flip inside IDAT
    test::write_bytes(dir / "flip.png", bytes);
    EXPECT_TRUE(contains(error_for(dir / "flip.png"), "CRC mismatch"));
}

TEST_F(LoadImage, HugeHeaderIsRefusedBeforeDecoding) {
    // 30000 x 30000 is within stb's own limits but 900 megapixels: beyond ours.
    test::write_bytes(dir / "huge.png", test::make_png_header_only(30000, 30000));
    const std::string msg = error_for(dir / "huge.png");
    EXPECT_TRUE(contains(msg, "30000x30000")) << msg;
    EXPECT_TRUE(contains(msg, "beyond the limit")) << msg;
    test::write_bytes(dir / "wide.png", test::make_png_header_only(kMaxImageSide + 1, 1));
    EXPECT_FALSE(error_for(dir / "wide.png").empty());
    // A GIF header claiming 65535 x 65535.
    Bytes gif = test::make_gif(1, 1, Bytes(768, 0), {Bytes(1, 0)});
    gif[6] = gif[7] = gif[8] = gif[9] = 0xFF;
    test::write_bytes(dir / "huge.gif", gif);
    EXPECT_FALSE(error_for(dir / "huge.gif").empty());
}

TEST_F(LoadImage, DecodeFromMemoryNamesTheSource) {
    const Bytes junk = {'G', 'I', 'F', '8', '9', 'a', 1};
    try {
        decode_image(junk.data(), junk.size(), "clipboard");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()).rfind("clipboard: ", 0), 0u) << e.what();
    }
}

}  // namespace
}  // namespace nt
