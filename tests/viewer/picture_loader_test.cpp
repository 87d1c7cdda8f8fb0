// Pictures decoded off the UI thread: the newest request per target wins, errors name the file.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "imageio/save_image.h"
#include "support/temp_dir.h"
#include "support/test_images.h"
#include "viewer/io/picture_loader.h"

using namespace nt;
using namespace nt::viewer;

namespace {

std::vector<PictureLoader::Loaded> wait_for_results(PictureLoader& loader) {
    std::vector<PictureLoader::Loaded> all;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
        for (auto& l : loader.take_finished()) all.push_back(std::move(l));
        if (!loader.busy()) {
            for (auto& l : loader.take_finished()) all.push_back(std::move(l));
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return all;
}

}  // namespace

TEST(PictureLoader, DecodesOnItsThreadAndTheNewestRequestPerTargetWins) {
    test::TempDir dir;
    save_image(test::make_pattern(300, 200, 1), dir / "a.png");
    save_image(test::make_pattern(40, 30, 2), dir / "b.png");
    save_image(test::make_pattern(50, 60, 3), dir / "c.png");
    int woken = 0;
    PictureLoader loader([&] { ++woken; });
    loader.request(0, (dir / "a.png").string());
    loader.request(0, (dir / "b.png").string());  // replaces a.png for target 0
    loader.request(1, (dir / "c.png").string());
    const auto results = wait_for_results(loader);
    ASSERT_EQ(results.size(), 2u);
    for (const auto& r : results) {
        ASSERT_TRUE(r.image) << r.error;
        if (r.target == 0) {
            EXPECT_EQ(r.path, (dir / "b.png").string());
            EXPECT_EQ(r.image->width, 40);
        } else {
            EXPECT_EQ(r.image->height, 60);
        }
    }
    EXPECT_GE(woken, 1);
}

TEST(PictureLoader, AFileThatCannotBeReadComesBackWithItsReason) {
    test::TempDir dir;
    test::write_bytes(dir / "broken.jpg", {'n', 'o', 't'});
    PictureLoader loader;
    loader.request(2, (dir / "broken.jpg").string());
    const auto results = wait_for_results(loader);
    ASSERT_EQ(results.size(), 1u);
    EXPECT_FALSE(results[0].image);
    EXPECT_NE(results[0].error.find("broken.jpg"), std::string::npos) << results[0].error;
}

// The panels say what they are loading: the newest request's path until its result is taken.
TEST(PictureLoader, SaysWhatEachTargetIsLoadingUntilItsResultIsTaken) {
    test::TempDir dir;
    save_image(test::make_pattern(40, 30, 1), dir / "a.png");
    save_image(test::make_pattern(40, 30, 2), dir / "b.png");
    PictureLoader loader;
    EXPECT_EQ(loader.loading(0), "");
    loader.request(0, (dir / "a.png").string());
    loader.request(0, (dir / "b.png").string());
    EXPECT_EQ(loader.loading(0), (dir / "b.png").string());
    EXPECT_EQ(loader.loading(1), "");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!loader.has_finished() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    EXPECT_TRUE(loader.has_finished());  // decoded, not taken yet: the window must draw a frame for it
    const auto results = wait_for_results(loader);
    ASSERT_EQ(results.size(), 1u);
    EXPECT_EQ(results[0].path, (dir / "b.png").string());
    EXPECT_EQ(loader.loading(0), "");
    EXPECT_FALSE(loader.has_finished());
}
