// Masks from segmentation models (image/segmentation_mask.h, ScriptModel::probabilities) against
// PyTorch on random-weight exports (make_segmentation_fixture.py: torchvision's LR-ASPP through
// tools/export_segmentation.py, and a module returning bare logits at another size): the class
// probabilities, the masks from classes, the command line's --mask-classes, and the sidecars and
// outputs that are refused.
#include <gtest/gtest.h>

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include <fstream>

#include "cli/cli_test_support.h"
#include "base/error.h"
#include "imageio/load_image.h"
#include "nets/neural_stylizer.h"
#include "nets/script_model.h"
#include "image/segmentation_mask.h"
#include "stylize/stylize.h"
#include "image/tensor_convert.h"
#include "nets/safetensors.h"

namespace nt {
namespace {

namespace fs = std::filesystem;

fs::path fixture() { return NT_SEGMENTATION_FIXTURE_DIR; }
fs::path models() { return fixture() / "models"; }

at::Tensor fixture_case(const std::string& name) {
    static const SafetensorsFile file = [] {
        c10::InferenceMode normal(false);
        return read_safetensors(fixture() / "cases.safetensors");
    }();
    return file.tensors.at(name);
}

double max_rel(const at::Tensor& a, const at::Tensor& b) {
    return (a.to(at::kDouble) - b.to(at::kDouble)).abs().max().item<double>() /
           std::max(1e-12, b.abs().max().item<double>());
}

class Segmentation : public ::testing::Test {
protected:
    void SetUp() override {
        if (!fs::exists(fixture() / "cases.safetensors"))
            GTEST_FAIL() << "no fixture in " << fixture().string()
                         << ": needs python3-torch and python3-torchvision (make_segmentation_fixture.py)";
    }
};

TEST_F(Segmentation, ProbabilitiesEqualPyTorch) {
    NeuralStylizer neural(scan_models(models()));
    at::InferenceMode inference;
    const at::Tensor content = fixture_case("content");
    const at::Tensor voc = neural.segment("voc", content);
    ASSERT_EQ(voc.sizes(), fixture_case("voc.probabilities").sizes());
    EXPECT_LE(max_rel(voc, fixture_case("voc.probabilities")), 1e-4);
    EXPECT_LT((voc.sum(1) - 1.0).abs().max().item<double>(), 1e-5);  // a distribution per pixel
    // Logits at half the size, not a dict: resized, then the softmax.
    const at::Tensor tiny = neural.segment("tiny", content);
    EXPECT_LE(max_rel(tiny, fixture_case("tiny.probabilities")), 1e-5);
    EXPECT_EQ(neural.segmentation_classes("voc").at(15), "person");
    // Kept per picture and model: the same tensor, or another with the same values.
    EXPECT_TRUE(neural.segment("tiny", content).is_same(tiny));
    EXPECT_TRUE(neural.segment("tiny", content.clone()).is_same(tiny));
    EXPECT_FALSE(neural.segment("tiny", content.flip({3})).is_same(tiny));
}

TEST_F(Segmentation, MasksFromClassesEqualTheReference) {
    NeuralStylizer neural(scan_models(models()));
    at::InferenceMode inference;
    const at::Tensor probs = neural.segment("voc", fixture_case("content"));
    const std::vector<std::string>& classes = neural.segmentation_classes("voc");
    EXPECT_LE(
        max_rel(class_mask(probs, class_indices(classes, {"person", "dog"})), fixture_case("voc.mask.person_dog")),
        1e-4);
    EXPECT_LE(max_rel(class_mask(probs, class_indices(classes, {"15"}), true), fixture_case("voc.mask.not_person")),
              1e-4);
    EXPECT_THROW(class_indices(classes, {"unicorn"}), Error);
    EXPECT_THROW(class_indices(classes, {"21"}), Error);
    const std::vector<double> shares = class_shares(probs);
    ASSERT_EQ(shares.size(), 21u);
    double total = 0;
    for (double s : shares) total += s;
    EXPECT_NEAR(total, 1.0, 1e-5);
}

TEST_F(Segmentation, TheCommandLineMasksByClass) {
    test::PairFiles files;
    const test::CliRun r =
        test::run_cli_captured({files.content, files.style, "-o", files.output, "--size", "original", "-d", "cpu",
                                "--method", "reinhard", "--models", models().string(), "--segmentation-model", "voc",
                                "--mask-classes", "person,dog", "--mask-invert", "--feather", "2"});
    ASSERT_EQ(r.code, kExitOk) << r.err;
    StylizeOptions o;
    o.method = "reinhard";
    o.size = parse_size_spec("original");
    o.device = DeviceChoice::Cpu;
    o.models_dir = models();
    o.segmentation_model = "voc";
    o.mask_classes = {"person", "dog"};
    o.mask_invert = true;
    o.feather_px = 2;
    EXPECT_EQ(load_image(files.output).pixels, stylize(load_image(files.content), load_image(files.style), o).pixels);
    // A wrong class name or a missing model fails before anything is written.
    const test::CliRun bad =
        test::run_cli_captured({files.content, files.style, "-o", files.output + ".png", "--models", models().string(),
                                "--segmentation-model", "voc", "--mask-classes", "unicorn"});
    EXPECT_EQ(bad.code, kExitFailed);
    EXPECT_NE(bad.err.find("no such class"), std::string::npos) << bad.err;
    EXPECT_FALSE(fs::exists(files.output + ".png"));
    const test::CliRun none = test::run_cli_captured(
        {files.content, files.style, "--models", files.dir.path().string(), "--mask-classes", "person"});
    EXPECT_EQ(none.code, kExitFailed);
    EXPECT_NE(none.err.find("no such segmentation model"), std::string::npos) << none.err;
    EXPECT_EQ(test::run_cli_captured({files.content, files.style, "--mask-invert"}).code, kExitUsage);
}

TEST_F(Segmentation, SidecarsAndOutputsThatDoNotFitAreRefused) {
    test::TempDir dir;
    fs::create_directories(dir / "segmentation");
    auto with_sidecar = [&](const std::string& name, const std::string& json) {
        fs::copy_file(models() / "segmentation" / "tiny.pt", dir / "segmentation" / (name + ".pt"));
        std::ofstream(dir / "segmentation" / (name + ".json")) << json;
    };
    with_sidecar("noclasses", R"({"input_range": [0, 1]})");
    with_sidecar("four", R"({"input_range": [0, 1], "classes": ["a", "b", "c", "d"]})");
    with_sidecar("twice", R"({"input_range": [0, 1], "classes": ["a", "a", "c"]})");
    NeuralStylizer neural(scan_models(dir.path()));
    at::InferenceMode inference;
    const at::Tensor content = fixture_case("content");
    auto message = [&](const std::string& model) {
        try {
            neural.segment(model, content);
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    EXPECT_NE(message("noclasses").find("must name its \"classes\""), std::string::npos);
    EXPECT_NE(message("four").find("not float logits [1, 4 (the sidecar's classes), H, W]"), std::string::npos)
        << message("four");
    EXPECT_NE(message("twice").find("\"classes\" names \"a\" twice"), std::string::npos) << message("twice");
    // --list-models names each with its size and format, and why it does not load.
    const std::string listing = describe_models(scan_models(dir.path()));
    EXPECT_NE(listing.find("noclasses: 0.0 MB, TorchScript, will not load: "), std::string::npos) << listing;
    EXPECT_NE(listing.find("names no \"classes\""), std::string::npos) << listing;
    EXPECT_NE(describe_models(scan_models(models())).find("voc: 13.3 MB, TorchScript, 21 classes, loads"),
              std::string::npos)
        << describe_models(scan_models(models()));
    // A segmentation model is not an image model, and an image model not a segmentation one.
    ScriptModel tiny(models() / "segmentation" / "tiny.pt");
    EXPECT_THROW(tiny.run(content), Error);
}

}  // namespace
}  // namespace nt
