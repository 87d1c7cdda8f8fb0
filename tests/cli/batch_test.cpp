#include <gtest/gtest.h>

#include "cli/batch.h"
#include "base/error.h"
#include "support/temp_dir.h"
#include "support/test_images.h"

namespace nt {
namespace {

namespace fs = std::filesystem;

TEST(Batch, ListsOnlyImageFilesSorted) {
    test::TempDir dir;
    for (const char* name : {"b.PNG", "a.jpg", "c.gif", "notes.txt", "d.jpeg", "e.bmp", "f.tga"})
        test::write_text(dir / name, "x");
    fs::create_directory(dir / "sub.jpg");
    std::vector<std::string> names;
    for (const auto& p : list_image_files(dir.path())) names.push_back(p.filename().string());
    EXPECT_EQ(names, (std::vector<std::string>{"a.jpg", "b.PNG", "c.gif", "d.jpeg", "e.bmp", "f.tga"}));
}

TEST(Batch, EmptyOrMissingFolderIsAnError) {
    test::TempDir dir;
    EXPECT_THROW(list_image_files(dir.path()), Error);
    EXPECT_THROW(list_image_files(dir / "missing"), Error);
}

TEST(Batch, StemsAreDisambiguatedOnlyWhenTheyCollide) {
    EXPECT_EQ(output_stems({"x/a.jpg", "x/a.png", "x/b.jpg"}), (std::vector<std::string>{"a_jpg", "a_png", "b"}));
}

TEST(Batch, PlansEveryPairWithPredictableNames) {
    test::TempDir dir;
    fs::create_directory(dir / "c");
    for (const char* name : {"one.jpg", "two.png"}) test::write_text(dir / "c" / name, "x");
    const auto jobs = plan_batch(dir / "c", dir / "style.jpg", dir / "out", ImageFormat::Png);
    ASSERT_EQ(jobs.size(), 2u);
    EXPECT_EQ(jobs[0].output, dir / "out" / "one__style.png");
    EXPECT_EQ(jobs[1].output, dir / "out" / "two__style.png");
    EXPECT_EQ(jobs[1].content, dir / "c" / "two.png");
    EXPECT_EQ(jobs[1].style, dir / "style.jpg");
}

}  // namespace
}  // namespace nt
