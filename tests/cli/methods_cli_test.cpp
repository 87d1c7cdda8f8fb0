// The command line of the colour methods, colour preservation and masks: parsing, end-to-end runs,
// and an unreadable mask failing with one line that names it.
#include <gtest/gtest.h>

#include <sstream>

#include "cli/cli_test_support.h"
#include "base/error.h"
#include "imageio/load_image.h"
#include "imageio/save_image.h"
#include "support/temp_dir.h"
#include "support/test_images.h"

namespace nt {
namespace {

using test::CliRun;
CliRun run(std::vector<std::string> args) { return test::run_cli_captured(std::move(args)); }
CliOptions parse(std::vector<std::string> args) { return test::parse_cli(std::move(args)); }

// White on the left half, black on the right.
Image left_half_mask(int w, int h) {
    Image img(w, h);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w / 2; ++x) img.at(x, y)[0] = img.at(x, y)[1] = img.at(x, y)[2] = 255;
    return img;
}

using test::plus;

class MethodsCli : public ::testing::Test, protected test::PairFiles {
protected:
    std::vector<std::string> base() const { return {content, style, "-o", output, "--size", "original", "-d", "cpu"}; }
};

TEST_F(MethodsCli, ListMethodsShowsTheColourMethods) {
    const CliRun r = run({"--list-methods"});
    ASSERT_EQ(r.code, kExitOk);
    for (const char* name : {"reinhard", "monge_kantorovich", "histogram", "--param strength=V"})
        EXPECT_NE(r.out.find(name), std::string::npos) << name << " missing from:\n" << r.out;
}

TEST_F(MethodsCli, EveryColourMethodWritesAResult) {
    const Image original = load_image(content);
    for (const char* method : {"reinhard", "monge_kantorovich", "histogram"}) {
        const CliRun r = run(plus(base(), {"--method", method, "--param", "strength=0.8"}));
        ASSERT_EQ(r.code, kExitOk) << method << ": " << r.err;
        EXPECT_NE(r.out.find(method), std::string::npos) << r.out;
        const Image result = load_image(output);
        EXPECT_EQ(result.width, 60);
        EXPECT_GT(test::mean_abs_diff(result, original), 1.0) << method << " changed nothing";
    }
}

TEST_F(MethodsCli, StrengthIsCheckedAgainstTheMethod) {
    EXPECT_EQ(run(plus(base(), {"--method", "histogram", "--param", "strength=1.5"})).code, kExitUsage);
    EXPECT_EQ(run(plus(base(), {"--method", "reinhard", "--alpha", "0.5"})).code, kExitUsage);
}

TEST_F(MethodsCli, PreserveColorsParsesAndRuns) {
    EXPECT_FALSE(parse({"c", "s"}).stylize.preserve_colors);
    EXPECT_TRUE(parse({"--preserve-colors", "c", "s"}).stylize.preserve_colors);
    const CliRun r = run(plus(base(), {"--preserve-colors", "--alpha", "0.7"}));
    ASSERT_EQ(r.code, kExitOk) << r.err;
    EXPECT_NE(r.out.find("content colours"), std::string::npos) << r.out;
}

TEST_F(MethodsCli, MaskLimitsTheStyleToItsWhitePart) {
    const std::string mask = (dir / "mask.png").string();
    save_image(left_half_mask(60, 40), mask);
    const CliRun r = run(plus(base(), {"--mask", mask, "--alpha", "1"}));
    ASSERT_EQ(r.code, kExitOk) << r.err;
    const Image result = load_image(output), original = load_image(content), styled = load_image(style);
    for (int y = 0; y < 40; ++y)
        for (int x = 30; x < 60; ++x) ASSERT_EQ(result.at(x, y)[2], original.at(x, y)[2]) << x << "," << y;
    EXPECT_GT(test::mean_abs_diff(result, original), 1.0);
}

TEST_F(MethodsCli, MaskOfAnotherSizeIsStretchedAndFeathered) {
    const std::string mask = (dir / "small_mask.jpg").string();
    save_image(left_half_mask(20, 10), mask);
    const CliRun r = run(plus(base(), {"--mask", mask, "--feather", "2.5", "--method", "monge_kantorovich"}));
    ASSERT_EQ(r.code, kExitOk) << r.err;
    EXPECT_NE(r.out.find("masked (feather 2.5 px)"), std::string::npos) << r.out;
    EXPECT_EQ(load_image(output).width, 60);
}

TEST_F(MethodsCli, UnreadableMaskIsAnErrorNamingIt) {
    const std::string garbage = (dir / "garbage_mask.png").string();
    test::write_text(garbage, "not a picture");
    for (const std::string& mask : {(dir / "missing_mask.png").string(), garbage}) {
        const CliRun r = run(plus(base(), {"--mask", mask}));
        EXPECT_EQ(r.code, kExitFailed);
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
        EXPECT_NE(r.err.find(mask), std::string::npos) << r.err;
        EXPECT_NE(r.err.find("mask"), std::string::npos) << r.err;
        EXPECT_FALSE(std::filesystem::exists(output));
    }
    // In a batch too: nothing is written.
    const std::string folder = (dir / "batch_out").string();
    const CliRun r = run({content, dir.path().string(), "-o", folder, "--mask", (dir / "missing_mask.png").string()});
    EXPECT_EQ(r.code, kExitFailed);
    EXPECT_NE(r.err.find("missing_mask.png"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(folder));
}

TEST_F(MethodsCli, FeatherNeedsAMaskAndAValidRadius) {
    EXPECT_DOUBLE_EQ(parse({"--mask", "m.png", "--feather", "4", "c", "s"}).stylize.feather_px, 4.0);
    EXPECT_EQ(*parse({"--mask=m.png", "c", "s"}).mask, "m.png");
    EXPECT_EQ(run(plus(base(), {"--feather", "3"})).code, kExitUsage);
    for (const char* bad : {"-1", "nan", "501", "wide"})
        EXPECT_EQ(run(plus(base(), {"--mask", content, "--feather", bad})).code, kExitUsage) << bad;
    EXPECT_EQ(run(plus(base(), {"--mask", ""})).code, kExitUsage);
}

}  // namespace
}  // namespace nt
