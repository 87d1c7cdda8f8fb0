// Numbered exports never overwrite and leave no temporary behind.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "imageio/load_image.h"
#include "support/temp_dir.h"
#include "support/test_images.h"
#include "viewer/io/exclusive_export.h"

using namespace nt;
using namespace nt::viewer;

TEST(ExclusiveExport, NamesHaveFourDigitsAtLeast) {
    EXPECT_EQ(numbered_name("stylized_output", 1), "stylized_output_0001.png");
    EXPECT_EQ(numbered_name("screenshot", 12345), "screenshot_12345.png");
}

TEST(ExclusiveExport, NextNumberFollowsTheHighestExisting) {
    test::TempDir dir;
    EXPECT_EQ(next_free_number(dir.path(), "stylized_output"), 1);
    test::write_text(dir / "stylized_output_0007.png", "x");
    test::write_text(dir / "stylized_output_0003.png", "x");
    test::write_text(dir / "stylized_output_abc.png", "x");
    test::write_text(dir / "screenshot_0099.png", "x");
    EXPECT_EQ(next_free_number(dir.path(), "stylized_output"), 8);
    EXPECT_EQ(next_free_number(dir.path(), "screenshot"), 100);
}

TEST(ExclusiveExport, SavesWithoutOverwritingAndWithoutLeftovers) {
    test::TempDir dir;
    const Image a = test::make_pattern(6, 4, 1), b = test::make_pattern(6, 4, 2);
    test::write_text(dir / "stylized_output_0001.png", "precious");
    const auto first = save_numbered_png(a, dir.path(), "stylized_output");
    const auto second = save_numbered_png(b, dir.path(), "stylized_output");
    EXPECT_EQ(first.filename(), "stylized_output_0002.png");
    EXPECT_EQ(second.filename(), "stylized_output_0003.png");
    EXPECT_EQ(test::read_bytes(dir / "stylized_output_0001.png"),
              test::Bytes({'p', 'r', 'e', 'c', 'i', 'o', 'u', 's'}));
    EXPECT_EQ(test::max_abs_diff(load_image(first), a), 0);
    EXPECT_EQ(test::max_abs_diff(load_image(second), b), 0);
    EXPECT_EQ(test::folder_entries(dir.path()).size(), 3u);
}

TEST(ExclusiveExport, ConcurrentSavesGetDistinctNames) {
    test::TempDir dir;
    const Image img = test::make_pattern(4, 4);
    std::vector<std::filesystem::path> paths(8);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < paths.size(); ++i)
        threads.emplace_back([&, i] { paths[i] = save_numbered_png(img, dir.path(), "screenshot"); });
    for (auto& t : threads) t.join();
    std::sort(paths.begin(), paths.end());
    EXPECT_EQ(std::unique(paths.begin(), paths.end()), paths.end());
    EXPECT_EQ(test::folder_entries(dir.path()).size(), paths.size());
}

TEST(ExclusiveExport, MissingFolderIsAnErrorNamingIt) {
    test::TempDir dir;
    try {
        save_numbered_png(test::make_pattern(2, 2), dir / "missing", "screenshot");
        FAIL();
    } catch (const std::exception& e) {
        EXPECT_NE(std::string(e.what()).find("missing"), std::string::npos);
    }
}
