// The command line of an iterative method: patch synthesis end to end, --save-steps writing every
// estimate, parameters with named choices, the progress bar on a pipe and on a terminal.
#include <gtest/gtest.h>

#include <ATen/ATen.h>

#include <sstream>

#include "cli/cli_test_support.h"
#include "cli/step_progress.h"
#include "imageio/load_image.h"
#include "imageio/save_image.h"
#include "stylize/stylize.h"
#include "support/temp_dir.h"
#include "support/test_images.h"
#include "stylize/registry.h"

namespace nt {
namespace {

using test::CliRun;
CliRun run(std::vector<std::string> args) { return test::run_cli_captured(std::move(args)); }

using test::plus;

class SynthesisCli : public ::testing::Test, protected test::PairFiles {
protected:
    std::vector<std::string> base() const {
        return {content,           style,     "-o",       output,    "--size",   "original", "-d", "cpu", "--method",
                "patch_synthesis", "--param", "levels=2", "--param", "updates=2"};
    }
};

TEST_F(SynthesisCli, WritesWhatTheCoreComputesAndEveryStep) {
    const std::string steps = (dir / "steps").string();
    const CliRun r = run(plus(base(), {"--save-steps", steps, "--param", "color=reinhard"}));
    ASSERT_EQ(r.code, kExitOk) << r.err;
    EXPECT_NE(r.out.find("color reinhard"), std::string::npos) << r.out;
    StylizeOptions o;
    o.method = "patch_synthesis";
    o.size = parse_size_spec("original");
    o.device = DeviceChoice::Cpu;
    o.params = {{"levels", 2}, {"updates", 2}, {"color", 2}};
    const Image expected = stylize(load_image(content), load_image(style), o);
    EXPECT_EQ(load_image(output).pixels, expected.pixels);
    const int total = method_by_name("patch_synthesis").total_steps(40, 60, o.params);
    for (int i = 1; i <= total; ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "out_step_%03d.png", i);
        ASSERT_TRUE(std::filesystem::exists(dir / "steps" / name)) << name;
        const Image step = load_image((dir / "steps" / name).string());
        EXPECT_EQ(step.width, 60);  // coarse steps are scaled to the working size
        EXPECT_EQ(step.height, 40);
        if (i == total) {
            EXPECT_EQ(step.pixels, expected.pixels);  // the last step is the result
        }
    }
    EXPECT_FALSE(std::filesystem::exists(dir / "steps" / ("out_step_" + std::to_string(total + 1) + ".png")));
}

TEST_F(SynthesisCli, MistakesAreUsageErrors) {
    CliRun r = run({content, style, "--method", "blend", "--save-steps", (dir / "s").string()});
    EXPECT_EQ(r.code, kExitUsage);
    EXPECT_NE(r.err.find("--save-steps: method blend has no intermediate steps"), std::string::npos) << r.err;
    r = run(plus(base(), {"--param", "color=sepia"}));
    EXPECT_EQ(r.code, kExitUsage);
    EXPECT_NE(r.err.find("expected one of none histogram reinhard monge_kantorovich"), std::string::npos) << r.err;
    r = run(plus(base(), {"--param", "levels=1.5"}));
    EXPECT_EQ(r.code, kExitUsage);
    EXPECT_NE(r.err.find("whole number"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(output));
}

TEST_F(SynthesisCli, ListMethodsSaysItIsIterativeAndNamesTheChoices) {
    const CliRun r = run({"--list-methods"});
    EXPECT_NE(r.out.find("patch_synthesis  (iterative"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("none|histogram|reinhard|monge_kantorovich, default reinhard"), std::string::npos) << r.out;
}

StepReport report(int step, int total) {
    return {step, total, "level 1/1 \xC2\xB7 patch 9 \xC2\xB7 update 1/1", at::zeros({1, 3, 4, 4})};
}

TEST(StepProgress, APipeGetsALinePerTenthAndTheLast) {
    std::ostringstream err;
    StepProgress progress(err, false, false, {}, "out", 4, 4, 1, 0.0);
    for (int i = 1; i <= 24; ++i) progress(report(i, 24));
    const std::string text = err.str();
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 11);  // deciles 0..10
    EXPECT_EQ(text.find('\r'), std::string::npos);
    EXPECT_NE(text.find("[####################] 24/24 level 1/1"), std::string::npos) << text;
    EXPECT_NE(text.find("s left"), std::string::npos) << text;
}

TEST(StepProgress, ATerminalGetsOneLineRedrawnAndQuietGetsNothing) {
    std::ostringstream err;
    StepProgress progress(err, true, false, {}, "out", 4, 4, 1, 0.0);
    for (int i = 1; i <= 5; ++i) progress(report(i, 5));
    const std::string text = err.str();
    EXPECT_EQ(std::count(text.begin(), text.end(), '\r'), 5);
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1);
    EXPECT_EQ(text.back(), '\n');
    std::ostringstream quiet;
    StepProgress silent(quiet, true, true, {}, "out", 4, 4, 1, 0.0);
    silent(report(1, 1));
    EXPECT_TRUE(quiet.str().empty());
    // A run shorter than the threshold draws nothing.
    std::ostringstream fast;
    StepProgress quick(fast, false, false, {}, "out", 4, 4, 1, 60.0);
    quick(report(1, 2));
    EXPECT_TRUE(fast.str().empty());
}

}  // namespace
}  // namespace nt
