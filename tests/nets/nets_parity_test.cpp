// The C++ networks against PyTorch running the original Python code on the same weights and
// inputs (tests/fixtures/make_nets_fixture.py, run by the nets_fixture ctest). Expected values are
// float64 PyTorch results; the C++ float32 results must agree to max|a - b| <= 1e-4 * max|b|.
#include <gtest/gtest.h>

#include <vector>

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <torch/csrc/autograd/grad_mode.h>

#include "nets/adain_net.h"
#include "nets/transformer_net.h"
#include "nets_test_util.h"

namespace nt {
namespace {

using test::nets_case;
using test::nets_fixture_dir;

constexpr double kTol = 1e-4;                        // vs PyTorch (float32 here, float64 there)
constexpr double kLayoutTol = 1e-5;                  // channels-last vs contiguous, both float32 here
constexpr double kDoubleTol = 1e-6;                  // float64 here vs float64 there (stored as float32)
constexpr double kAlpha = 0.7;                       // make_nets_fixture.py's ALPHA
const std::vector<double> kMixWeights = {1.0, 3.0};  // its MIX_WEIGHTS (normalised: 0.25, 0.75)

class NetsParity : public ::testing::Test {
protected:
    void SetUp() override { NT_REQUIRE_NETS_FIXTURE(); }

    static TransformerNet transformer() {
        return load_transformer_net(nets_fixture_dir() / "transformer_net.safetensors");
    }
    static VggEncoder encoder() { return load_vgg_encoder(nets_fixture_dir() / "vgg_encoder.safetensors"); }
    static AdainDecoder decoder() { return load_adain_decoder(nets_fixture_dir() / "adain_decoder.safetensors"); }
};

TEST_F(NetsParity, TransformerNet) {
    c10::InferenceMode guard;
    const at::Tensor out = transformer()->forward(nets_case("transformer.input"));
    EXPECT_CLOSE_REL(out, nets_case("transformer.output"), kTol);  // 37x52 in, 40x52 out
}

TEST_F(NetsParity, VggEncoderOddSize) {
    c10::InferenceMode guard;
    const at::Tensor out = encoder()->forward(nets_case("encoder.input"));  // 67x45 -> 9x6
    EXPECT_CLOSE_REL(out, nets_case("encoder.output"), kTol);
}

TEST_F(NetsParity, AdainDecoder) {
    c10::InferenceMode guard;
    const at::Tensor out = decoder()->forward(nets_case("decoder.input"));
    EXPECT_CLOSE_REL(out, nets_case("decoder.output"), kTol);
}

TEST_F(NetsParity, Adain) {
    const at::Tensor content = nets_case("adain.content"), style = nets_case("adain.style");
    const at::Tensor out = adain(content, feature_stats(content), feature_stats(style));
    EXPECT_CLOSE_REL(out, nets_case("adain.output"), kTol);
}

TEST_F(NetsParity, StyleTransferWithAlpha) {
    c10::InferenceMode guard;
    VggEncoder enc = encoder();
    const at::Tensor cf = enc->forward(nets_case("transfer.content"));
    const at::Tensor sf = enc->forward(nets_case("transfer.style"));
    const at::Tensor target = adain(cf, feature_stats(cf), feature_stats(sf));
    const at::Tensor out = decoder()->forward(target * kAlpha + cf * (1 - kAlpha));
    EXPECT_CLOSE_REL(out, nets_case("transfer.output"), kTol);
}

TEST_F(NetsParity, TwoStyleInterpolation) {
    c10::InferenceMode guard;
    VggEncoder enc = encoder();
    const at::Tensor cf = enc->forward(nets_case("mix.content"));
    const std::vector<FeatureStats> styles = {feature_stats(enc->forward(nets_case("mix.style1"))),
                                              feature_stats(enc->forward(nets_case("mix.style2")))};
    const at::Tensor mixed = adain_mix(cf, styles, kMixWeights);
    EXPECT_CLOSE_REL(mixed, nets_case("mix.features"), kTol);
    EXPECT_CLOSE_REL(decoder()->forward(mixed), nets_case("mix.output"), kTol);
}

TEST_F(NetsParity, MaskedStatistics) {
    const FeatureStats s = feature_stats(nets_case("masked.features"), nets_case("masked.mask"));
    EXPECT_CLOSE_REL(s.mean, nets_case("masked.mean"), kTol);
    EXPECT_CLOSE_REL(s.std, nets_case("masked.std"), kTol);
}

// Outside inference mode (autograd on, as a training or export tool would run it) the in-place
// ReLUs and additions must not trip autograd and the results are the same.
TEST_F(NetsParity, SameResultsWithAutogradEnabled) {
    const at::Tensor out = transformer()->forward(nets_case("transformer.input"));
    EXPECT_TRUE(out.requires_grad());
    EXPECT_CLOSE_REL(out, nets_case("transformer.output"), kTol);
    const at::Tensor features = encoder()->forward(nets_case("encoder.input"));
    EXPECT_CLOSE_REL(features, nets_case("encoder.output"), kTol);
    features.sum().backward();  // the graph is intact
}

TEST_F(NetsParity, ChannelsLastInputGivesSameResult) {
    c10::InferenceMode guard;
    const auto cl = at::MemoryFormat::ChannelsLast;
    TransformerNet net = transformer();
    const at::Tensor x = nets_case("transformer.input");
    EXPECT_CLOSE_REL(net->forward(x.contiguous(cl)), net->forward(x), kLayoutTol);

    VggEncoder enc = encoder();
    const at::Tensor e = nets_case("encoder.input");
    EXPECT_CLOSE_REL(enc->forward(e.contiguous(cl)), enc->forward(e), kLayoutTol);

    AdainDecoder dec = decoder();
    const at::Tensor d = nets_case("decoder.input");
    EXPECT_CLOSE_REL(dec->forward(d.contiguous(cl)), dec->forward(d), kLayoutTol);

    const at::Tensor m = nets_case("masked.features"), mask = nets_case("masked.mask");
    const FeatureStats a = feature_stats(m.contiguous(cl), mask.contiguous(cl)), b = feature_stats(m, mask);
    EXPECT_CLOSE_REL(a.std, b.std, kLayoutTol);
    const at::Tensor c = nets_case("adain.content"), s = nets_case("adain.style");
    EXPECT_CLOSE_REL(adain(c.contiguous(cl), feature_stats(c.contiguous(cl)), feature_stats(s)),
                     nets_case("adain.output"), kTol);
}

// Nothing is hard-coded to float32: the same networks in float64 reproduce PyTorch's float64
// results to the float32 rounding of the stored expectations.
TEST_F(NetsParity, DoublePrecisionModules) {
    c10::InferenceMode guard;
    const auto f64 = [](const char* name) { return nets_case(name).to(at::kDouble); };
    TransformerNet net = transformer();
    net->to(at::kDouble);
    const at::Tensor out = net->forward(f64("transformer.input"));
    EXPECT_EQ(out.scalar_type(), at::kDouble);
    EXPECT_CLOSE_REL(out, nets_case("transformer.output"), kDoubleTol);

    VggEncoder enc = encoder();
    enc->to(at::kDouble);
    EXPECT_CLOSE_REL(enc->forward(f64("encoder.input")), nets_case("encoder.output"), kDoubleTol);

    AdainDecoder dec = decoder();
    dec->to(at::kDouble);
    const at::Tensor cf = enc->forward(f64("transfer.content"));
    const at::Tensor sf = enc->forward(f64("transfer.style"));
    const at::Tensor target = adain(cf, feature_stats(cf), feature_stats(sf));
    EXPECT_CLOSE_REL(dec->forward(target * kAlpha + cf * (1 - kAlpha)), nets_case("transfer.output"), kDoubleTol);
}

}  // namespace
}  // namespace nt
