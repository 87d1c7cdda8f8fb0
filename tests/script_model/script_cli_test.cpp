// TorchScript models end to end on the command line, with the modules the fixture script wrote
// (python3-torch): found by name in the models folder, given as a file, and a model whose output
// is not a picture failing with one line and no output file.
#include <gtest/gtest.h>

#include <filesystem>

#include "cli/cli_test_support.h"
#include "imageio/load_image.h"
#include "imageio/save_image.h"
#include "stylize/stylize.h"
#include "support/temp_dir.h"
#include "support/test_images.h"

namespace nt {
namespace {

namespace fs = std::filesystem;

class ScriptCli : public ::testing::Test {
protected:
    void SetUp() override {
        const fs::path fixture = NT_SCRIPT_FIXTURE_DIR;
        if (!fs::exists(fixture / "bgr255.pt"))
            GTEST_FAIL() << "TorchScript fixture not found in " << fixture.string()
                         << " (needs python3-torch: run tests/script_model/make_script_fixture.py)";
        fs::create_directories(dir_ / "models" / "torchscript");
        for (const char* name : {"bgr255", "tuple"})
            for (const char* ext : {".pt", ".json"})
                fs::copy_file(fixture / (std::string(name) + ext),
                              dir_ / "models" / "torchscript" / (std::string(name) + ext));
        content_ = (dir_ / "content.png").string();
        save_image(test::make_pattern(40, 32, 1), content_);
    }
    test::TempDir dir_;
    std::string content_;
};

TEST_F(ScriptCli, ABareNameFindsTheTorchScriptModel) {
    const std::string out = (dir_ / "out.png").string();
    const test::CliRun r =
        test::run_cli_captured({content_, "--model", "bgr255", "--models", (dir_ / "models").string(), "--param",
                                "strength=0.5", "--size", "original", "-d", "cpu", "-o", out});
    ASSERT_EQ(r.code, kExitOk) << r.err;
    EXPECT_NE(r.out.find("torchscript bgr255"), std::string::npos) << r.out;
    StylizeOptions o;
    o.method = "torchscript";
    o.model = (dir_ / "models" / "torchscript" / "bgr255.pt").string();  // a file path works too
    o.params["strength"] = 0.5;
    o.size = parse_size_spec("original");
    o.device = DeviceChoice::Cpu;
    EXPECT_EQ(load_image(out).pixels, stylize(load_image(content_), Image(), o).pixels);
}

// An opaque module runs on tiles that overlap and feather (its norms, if any, cannot take the
// thumbnail's statistics): for a convolution, the tiled picture is the whole one.
TEST_F(ScriptCli, ATiledRunIsTheWholeRun) {
    save_image(test::make_pattern(150, 120, 2), content_);
    const std::string whole = (dir_ / "whole.png").string(), tiled = (dir_ / "tiled.png").string();
    for (const auto& [out, extra] :
         {std::pair<std::string, std::string>{whole, "--memory=64G"}, {tiled, "--tile=32"}}) {
        const test::CliRun r =
            test::run_cli_captured({content_, "--model", "bgr255", "--models", (dir_ / "models").string(), "--size",
                                    "original", "-d", "cpu", "--precision", "fp32", extra, "-o", out});
        ASSERT_EQ(r.code, kExitOk) << r.err;
    }
    const Image a = load_image(whole), b = load_image(tiled);
    ASSERT_EQ(a.pixels.size(), b.pixels.size());
    int worst = 0;
    for (std::size_t i = 0; i < a.pixels.size(); ++i)
        worst = std::max(worst, std::abs(int(a.pixels[i]) - int(b.pixels[i])));
    EXPECT_LE(worst, 1);
}

TEST_F(ScriptCli, AModelThatReturnsNoPictureFailsWithOneLine) {
    const std::string out = (dir_ / "out.png").string();
    const test::CliRun r = test::run_cli_captured(
        {content_, "--method", "torchscript", "--model", "tuple", "--models", (dir_ / "models").string(), "-o", out});
    EXPECT_EQ(r.code, kExitFailed);
    EXPECT_NE(r.err.find("tuple"), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_FALSE(fs::exists(out));
}

}  // namespace
}  // namespace nt
