// The neural methods as the CLI and the viewer run them: models found in a folder (random
// weights, written by the test), feature caches, masks, style mixes, cancellation and errors.
#include <gtest/gtest.h>

#include <ATen/ATen.h>
#include <torch/csrc/jit/api/module.h>

#include <atomic>
#include <fstream>

#include "base/error.h"
#include "methods/strength.h"
#include "nets/adain_net.h"
#include "nets/neural_stylizer.h"
#include "nets/transformer_net.h"
#include "stylize/stylize.h"
#include "image/tensor_convert.h"
#include "support/method_run.h"
#include "support/temp_dir.h"
#include "support/test_images.h"
#include "support/tiny_models.h"
#include "stylize/registry.h"

namespace nt {
namespace {

at::Tensor picture(int64_t h, int64_t w, std::uint64_t seed) {
    at::manual_seed(seed);
    return at::rand({1, 3, h, w});
}

using test::encoder_passes;
using test::NeuralRun;
using test::run;

NeuralRun request(const std::string& method, const at::Tensor& content) { return test::neural_run(method, content); }

// Float32: the comparisons with the modules below are to float rounding (bf16 has its own test).
NeuralOptions fp32() {
    NeuralOptions o;
    o.precision = Precision::Fp32;
    return o;
}

class NeuralStylizerTest : public ::testing::Test {
protected:
    void SetUp() override {
        test::write_random_fast_style(dir_.path(), "candy", 1);
        test::write_random_adain(dir_.path(), 2);
    }
    test::TempDir dir_;
};

TEST_F(NeuralStylizerTest, FastStyleIsTheNetworkInPixelUnitsMixedByStrength) {
    NeuralStylizer neural(scan_models(dir_.path()), fp32());
    at::InferenceMode inference;
    const at::Tensor content = picture(37, 29, 3);  // not multiples of 4: cropped back
    NeuralRun r = request("fast_style", content);
    r.model = "candy";
    const at::Tensor full = run(neural, r);
    ASSERT_EQ(full.sizes(), content.sizes());
    TransformerNet net = load_transformer_net(dir_ / "fast_style/candy.safetensors");
    const at::Tensor expected =
        net->forward(content * 255.0).narrow(2, 0, 37).narrow(3, 0, 29).div(255.0).clamp(0.0, 1.0);
    // The fused path sums in another order than the module: float rounding, far below a level.
    EXPECT_TRUE(at::allclose(full, expected, 0, 1e-5)) << (full - expected).abs().max().item<float>();
    EXPECT_GT((full - content).abs().max().item<float>(), 0.01f);  // the random network does something

    r.params["strength"] = 0.25;
    EXPECT_TRUE(at::equal(run(neural, r), mix_by_strength(content, full, 0.25)));
    r.params["strength"] = 0.0;
    EXPECT_TRUE(at::equal(run(neural, r), content));
}

TEST_F(NeuralStylizerTest, AdainMatchesTheNetworksAndCachesFeatures) {
    NeuralStylizer neural(scan_models(dir_.path()), fp32());
    at::InferenceMode inference;
    const at::Tensor content = picture(45, 67, 4), style = picture(40, 40, 5);
    NeuralRun r = request("adain", content);
    r.styles = {style};
    r.params["alpha"] = 0.7;
    const at::Tensor out = run(neural, r);
    ASSERT_EQ(out.sizes(), content.sizes());

    VggEncoder enc = load_vgg_encoder(dir_ / "adain/vgg_encoder.safetensors");
    AdainDecoder dec = load_adain_decoder(dir_ / "adain/decoder.safetensors");
    const at::Tensor fc = enc->forward(content), fs = enc->forward(style);
    const at::Tensor t = adain(fc, feature_stats(fc), feature_stats(fs));
    const at::Tensor expected = dec->forward(at::lerp(fc, t, 0.7)).narrow(2, 0, 45).narrow(3, 0, 67).clamp(0.0, 1.0);
    EXPECT_TRUE(at::allclose(out, expected, 1e-4, 1e-5)) << (out - expected).abs().max().item<float>();

    // A new alpha reuses the content features and the style statistics.
    EXPECT_EQ(encoder_passes(neural, r), 0);
    // The same style made anew (a video's next frame, a batch's next content) hits too.
    NeuralRun same_style = r;
    same_style.styles = {style.clone()};
    EXPECT_EQ(encoder_passes(neural, same_style), 0);
    NeuralRun other = r;
    other.styles = {picture(40, 40, 6)};
    EXPECT_EQ(encoder_passes(neural, other), 1);
    other.content = picture(45, 67, 7);
    EXPECT_EQ(encoder_passes(neural, other), 2);
    EXPECT_EQ(neural.cached_contents(), 1u);
    EXPECT_EQ(neural.cached_styles(), 1u);
    r.params["alpha"] = 0.0;
    const at::Tensor none = run(neural, r);
    EXPECT_EQ(neural.cached_styles(), 1u);
    const at::Tensor reconstruction = dec->forward(fc).narrow(2, 0, 45).narrow(3, 0, 67).clamp(0.0, 1.0);
    EXPECT_TRUE(at::allclose(none, reconstruction, 1e-4, 1e-5));
}

TEST_F(NeuralStylizerTest, AdainStyleWeightsAndMasks) {
    NeuralStylizer neural(scan_models(dir_.path()));
    at::InferenceMode inference;
    const at::Tensor content = picture(48, 48, 6), a = picture(32, 32, 7), b = picture(32, 32, 8) * 0.2 + 0.7;
    NeuralRun one = request("adain", content);
    one.styles = {a};
    const at::Tensor only_a = run(neural, one);
    // The random decoder's output is mid-grey with texture, not clamped away.
    EXPECT_GT(only_a.std().item<float>(), 0.02f);
    EXPECT_LT(((only_a <= 0) | (only_a >= 1)).to(at::kFloat).mean().item<float>(), 0.05f);

    NeuralRun mix = request("adain", content);
    mix.styles = {a, b};
    mix.style_weights = {1.0, 0.0};
    EXPECT_TRUE(at::allclose(run(neural, mix), only_a, 1e-5, 1e-6));
    mix.style_weights = {0.5, 0.5};
    EXPECT_GT((run(neural, mix) - only_a).abs().max().item<float>(), 1e-3f);
    mix.style_weights = {1.0};
    EXPECT_THROW(run(neural, mix), Error);

    // A white mask is the unmasked transfer; a black one with a single style keeps the content's
    // features (alpha 0); with two styles black means the extra style.
    NeuralRun masked = one;
    masked.mask = at::ones({1, 1, 48, 48});
    EXPECT_TRUE(at::allclose(run(neural, masked), only_a, 1e-4, 1e-5));
    masked.mask = at::zeros({1, 1, 48, 48});
    NeuralRun alpha0 = one;
    alpha0.params["alpha"] = 0.0;
    EXPECT_TRUE(at::allclose(run(neural, masked), run(neural, alpha0), 1e-4, 1e-5));
    NeuralRun only_b = one;
    only_b.styles = {b};
    masked.styles = {a, b};
    EXPECT_TRUE(at::allclose(run(neural, masked), run(neural, only_b), 1e-4, 1e-5));
    masked.styles = {a, b, a};
    EXPECT_THROW(run(neural, masked), Error);
}

TEST_F(NeuralStylizerTest, CancelStopsARun) {
    NeuralStylizer neural(scan_models(dir_.path()));
    at::InferenceMode inference;
    std::atomic<bool> flag{true};
    std::atomic<int> steps{0};
    NeuralRun r = request("fast_style", picture(32, 32, 9));
    r.model = "candy";
    r.cancel = CancelToken(&flag, &steps);
    EXPECT_THROW(run(neural, r), Cancelled);
    EXPECT_EQ(steps.load(), 1);  // stopped at the first layer
    flag = false;
    EXPECT_NO_THROW(run(neural, r));
    EXPECT_GT(steps.load(), 10);
}

TEST_F(NeuralStylizerTest, MissingAndBrokenModelsAreErrorsNamingThem) {
    at::InferenceMode inference;
    NeuralStylizer empty(scan_models(dir_ / "empty"));
    NeuralRun r = request("fast_style", picture(16, 16, 1));
    r.model = "candy";
    EXPECT_THROW(run(empty, r), Error);
    NeuralRun a = request("adain", picture(16, 16, 1));
    a.styles = {picture(16, 16, 2)};
    try {
        run(empty, a);
        FAIL() << "no throw";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("no AdaIN model"), std::string::npos) << e.what();
    }
    std::ofstream(dir_ / "fast_style/broken.safetensors") << "not a weights file";
    NeuralStylizer neural(scan_models(dir_.path()));
    r.model = "broken";
    try {
        run(neural, r);
        FAIL() << "no throw";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("broken.safetensors"), std::string::npos) << e.what();
    }
    r.content = picture(4, 4, 1);
    r.model = "candy";
    EXPECT_THROW(run(neural, r), Error);  // too small for the network
}

TEST_F(NeuralStylizerTest, StylizeRunsNeuralMethodsFromTheModelsFolder) {
    const Image content = test::make_pattern(40, 30, 1);
    StylizeOptions o;
    o.method = "fast_style";
    o.model = "candy";
    o.models_dir = dir_.path();
    o.size = parse_size_spec("original");
    const Image result = stylize(content, Image(), o);  // no style picture needed
    EXPECT_EQ(result.width, 40);
    EXPECT_EQ(result.height, 30);
    NeuralStylizer neural(scan_models(dir_.path()));
    EXPECT_EQ(stylize(content, Image(), o, &neural).pixels, result.pixels);

    o.method = "adain";
    o.model.clear();
    EXPECT_THROW(stylize(content, Image(), o), Error);  // adain needs a style picture
    const Image style = test::make_pattern(20, 20, 2);
    const Image one = stylize(content, style, o);
    o.extra_styles = {style};
    o.style_weights = {0.5, 0.5};
    EXPECT_EQ(stylize(content, style, o).pixels, one.pixels);  // the same style twice
    o.method = "blend";
    o.params.clear();
    EXPECT_THROW(stylize(content, style, o), Error);  // blend mixes no styles
}

}  // namespace
}  // namespace nt

namespace nt {
namespace {

// AdaIN on a video: the content's feature means and deviations jump when an object at the left
// edge comes and goes; smoothed over time (methods/temporal_stats.h) the still right part,
// beyond the networks' receptive field from the object, keeps its colours. Random weights: this
// measures the smoothing, not a stylization.
Image right_part(const Image& f, int from_x) {
    Image out(f.width - from_x, f.height);
    for (int y = 0; y < f.height; ++y) std::copy(f.at(from_x, y), f.at(from_x, y) + out.row_bytes(), out.row(y));
    return out;
}

TEST_F(NeuralStylizerTest, AdainContentStatisticsAreSmoothedOverAVideo) {
    NeuralStylizer neural(scan_models(dir_.path()), fp32());
    const Image background = test::make_pattern(384, 64, 5), style = test::make_pattern(48, 48, 9);
    std::vector<Image> clip;
    std::uint32_t seed = 99;
    for (int i = 0; i < 12; ++i) {
        seed = seed * 1664525u + 1013904223u;
        Image f = background;
        for (int y = 0; y < 64; ++y)
            for (int x = 0; x < int(seed >> 26); ++x) f.at(x, y)[0] = f.at(x, y)[1] = f.at(x, y)[2] = 250;
        clip.push_back(f);
    }
    auto flicker = [&](double time_constant) {
        StylizeOptions o;
        o.method = "adain";
        o.size = parse_size_spec("original");
        o.device = DeviceChoice::Cpu;
        TemporalStats temporal(time_constant);
        o.temporal = &temporal;
        std::vector<Image> in, out;
        for (std::size_t i = 0; i < clip.size(); ++i) {
            temporal.next_frame(clip[i], double(i) / 25.0);
            out.push_back(right_part(stylize(clip[i], style, o, &neural), 256));
            in.push_back(right_part(clip[i], 256));
        }
        return still_flicker(in, out);
    };
    const double raw = flicker(0.0), smoothed = flicker(kDefaultStatsTimeConstant);
    std::printf("AdaIN (random weights) still-pixel flicker: %.3f levels/frame raw, %.3f smoothed\n", raw, smoothed);
    EXPECT_GT(raw, 0.1);
    EXPECT_LT(smoothed, raw / 2.0);
}

// models_dir/torchscript/<name>.pt + .json: an image-to-image module (the negative) and its sidecar.
void write_negative_script(const std::filesystem::path& models_dir, const std::string& name) {
    const std::filesystem::path folder = models_dir / "torchscript";
    std::filesystem::create_directories(folder);
    torch::jit::Module module("Negative");
    module.define("def forward(self, x):\n    return 1.0 - x\n");
    module.save((folder / (name + ".pt")).string());
    std::ofstream(folder / (name + ".json")) << "{\"input_range\": [0, 1], \"output_range\": [0, 1]}\n";
}

// Every method, the neural ones included, does its work in Method::run: given what it declares it
// needs (its models and a model of its kind, a style when it uses one), every registry entry
// returns a picture of the content's shape; without the models, those that need them say so.
TEST(MethodRegistry, EveryEntryRunsGivenWhatItNeeds) {
    test::TempDir dir;
    test::write_random_fast_style(dir.path(), "candy", 1);
    test::write_random_adain(dir.path(), 2);
    test::write_random_vgg19(dir.path(), "tiny", "torchvision", 3);
    write_negative_script(dir.path(), "negative");
    NeuralStylizer models(scan_models(dir.path()), fp32());
    at::InferenceMode inference;
    const at::Tensor content = picture(32, 40, 1);
    for (const auto& method : method_registry()) {
        const MethodInfo& info = method->info();
        ParamValues params = default_params(info);
        // An iterative method's smallest run: every whole-number parameter at its minimum (one
        // level, one iteration).
        if (info.iterative)
            for (const ParamSpec& p : info.params)
                if (p.integer) params[p.name] = p.min_value;
        RunContext context;
        context.models = &models;
        if (info.model_kind) {
            ASSERT_FALSE(models.library().entries(*info.model_kind).empty()) << info.name;
            context.model = models.library().entries(*info.model_kind).front().name;
        }
        int steps = 0;
        context.on_step = [&](const StepReport&) { ++steps; };
        const at::Tensor style = !info.uses_style           ? at::Tensor()
                                 : info.style_pixel_aligned ? picture(32, 40, 2)
                                                            : picture(24, 28, 2);
        at::Tensor out;
        try {
            out = method->run(content, style, params, context);
        } catch (const std::exception& e) {
            ADD_FAILURE() << info.name << ": " << e.what();
            continue;
        }
        ASSERT_EQ(out.sizes(), content.sizes()) << info.name;
        EXPECT_TRUE(at::isfinite(out).all().item<bool>()) << info.name;
        EXPECT_GE(out.min().item<float>(), 0.0f) << info.name;
        EXPECT_LE(out.max().item<float>(), 1.0f) << info.name;
        if (info.iterative) {
            EXPECT_GT(steps, 0) << info.name;
        }
        if (info.needs_model) {
            EXPECT_THROW(method->run(content, style, params, RunContext{}), Error) << info.name;
        } else {
            EXPECT_TRUE(at::equal(method->run(content, style, params, RunContext{}), out)) << info.name;
        }
    }
}

}  // namespace
}  // namespace nt
