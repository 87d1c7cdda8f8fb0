// ScriptModel: the JSON sidecar parser (no fixture needed), loading failures that must become
// nt::Error (no fixture needed), and, with the TorchScript files that make_script_fixture.py
// writes, results compared with what PyTorch computes for the same input.
#include "nets/script_model.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <torch/cuda.h>
#include <torch/torch.h>

#include "base/error.h"
#include "nets/safetensors.h"
#include "support/temp_dir.h"

namespace fs = std::filesystem;

namespace {

const std::string kName = "models/torchscript/test.json";

void write_text(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

std::vector<char> read_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::vector<char>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void write_bytes(const fs::path& path, const std::vector<char>& bytes, std::size_t count) {
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(count));
}

// Runs `f`, expects an nt::Error whose message is one line, starts with "<subject>: " and
// contains `fragment`; returns the message.
std::string expect_error(const std::function<void()>& f, const std::string& subject, const std::string& fragment) {
    try {
        f();
    } catch (const nt::Error& e) {
        const std::string message = e.what();
        EXPECT_EQ(message.rfind(subject + ": ", 0), 0u) << message;
        EXPECT_EQ(message.find('\n'), std::string::npos) << message;
        EXPECT_NE(message.find(fragment), std::string::npos) << "expected \"" << fragment << "\" in: " << message;
        return message;
    } catch (const std::exception& e) {
        ADD_FAILURE() << "expected nt::Error, got another exception: " << e.what();
        return {};
    }
    ADD_FAILURE() << "expected nt::Error containing \"" << fragment << "\", nothing was thrown";
    return {};
}

void expect_sidecar_error(const std::string& json, const std::string& fragment) {
    SCOPED_TRACE(json);
    expect_error([&] { nt::parse_script_sidecar(json, kName); }, kName, fragment);
}

// ---------------------------------------------------------------------------------------------
// Sidecar parsing

TEST(ScriptSidecar, ParsesTheDocumentedExample) {
    const nt::ScriptSidecar s = nt::parse_script_sidecar(R"json({
        "input_range": [0, 255],
        "mean": [0.485, 0.456, 0.406],
        "std":  [0.229, 0.224, 0.225],
        "output_range": [0, 255],
        "channels": "bgr",
        "name": "Candy (my training)"
    })json",
                                                         kName);
    EXPECT_EQ(s.input_range[0], 0.0);
    EXPECT_EQ(s.input_range[1], 255.0);
    EXPECT_EQ(s.output_range[0], 0.0);
    EXPECT_EQ(s.output_range[1], 255.0);
    EXPECT_TRUE(s.has_normalisation);
    EXPECT_DOUBLE_EQ(s.mean[0], 0.485);
    EXPECT_DOUBLE_EQ(s.mean[2], 0.406);
    EXPECT_DOUBLE_EQ(s.std[1], 0.224);
    EXPECT_TRUE(s.bgr);
    EXPECT_EQ(s.label, "Candy (my training)");
}

TEST(ScriptSidecar, MinimalSidecarUsesTheDefaults) {
    const nt::ScriptSidecar s = nt::parse_script_sidecar(R"({"input_range": [-1, 1]})", kName);
    EXPECT_EQ(s.input_range[0], -1.0);
    EXPECT_EQ(s.input_range[1], 1.0);
    EXPECT_EQ(s.output_range, s.input_range);  // defaults to input_range
    EXPECT_FALSE(s.has_normalisation);
    EXPECT_FALSE(s.bgr);  // "rgb" by default
    EXPECT_TRUE(s.label.empty());
}

TEST(ScriptSidecar, AcceptsFractionalRangesAndRgb) {
    const nt::ScriptSidecar s = nt::parse_script_sidecar(
        R"({"input_range": [0.0, 1.0], "output_range": [-0.5, 2.5], "channels": "rgb"})", kName);
    EXPECT_EQ(s.output_range[0], -0.5);
    EXPECT_EQ(s.output_range[1], 2.5);
    EXPECT_FALSE(s.bgr);
}

TEST(ScriptSidecar, RejectsInvalidJson) {
    expect_sidecar_error("", "not valid JSON");
    expect_sidecar_error("{\"input_range\": [0, 1]", "not valid JSON");
    expect_sidecar_error("{\"input_range\": [0, 1],}", "not valid JSON");
    expect_sidecar_error("{'input_range': [0, 1]}", "not valid JSON");
    expect_sidecar_error("{\"input_range\": [0, 1]} trailing", "not valid JSON");
    expect_sidecar_error("{\"input_range\": [NaN, 1]}", "not valid JSON");
    // nlohmann quotes what it last read: the invalid bytes must not reach the message.
    const std::string message =
        expect_error([] { nt::parse_script_sidecar("{\"name\": \"\xff\xfe\", \"input_range\": [0, 1]}", kName); },
                     kName, "not valid JSON");
    EXPECT_EQ(message.find('\xff'), std::string::npos) << message;
}

TEST(ScriptSidecar, RejectsWhatIsNotAnObject) {
    expect_sidecar_error("[0, 1]", "must be a JSON object");
    expect_sidecar_error("\"rgb\"", "must be a JSON object");
    expect_sidecar_error("null", "must be a JSON object");
}

TEST(ScriptSidecar, RejectsUnknownKeys) {
    expect_sidecar_error(R"({"input_range": [0, 1], "chanels": "bgr"})", "unknown key \"chanels\"");
    expect_sidecar_error(R"({"input_range": [0, 1], "Mean": [0, 0, 0]})", "unknown key \"Mean\"");
}

TEST(ScriptSidecar, RejectsDuplicateKeys) {
    expect_sidecar_error(R"({"input_range": [0, 1], "input_range": [0, 255]})", "duplicate key \"input_range\"");
}

TEST(ScriptSidecar, RejectsDeepNesting) {
    expect_sidecar_error(R"({"input_range": [[[[[0]]]], 1]})", "nested too deeply");
    expect_sidecar_error(std::string(100000, '['), "nested too deeply");
}

TEST(ScriptSidecar, RequiresInputRange) {
    expect_sidecar_error("{}", "missing \"input_range\"");
    expect_sidecar_error(R"({"output_range": [0, 1], "channels": "rgb"})", "missing \"input_range\"");
}

TEST(ScriptSidecar, RejectsMalformedRanges) {
    expect_sidecar_error(R"({"input_range": "0..255"})", "\"input_range\" must be an array of 2 numbers");
    expect_sidecar_error(R"({"input_range": [0, 1, 2]})", "\"input_range\" must be an array of 2 numbers");
    expect_sidecar_error(R"({"input_range": [255]})", "\"input_range\" must be an array of 2 numbers");
    expect_sidecar_error(R"({"input_range": {"lo": 0, "hi": 1}})", "\"input_range\" must be an array of 2 numbers");
    expect_sidecar_error(R"({"input_range": [0, "255"]})", "\"input_range\" element 1 is not a number");
    expect_sidecar_error(R"({"input_range": [false, true]})", "\"input_range\" element 0 is not a number");
    expect_sidecar_error(R"({"input_range": [0, null]})", "\"input_range\" element 1 is not a number");
    expect_sidecar_error(R"({"input_range": [1, 1]})", "must have lo < hi");
    expect_sidecar_error(R"({"input_range": [255, 0]})", "must have lo < hi");
    expect_sidecar_error(R"({"input_range": [0, 1e999]})", "number overflow");
    expect_sidecar_error(R"({"input_range": [-1e308, 1e308]})", "\"input_range\" is too wide");
    expect_sidecar_error(R"({"input_range": [0, 1], "output_range": [1, 0]})",
                         "\"output_range\" [1, 0] must have lo < hi");
    expect_sidecar_error(R"({"input_range": [0, 1], "output_range": null})", "\"output_range\" must be an array");
}

TEST(ScriptSidecar, RequiresMeanAndStdTogether) {
    expect_sidecar_error(R"({"input_range": [0, 1], "mean": [0.5, 0.5, 0.5]})", "\"mean\" is given without \"std\"");
    expect_sidecar_error(R"({"input_range": [0, 1], "std": [0.5, 0.5, 0.5]})", "\"std\" is given without \"mean\"");
}

TEST(ScriptSidecar, RejectsMalformedNormalisation) {
    const std::string base = R"({"input_range": [0, 1], )";
    expect_sidecar_error(base + R"("mean": [0.5, 0.5], "std": [1, 1, 1]})", "\"mean\" must be an array of 3 numbers");
    expect_sidecar_error(base + R"("mean": [0.5, 0.5, 0.5], "std": [1, 1, 1, 1]})",
                         "\"std\" must be an array of 3 numbers");
    expect_sidecar_error(base + R"("mean": 0.5, "std": [1, 1, 1]})", "\"mean\" must be an array of 3 numbers");
    expect_sidecar_error(base + R"("mean": [0.5, "x", 0.5], "std": [1, 1, 1]})", "\"mean\" element 1 is not a number");
    expect_sidecar_error(base + R"("mean": [0.5, 0.5, 0.5], "std": [1, 0, 1]})",
                         "\"std\" element 1 is 0, it must be > 0");
    expect_sidecar_error(base + R"("mean": [0.5, 0.5, 0.5], "std": [1, 1, -2]})",
                         "\"std\" element 2 is -2, it must be > 0");
    expect_sidecar_error(base + R"("mean": [0.5, 0.5, -1e400], "std": [1, 1, 1]})", "number overflow");
}

TEST(ScriptSidecar, RejectsBadChannelsAndName) {
    expect_sidecar_error(R"({"input_range": [0, 1], "channels": "rgba"})",
                         "\"channels\" is \"rgba\", it must be \"rgb\" or \"bgr\"");
    expect_sidecar_error(R"({"input_range": [0, 1], "channels": "RGB"})", "it must be \"rgb\" or \"bgr\"");
    expect_sidecar_error(R"({"input_range": [0, 1], "channels": 3})", "\"channels\" must be \"rgb\" or \"bgr\"");
    expect_sidecar_error(R"({"input_range": [0, 1], "name": 7})", "\"name\" must be a string");
}

TEST(ScriptSidecar, MessagesStayOnOneLine) {
    // A key with control characters and a long one: quoted, cleaned, cut short.
    expect_error([] { nt::parse_script_sidecar("{\"input_range\": [0, 1], \"a\\nb\": 1}", kName); }, kName,
                 "unknown key \"a?b\"");
    expect_error([] { nt::parse_script_sidecar("{\"" + std::string(500, 'k') + "\": 1}", kName); }, kName, "...\"");
}

// ---------------------------------------------------------------------------------------------
// Loading failures that need no TorchScript file

TEST(ScriptModelLoad, MissingModelFileNamesIt) {
    nt::test::TempDir dir;
    const fs::path pt = dir / "absent.pt";
    expect_error([&] { nt::ScriptModel model(pt); }, pt.string(), "no such file");
}

TEST(ScriptModelLoad, FolderIsNotAModel) {
    nt::test::TempDir dir;
    const fs::path pt = dir / "folder.pt";
    fs::create_directory(pt);
    write_text(dir / "folder.json", R"({"input_range": [0, 1]})");
    expect_error([&] { nt::ScriptModel model(pt); }, pt.string(), "not a regular file");
}

TEST(ScriptModelLoad, MissingSidecarNamesTheSidecar) {
    nt::test::TempDir dir;
    write_text(dir / "model.pt", "whatever");
    const fs::path json = dir / "model.json";
    expect_error([&] { nt::ScriptModel model(dir / "model.pt"); }, json.string(), "sidecar not found");
}

TEST(ScriptModelLoad, SidecarIsTheModelsNameWithJson) {
    nt::test::TempDir dir;
    write_text(dir / "my.model.pt", "whatever");
    write_text(dir / "my.json", R"({"input_range": [0, 1]})");  // not this one
    expect_error([&] { nt::ScriptModel model(dir / "my.model.pt"); }, (dir / "my.model.json").string(),
                 "sidecar not found");
}

TEST(ScriptModelLoad, SidecarThatIsNotAReasonableFile) {
    nt::test::TempDir dir;
    write_text(dir / "model.pt", "whatever");
    const fs::path json = dir / "model.json";
    fs::create_directory(json);
    expect_error([&] { nt::ScriptModel model(dir / "model.pt"); }, json.string(), "not a regular file");
    fs::remove(json);
    write_text(json, "{\"input_range\": [0, 1]}" + std::string(2 << 20, ' '));
    expect_error([&] { nt::ScriptModel model(dir / "model.pt"); }, json.string(), "larger than 1 MiB");
    write_text(json, "");
    expect_error([&] { nt::ScriptModel model(dir / "model.pt"); }, json.string(), "not valid JSON");
}

TEST(ScriptModelLoad, InvalidSidecarNamesTheSidecar) {
    nt::test::TempDir dir;
    write_text(dir / "model.pt", "whatever");
    write_text(dir / "model.json", R"({"input_range": [0, 1], "colour": "rgb"})");
    expect_error([&] { nt::ScriptModel model(dir / "model.pt"); }, (dir / "model.json").string(),
                 "unknown key \"colour\"");
}

TEST(ScriptModelLoad, GarbageFileIsAnErrorNotACrash) {
    nt::test::TempDir dir;
    write_text(dir / "model.json", R"({"input_range": [0, 1]})");
    const fs::path pt = dir / "model.pt";
    const std::vector<std::string> contents = {
        "not a model at all",
        std::string(4096, '\0'),
        std::string("PK\x03\x04", 4) + std::string(200, 'x'),  // a zip local header, then junk
        std::string("PK\x05\x06", 4) + std::string(18, '\0'),  // an empty zip (end of central directory only)
        std::string("\x80\x02}q\x00.", 6),                     // a pickle (legacy torch.save), not a zip
    };
    for (const std::string& bytes : contents) {
        write_text(pt, bytes);
        SCOPED_TRACE(bytes.size());
        expect_error([&] { nt::ScriptModel model(pt); }, pt.string(), "cannot load TorchScript");
    }
    write_text(pt, "");
    expect_error([&] { nt::ScriptModel model(pt); }, pt.string(), "file is empty");
}

// ---------------------------------------------------------------------------------------------
// With the fixture written by make_script_fixture.py (the ctest fixture "script_model_fixture")

class ScriptModelFixture : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = NT_SCRIPT_FIXTURE_DIR;
        if (!fs::exists(dir_ / "expected.safetensors"))
            GTEST_FAIL() << "TorchScript fixture not found in " << dir_.string()
                         << ": run the script_model_fixture ctest (it needs Debian's python3-torch)";
        expected_ = nt::read_safetensors(dir_ / "expected.safetensors");
    }

    fs::path pt(const std::string& name) const { return dir_ / (name + ".pt"); }
    at::Tensor input() const { return expected_.tensors.at("input"); }

    void expect_matches_pytorch(const std::string& name, const at::Tensor& got) const {
        const at::Tensor want = expected_.tensors.at(name);
        ASSERT_EQ(got.sizes(), want.sizes());
        ASSERT_EQ(got.scalar_type(), at::kFloat);
        const at::Tensor g = got.cpu();
        const double max_diff = (g - want).abs().max().item<double>();
        EXPECT_TRUE(at::allclose(g, want, /*rtol=*/1e-4, /*atol=*/1e-6)) << name << ": max difference " << max_diff;
    }

    fs::path dir_;
    nt::SafetensorsFile expected_;
};

TEST_F(ScriptModelFixture, Bgr255NormalisedMatchesPyTorch) {
    nt::ScriptModel model(pt("bgr255"));
    EXPECT_TRUE(model.sidecar().bgr);
    EXPECT_TRUE(model.sidecar().has_normalisation);
    EXPECT_EQ(model.sidecar().label, "BGR 0-255 test");
    EXPECT_EQ(model.path(), pt("bgr255"));
    const at::Tensor out = model.run(input());
    expect_matches_pytorch("bgr255", out);
    // Not a degenerate fixture: the output is neither constant nor the input.
    EXPECT_GT(out.std().item<double>(), 0.01);
    EXPECT_GT((out - input()).abs().max().item<double>(), 0.01);
    EXPECT_GE(out.min().item<double>(), 0.0);
    EXPECT_LE(out.max().item<double>(), 1.0);
    // Running again gives the same result.
    EXPECT_TRUE(at::equal(model.run(input()), out));
}

// bf16 under CPU autocast: the convolution in bf16, so close to float32 but not equal to it.
TEST_F(ScriptModelFixture, Bf16AutocastStaysCloseToFloat32) {
    nt::ScriptModel model(pt("bgr255"));
    const at::Tensor fp32 = model.run(input());
    const at::Tensor bf16 = model.run(input(), at::kBFloat16);
    ASSERT_EQ(bf16.scalar_type(), at::kFloat);
    EXPECT_FALSE(model.bf16_refused());
    const double diff = (bf16 - fp32).abs().max().item<double>();
    EXPECT_GT(diff, 0.0);   // it did run in bf16
    EXPECT_LT(diff, 0.02);  // 8 bits of mantissa through one conv: well under 5 levels of 255
    EXPECT_TRUE(at::equal(model.run(input()), fp32));  // float32 again afterwards: autocast was restored
}

// A model that fails in bf16 runs in float32 instead, then and from then on, and says so.
TEST_F(ScriptModelFixture, ModelThatRefusesBf16RunsInFloat32) {
    nt::ScriptModel model(pt("float32_only"));
    const at::Tensor fp32 = model.run(input());
    EXPECT_FALSE(model.bf16_refused());
    EXPECT_TRUE(at::equal(model.run(input(), at::kBFloat16), fp32));
    EXPECT_TRUE(model.bf16_refused());
    EXPECT_TRUE(at::equal(model.run(input(), at::kBFloat16), fp32));
}

TEST_F(ScriptModelFixture, HalfSizeOutputIsResizedBack) {
    nt::ScriptModel model(pt("half"));
    EXPECT_EQ(model.sidecar().output_range[0], -1.0);
    const at::Tensor out = model.run(input());
    EXPECT_EQ(out.sizes(), input().sizes());
    expect_matches_pytorch("half", out);
}

TEST_F(ScriptModelFixture, ScriptedModuleMatchesPyTorch) {
    nt::ScriptModel model(pt("scripted"));
    expect_matches_pytorch("scripted", model.run(input()));
    // A double input is accepted and converted; the result is float.
    expect_matches_pytorch("scripted", model.run(input().to(at::kDouble)));
}

TEST_F(ScriptModelFixture, RunsWithoutRecordingGradients) {
    nt::ScriptModel model(pt("bgr255"));
    const at::Tensor out = model.run(input().clone().requires_grad_(true));
    EXPECT_FALSE(out.requires_grad());
}

TEST_F(ScriptModelFixture, MovedModelStillWorks) {
    nt::ScriptModel first(pt("scripted"));
    nt::ScriptModel second(std::move(first));
    expect_matches_pytorch("scripted", second.run(input()));
    nt::ScriptModel third(pt("half"));
    third = std::move(second);
    EXPECT_EQ(third.path(), pt("scripted"));
    expect_matches_pytorch("scripted", third.run(input()));
}

TEST_F(ScriptModelFixture, RejectsABadInputTensor) {
    nt::ScriptModel model(pt("scripted"));
    const std::string name = pt("scripted").string();
    expect_error(
        [&] {
            model.run(at::rand({3, 8, 8}));
        },
        name, "input must be a float image tensor [1, 3, H, W], got [3, 8, 8]");
    expect_error([&] { model.run(at::rand({1, 4, 8, 8})); }, name, "got [1, 4, 8, 8]");
    expect_error([&] { model.run(at::zeros({1, 3, 8, 8}, at::kByte)); }, name, "input must be a float image tensor");
    expect_error([&] { model.run(at::Tensor()); }, name, "an undefined tensor");
}

TEST_F(ScriptModelFixture, RejectsOutputsThatAreNotImages) {
    struct Case {
        const char* model;
        const char* fragment;
    };
    for (const Case& c :
         {Case{"tuple", "the model returned a tuple, not an image tensor"},
          Case{"list", "the model returned a list, not an image tensor"},
          Case{"one_channel", "the model returned a tensor of shape [1, 1, 11, 14], not an image tensor"},
          Case{"int_output", "the model returned a tensor of Byte, not floating point"}}) {
        SCOPED_TRACE(c.model);
        nt::ScriptModel model(pt(c.model));
        expect_error([&] { model.run(input()); }, pt(c.model).string(), c.fragment);
    }
}

TEST_F(ScriptModelFixture, FailureInsideForwardIsOneLine) {
    nt::ScriptModel model(pt("raises"));
    const std::string message = expect_error([&] { model.run(input()); }, pt("raises").string(), "the model failed: ");
    // The cause, not the TorchScript interpreter's preamble.
    EXPECT_EQ(message.find("The following operation failed"), std::string::npos) << message;
    EXPECT_NE(message.find("channels"), std::string::npos) << message;
}

TEST_F(ScriptModelFixture, StateDictIsNotTorchScript) {
    expect_error([&] { nt::ScriptModel model(pt("state_dict")); }, pt("state_dict").string(),
                 "not a TorchScript module");
}

TEST_F(ScriptModelFixture, TruncatedFilesAreErrorsNotCrashes) {
    nt::test::TempDir dir;
    const std::vector<char> bytes = read_bytes(pt("bgr255"));
    ASSERT_GT(bytes.size(), 1000u);
    fs::copy_file(dir_ / "bgr255.json", dir / "cut.json");
    const fs::path cut = dir / "cut.pt";
    for (const std::size_t size : {std::size_t{1}, std::size_t{30}, bytes.size() / 4, bytes.size() / 2,
                                   bytes.size() - 100, bytes.size() - 22, bytes.size() - 1}) {
        SCOPED_TRACE(size);
        write_bytes(cut, bytes, size);
        expect_error([&] { nt::ScriptModel model(cut); }, cut.string(), "cannot load TorchScript");
    }
}

TEST_F(ScriptModelFixture, CorruptedBytesAreErrorsNotCrashes) {
    // Bytes flipped in the middle of the archive (stored data, headers): whatever LibTorch makes
    // of it, the result is a model or an nt::Error, never a crash or another exception type.
    nt::test::TempDir dir;
    const std::vector<char> original = read_bytes(pt("scripted"));
    fs::copy_file(dir_ / "scripted.json", dir / "bad.json");
    const fs::path bad = dir / "bad.pt";
    for (std::size_t at = 0; at < original.size(); at += original.size() / 16) {
        std::vector<char> bytes = original;
        bytes[at] = static_cast<char>(bytes[at] ^ 0x5a);
        write_bytes(bad, bytes, bytes.size());
        SCOPED_TRACE(at);
        try {
            nt::ScriptModel model(bad);
            model.run(input());
        } catch (const nt::Error& e) {
            EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
        }
    }
}

TEST_F(ScriptModelFixture, RunsOnCudaAndBack) {
    if (!torch::cuda::is_available()) GTEST_SKIP() << "no CUDA device";
    nt::ScriptModel model(pt("bgr255"));
    const at::Tensor on_gpu = model.run(input().to(at::kCUDA));
    EXPECT_TRUE(on_gpu.is_cuda());
    const at::Tensor want = expected_.tensors.at("bgr255");
    EXPECT_TRUE(at::allclose(on_gpu.cpu(), want, 1e-3, 1e-4));
    expect_matches_pytorch("bgr255", model.run(input()));  // back on the CPU
}

}  // namespace
