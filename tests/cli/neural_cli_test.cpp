// The neural methods on the command line: models picked by name from --models, style mixes,
// batches named after the model, and every mistake a usage error or one line naming the file.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "cli/cli_test_support.h"
#include "base/error.h"
#include "imageio/load_image.h"
#include "imageio/save_image.h"
#include "nets/neural_stylizer.h"
#include "stylize/stylize.h"
#include "support/temp_dir.h"
#include "support/test_images.h"
#include "support/tiny_models.h"

namespace nt {
namespace {

namespace fs = std::filesystem;
using test::CliRun;
CliRun run(std::vector<std::string> args) { return test::run_cli_captured(std::move(args)); }
CliOptions parse(std::vector<std::string> args) { return test::parse_cli(std::move(args)); }

class NeuralCli : public ::testing::Test {
protected:
    test::TempDir dir;
    std::string models, content, style, extra_style, output;
    void SetUp() override {
        models = (dir / "models").string();
        test::write_random_fast_style(models, "candy", 1);
        test::write_random_adain(models, 2);
        content = (dir / "content.png").string();
        style = (dir / "style.png").string();
        extra_style = (dir / "extra_style.png").string();
        output = (dir / "out.png").string();
        save_image(test::make_pattern(48, 40, 1), content);
        save_image(test::make_pattern(32, 32, 2), style);
        save_image(test::make_pattern(20, 36, 3), extra_style);
    }
    StylizeOptions options(const std::string& method) const {
        StylizeOptions o;
        o.method = method;
        o.models_dir = models;
        o.size = parse_size_spec("original");
        o.device = DeviceChoice::Cpu;
        return o;
    }
};

TEST_F(NeuralCli, ParsesModelOptions) {
    CliOptions o = parse({"c.jpg", "--model", "candy", "--models", "m"});
    EXPECT_EQ(o.stylize.method, "fast_style");  // --model alone picks the method
    EXPECT_EQ(o.stylize.model, "candy");
    EXPECT_EQ(o.stylize.models_dir, std::filesystem::path("m"));
    EXPECT_TRUE(o.style.empty());
    EXPECT_EQ(parse({"c.jpg", "--model", "net.pt"}).stylize.method, "torchscript");
    o = parse({"c.jpg", "s.jpg", "--method", "adain", "--extra-style", "t.jpg", "--style-weights", "0.25,0.75",
               "--param", "alpha=0.5"});
    EXPECT_EQ(o.extra_styles, std::vector<std::string>{"t.jpg"});
    EXPECT_EQ(o.stylize.style_weights, (std::vector<double>{0.25, 0.75}));
    EXPECT_DOUBLE_EQ(o.stylize.params.at("alpha"), 0.5);
}

TEST_F(NeuralCli, ModelMistakesAreUsageErrors) {
    auto usage = [](std::vector<std::string> args, const std::string& expected) {
        const CliRun r = run(std::move(args));
        EXPECT_EQ(r.code, kExitUsage) << r.err;
        EXPECT_NE(r.err.find(expected), std::string::npos) << r.err;
    };
    usage({"c.jpg", "--method", "fast_style"}, "needs --model NAME");
    usage({"c.jpg", "s.jpg", "--model", "candy", "--method", "blend"}, "method blend takes no model");
    usage({"c.jpg", "s.jpg", "--model", "candy"}, "expected only CONTENT");
    usage({"c.jpg", "s.jpg", "--extra-style", "t.jpg"},
          "method blend takes one style picture (methods that mix several: adain, gatys)");
    usage({"c.jpg", "s.jpg", "--method", "adain", "--style-weights", "1,2"}, "expected 1 weights");
    usage({"c.jpg", "s.jpg", "--method", "adain", "--style-weights", "-1"}, "weights must be numbers >= 0");
    usage({"c.jpg", "s.jpg", "--method", "adain", "--style-weights", "0"}, "at least one weight");
    usage({"c.jpg", "--model", "candy", "--param", "alpha=0.5"}, "has no parameter named alpha");
}

TEST_F(NeuralCli, FastStyleWritesWhatTheCoreComputes) {
    const CliRun r = run({content, "--model", "candy", "--models", models, "-o", output, "--size", "original",
                          "--param", "strength=0.8", "-d", "cpu"});
    ASSERT_EQ(r.code, kExitOk) << r.err;
    EXPECT_NE(r.out.find("fast_style candy"), std::string::npos) << r.out;
    StylizeOptions o = options("fast_style");
    o.model = "candy";
    o.params["strength"] = 0.8;
    EXPECT_EQ(load_image(output).pixels, stylize(load_image(content), Image(), o).pixels);
}

// The summary names the number format; each precision writes what the core computes in it.
TEST_F(NeuralCli, PrecisionIsChosenAndReported) {
    const bool bf16 = cpu_bf16_support().any();
    CliRun r = run({content, "--model", "candy", "--models", models, "-o", output, "--size", "original", "-d", "cpu"});
    ASSERT_EQ(r.code, kExitOk) << r.err;
    EXPECT_NE(r.out.find(bf16 ? ", cpu bf16" : ", cpu fp32"), std::string::npos) << r.out;  // auto
    StylizeOptions o = options("fast_style");
    o.model = "candy";
    EXPECT_EQ(load_image(output).pixels, stylize(load_image(content), Image(), o).pixels);
    r = run({content, "--model", "candy", "--models", models, "-o", output, "--size", "original", "-d", "cpu",
             "--precision", "fp32"});
    ASSERT_EQ(r.code, kExitOk) << r.err;
    EXPECT_NE(r.out.find(", cpu fp32"), std::string::npos) << r.out;
    o.precision = Precision::Fp32;
    EXPECT_EQ(load_image(output).pixels, stylize(load_image(content), Image(), o).pixels);
    // bf16 runs only where the CPU has it: elsewhere one line, and nothing written.
    std::filesystem::remove(output);
    r = run({content, "--model", "candy", "--models", models, "-o", output, "--size", "original", "-d", "cpu",
             "--precision", "bf16"});
    if (bf16) {
        EXPECT_EQ(r.code, kExitOk) << r.err;
        EXPECT_NE(r.out.find(", cpu bf16"), std::string::npos) << r.out;
    } else {
        EXPECT_NE(r.code, kExitOk);
        EXPECT_NE(r.err.find("no native bfloat16"), std::string::npos) << r.err;
        EXPECT_FALSE(std::filesystem::exists(output));
    }
}

TEST_F(NeuralCli, AdainMixesStylesWithWeights) {
    const CliRun r = run({content, style, "--method", "adain", "--models", models, "-o", output, "--size", "original",
                          "--extra-style", extra_style, "--style-weights", "1,3", "-d", "cpu"});
    ASSERT_EQ(r.code, kExitOk) << r.err;
    StylizeOptions o = options("adain");
    o.extra_styles = {load_image(extra_style)};
    o.style_weights = {1, 3};
    EXPECT_EQ(load_image(output).pixels, stylize(load_image(content), load_image(style), o).pixels);
}

TEST_F(NeuralCli, BatchOfContentsIsNamedAfterTheModel) {
    const auto in = dir / "in";
    std::filesystem::create_directories(in);
    save_image(test::make_pattern(24, 24, 4), in / "a.png");
    save_image(test::make_pattern(24, 24, 5), in / "b.png");
    std::ofstream(in / "broken.png") << "not a picture";
    const auto out = dir / "batch";
    const CliRun r = run({in.string(), "--model", "candy", "--models", models, "-o", out.string(), "--format", "png",
                          "--size", "32", "-d", "cpu"});
    EXPECT_EQ(r.code, kExitFailed) << r.err;  // the broken file, reported and skipped
    EXPECT_NE(r.err.find("broken.png"), std::string::npos) << r.err;
    EXPECT_TRUE(std::filesystem::exists(out / "a__candy.png"));
    EXPECT_TRUE(std::filesystem::exists(out / "b__candy.png"));
}

TEST_F(NeuralCli, MissingOrBrokenModelsFailOnceBeforeAnyOutput) {
    CliRun r = run({content, "--model", "udnie", "--models", models, "-o", output});
    EXPECT_EQ(r.code, kExitFailed);
    EXPECT_NE(r.err.find("no such fast style model"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("has: candy"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(output));

    std::ofstream(std::filesystem::path(models) / "fast_style" / "broken.safetensors") << "garbage";
    r = run({content, "--model", "broken", "--models", models, "-o", output});
    EXPECT_EQ(r.code, kExitFailed);
    EXPECT_NE(r.err.find("broken.safetensors"), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_FALSE(std::filesystem::exists(output));

    r = run({content, style, "--method", "adain", "--models", (dir / "empty").string(), "-o", output});
    EXPECT_EQ(r.code, kExitFailed);
    EXPECT_NE(r.err.find("no AdaIN model"), std::string::npos) << r.err;
}

TEST_F(NeuralCli, ListModels) {
    const CliRun r = run({"--list-models", "--models", models});
    ASSERT_EQ(r.code, kExitOk) << r.err;
    EXPECT_NE(r.out.find("candy"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("encoder and decoder present"), std::string::npos) << r.out;
}

// Two segmentation models and no --segmentation-model: the CLI refuses with one line listing
// them (a usage error, nothing written) instead of picking one silently (issue 26, item 9c).
TEST_F(NeuralCli, TwoSegmentationModelsNeedAChoice) {
    test::write_tiny_segmentation(models, "people", {"person", "background", "other"});
    test::write_tiny_segmentation(models, "sky", {"other", "sky", "water"});
    const std::vector<std::string> base = {content,    style,  "-o", output, "--method",       "reinhard",
                                           "--models", models, "-d", "cpu",  "--mask-classes", "other"};
    const CliRun refused = run(base);
    EXPECT_EQ(refused.code, kExitUsage) << refused.err;
    EXPECT_NE(refused.err.find("2 segmentation models"), std::string::npos) << refused.err;
    EXPECT_NE(refused.err.find("(people, sky)"), std::string::npos) << refused.err;
    EXPECT_NE(refused.err.find("--segmentation-model NAME"), std::string::npos) << refused.err;
    EXPECT_EQ(std::count(refused.err.begin(), refused.err.end(), '\n'), 1) << refused.err;
    EXPECT_FALSE(fs::exists(output));
    // Naming one runs it; the two models give different masks for the same class name.
    const CliRun people = run(test::plus(base, {"--segmentation-model", "people"}));
    ASSERT_EQ(people.code, kExitOk) << people.err;
    const Image with_people = load_image(output);
    ASSERT_EQ(run(test::plus(base, {"--segmentation-model", "sky"})).code, kExitOk);
    EXPECT_NE(load_image(output).pixels, with_people.pixels);
    // With one model in the folder, it is the one.
    fs::remove(fs::path(models) / "segmentation" / "sky.pt");
    fs::remove(fs::path(models) / "segmentation" / "sky.json");
    ASSERT_EQ(run(base).code, kExitOk);
    EXPECT_EQ(load_image(output).pixels, with_people.pixels);
}

}  // namespace
}  // namespace nt
