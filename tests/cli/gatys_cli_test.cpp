// The command line of Gatys' neural style with a random-weight VGG-19 (tests/support/tiny_models):
// the output equals the core's, --save-every keeps every N-th iteration and the last, the losses
// are on the progress line, and a missing network is one clear line.
#include <gtest/gtest.h>

#include <ATen/ATen.h>

#include <sstream>

#include "cli/cli_test_support.h"
#include "cli/step_progress.h"
#include "imageio/load_image.h"
#include "stylize/stylize.h"
#include "support/tiny_models.h"

namespace nt {
namespace {

using test::plus;

class GatysCli : public ::testing::Test, protected test::PairFiles {
protected:
    void SetUp() override { test::write_random_vgg19(dir.path() / "models", "net", "caffe", 5); }
    std::vector<std::string> base() const {
        return {content,   style,         "-o",       output,  "--size",   "original",
                "-d",      "cpu",         "--method", "gatys", "--models", (dir / "models").string(),
                "--param", "iterations=7"};
    }
};

TEST_F(GatysCli, WritesWhatTheCoreComputesAndEveryNthIteration) {
    const test::CliRun r = test::run_cli_captured(plus(base(), {"--save-every", "3", "--model", "net"}));
    ASSERT_EQ(r.code, kExitOk) << r.err;
    StylizeOptions o;
    o.method = "gatys";
    o.model = "net";
    o.models_dir = dir / "models";
    o.size = parse_size_spec("original");
    o.device = DeviceChoice::Cpu;
    o.params = {{"iterations", 7}};
    EXPECT_EQ(load_image(output).pixels, stylize(load_image(content), load_image(style), o).pixels);
    for (int i = 1; i <= 7; ++i) {
        const bool kept = i == 3 || i == 6 || i == 7;
        char name[32];
        std::snprintf(name, sizeof name, "out_step_%03d.png", i);
        EXPECT_EQ(std::filesystem::exists(dir / name), kept) << name;  // beside the output
    }
}

TEST_F(GatysCli, MissingNetworkIsOneLine) {
    std::filesystem::remove_all(dir / "models" / "vgg19");
    const test::CliRun r = test::run_cli_captured(base());
    EXPECT_EQ(r.code, kExitFailed);
    EXPECT_NE(r.err.find("no such VGG-19 model"), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_FALSE(std::filesystem::exists(output));
    EXPECT_EQ(test::run_cli_captured(plus(base(), {"--save-every", "0"})).code, kExitUsage);
}

TEST(StepProgressValues, TheLossesAreOnTheLine) {
    StepReport r{3, 10, "L-BFGS", at::zeros({1, 3, 2, 2}), {{"loss", 1234.5}, {"content", 0.5}}};
    const std::string line = StepProgress::line(r, 2.0);
    EXPECT_NE(line.find("3/10 L-BFGS  loss 1234 content 0.5"), std::string::npos) << line;
}

}  // namespace
}  // namespace nt

namespace nt {
namespace {

TEST(GatysCliOptions, StyleLayersAndTheContentLayer) {
    const CliOptions o = test::parse_cli({"c.jpg", "s.jpg", "--method", "gatys", "--style-layers", "relu1_1,relu3_1",
                                          "--param", "content_layer=relu3_2"});
    EXPECT_EQ(o.stylize.style_layers, (std::vector<std::string>{"relu1_1", "relu3_1"}));
    EXPECT_DOUBLE_EQ(o.stylize.params.at("content_layer"), 5.0);
    auto error = [](std::vector<std::string> args) {
        const test::CliRun r = test::run_cli_captured(std::move(args));
        EXPECT_EQ(r.code, kExitUsage);
        return r.err;
    };
    EXPECT_NE(error({"c.jpg", "s.jpg", "--method", "gatys", "--style-layers", "relu6_1"}).find("not a VGG-19 layer"),
              std::string::npos);
    EXPECT_NE(error({"c.jpg", "s.jpg", "--method", "gatys", "--style-layers", "relu1_1,relu1_1"}).find("listed twice"),
              std::string::npos);
    EXPECT_NE(error({"c.jpg", "s.jpg", "--style-layers", "relu1_1"}).find("only a VGG-19 method"), std::string::npos);
}

TEST(GatysCliOptions, ListModelsShowsEachNetworksPreprocessing) {
    test::TempDir dir;
    test::write_random_vgg19(dir.path(), "tv", "torchvision", 1);
    test::write_random_vgg19(dir.path(), "norm", "normalised", 2);
    const test::CliRun r = test::run_cli_captured({"--list-models", "--models", dir.path().string()});
    EXPECT_NE(
        r.out.find("tv: 51.8 MB, safetensors, torchvision preprocessing (RGB 0..1, ImageNet mean and std), loads"),
        std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("norm: 51.8 MB, safetensors, normalised VGG"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace nt
