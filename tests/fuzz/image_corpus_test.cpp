// Regression test of the image fuzzer's findings, built with the ordinary compiler: every file of
// the seed corpus (tests/fuzz/corpus/image: valid pictures of every format made by
// make_image_seeds.py, broken ones, and inputs the fuzzer found) must either decode into a
// picture of a sane size or be refused with a one-line nt::Error naming it; no crash, no other
// exception. Under -DNT_SANITIZE=address,undefined this replays them with the sanitizers too.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "base/error.h"
#include "imageio/load_image.h"
#include "base/limits.h"

namespace nt {
namespace {

TEST(ImageCorpus, EveryFileDecodesOrThrowsOneLineNtError) {
    int files = 0, decoded = 0, findings = 0;
    for (const auto& entry : std::filesystem::directory_iterator(NT_IMAGE_CORPUS_DIR)) {
        if (!entry.is_regular_file()) continue;
        ++files;
        const std::string name = entry.path().filename().string();
        if (name.rfind("finding_", 0) == 0) ++findings;
        try {
            const Image image = load_image(entry.path());
            EXPECT_TRUE(within_image_limits(image.width, image.height)) << name;
            EXPECT_EQ(image.pixels.size(), std::size_t(image.width) * image.height * 3) << name;
            ++decoded;
        } catch (const Error& e) {
            const std::string what = e.what();
            EXPECT_EQ(what.rfind(entry.path().string() + ": ", 0), 0u) << what;
            EXPECT_EQ(what.find('\n'), std::string::npos) << what;
        } catch (const std::exception& e) {
            ADD_FAILURE() << name << ": escaped as a non-nt::Error exception: " << e.what();
        }
    }
    EXPECT_GE(files, 60);
    EXPECT_GE(decoded, 25);  // the valid seeds of every format decode, so the success paths run
    EXPECT_GE(findings, 3);  // the fuzzer's findings stay in the corpus
}

}  // namespace
}  // namespace nt
