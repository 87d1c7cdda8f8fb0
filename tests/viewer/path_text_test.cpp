// Captions that fit their panel keep the file name.
#include <gtest/gtest.h>

#include "viewer/state/path_text.h"

using namespace nt::viewer;

namespace {

float bytes_wide(const std::string& t) { return static_cast<float>(t.size()); }  // one unit per byte

}  // namespace

TEST(PathText, CaptionKeepsTheTitleWhileTheFileNameStartFits) {
    const std::string caption = "a_long_photo_name.jpg  4000 \xC3\x97 3000";
    const std::string head = "Content  \xC2\xB7  ";
    EXPECT_EQ(fit_caption("Content", caption, 200, bytes_wide), head + caption);
    // Narrower: the title stays and the caption is cut (issue 26: captions dropped "Style" and "Result").
    const std::string narrow = fit_caption("Content", caption, static_cast<float>(caption.size()), bytes_wide);
    EXPECT_EQ(narrow.rfind(head + "a_long_photo", 0), 0u) << narrow;
    EXPECT_LE(narrow.size(), caption.size());
    // Too narrow for the title and 8 bytes of the name: the file name and the size, not the title alone.
    EXPECT_EQ(fit_caption("Content", caption, static_cast<float>(head.size() + 9), bytes_wide).rfind("a_long", 0), 0u);
}

TEST(PathText, CaptionTooLongIsCutAtItsEndKeepingTheFileNameStart) {
    const std::string caption = "a_long_photo_name.jpg  4000 \xC3\x97 3000";
    const std::string fitted = fit_caption("Content", caption, 15, bytes_wide);
    EXPECT_LE(fitted.size(), 15u);
    EXPECT_EQ(fitted.rfind("a_long_photo", 0), 0u) << fitted;
    EXPECT_EQ(fitted.substr(fitted.size() - 3), "\xE2\x80\xA6");
    // A cut never splits the two bytes of the multiplication sign.
    for (float w = 3; w < 40; ++w) {
        const std::string f = fit_caption("Result", caption, w, bytes_wide);
        const std::string body =
            f.size() >= 3 && f.substr(f.size() - 3) == "\xE2\x80\xA6" ? f.substr(0, f.size() - 3) : f;
        EXPECT_FALSE(!body.empty() && static_cast<unsigned char>(body.back()) == 0xC3) << w;
    }
}

TEST(PathText, AbsolutePathExpandsHomeAndNormalizes) {
    EXPECT_EQ(absolute_path("/a/b/../c.jpg"), "/a/c.jpg");
    EXPECT_EQ(file_name("/a/b/photo.jpg"), "photo.jpg");
    EXPECT_EQ(size_text(640, 480), "640 \xC3\x97 480");
}

TEST(PathText, ALongPathShowsItsEnd) {
    const std::string path = "/home/someone/pictures/2024/holiday/photo.jpg";
    EXPECT_EQ(tail_that_fits(path, 100, bytes_wide), path);
    const std::string tail = tail_that_fits(path, 20, bytes_wide);
    EXPECT_LE(tail.size(), 20u);
    EXPECT_EQ(tail.substr(0, 3), "\xE2\x80\xA6");
    EXPECT_EQ(tail.substr(tail.size() - 9), "photo.jpg");
}
