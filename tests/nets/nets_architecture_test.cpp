// The networks' structure without PyTorch: state_dict names as PyTorch writes them, output sizes
// for odd inputs, cancellation, and the AdaIN helpers' arithmetic and argument checks.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include "base/error.h"
#include "nets/adain_net.h"
#include "base/cancel.h"
#include "nets/load_weights.h"
#include "nets/transformer_net.h"
#include "nets_test_util.h"

namespace nt {
namespace {

// list(TransformerNet().state_dict().keys()) in pytorch/examples (see make_nets_fixture.py).
const std::vector<std::string> kPythonTransformerKeys = {
    "conv1.conv2d.weight",      "conv1.conv2d.bias",      "in1.weight",      "in1.bias",
    "conv2.conv2d.weight",      "conv2.conv2d.bias",      "in2.weight",      "in2.bias",
    "conv3.conv2d.weight",      "conv3.conv2d.bias",      "in3.weight",      "in3.bias",
    "res1.conv1.conv2d.weight", "res1.conv1.conv2d.bias", "res1.in1.weight", "res1.in1.bias",
    "res1.conv2.conv2d.weight", "res1.conv2.conv2d.bias", "res1.in2.weight", "res1.in2.bias",
    "res2.conv1.conv2d.weight", "res2.conv1.conv2d.bias", "res2.in1.weight", "res2.in1.bias",
    "res2.conv2.conv2d.weight", "res2.conv2.conv2d.bias", "res2.in2.weight", "res2.in2.bias",
    "res3.conv1.conv2d.weight", "res3.conv1.conv2d.bias", "res3.in1.weight", "res3.in1.bias",
    "res3.conv2.conv2d.weight", "res3.conv2.conv2d.bias", "res3.in2.weight", "res3.in2.bias",
    "res4.conv1.conv2d.weight", "res4.conv1.conv2d.bias", "res4.in1.weight", "res4.in1.bias",
    "res4.conv2.conv2d.weight", "res4.conv2.conv2d.bias", "res4.in2.weight", "res4.in2.bias",
    "res5.conv1.conv2d.weight", "res5.conv1.conv2d.bias", "res5.in1.weight", "res5.in1.bias",
    "res5.conv2.conv2d.weight", "res5.conv2.conv2d.bias", "res5.in2.weight", "res5.in2.bias",
    "deconv1.conv2d.weight",    "deconv1.conv2d.bias",    "in4.weight",      "in4.bias",
    "deconv2.conv2d.weight",    "deconv2.conv2d.bias",    "in5.weight",      "in5.bias",
    "deconv3.conv2d.weight",    "deconv3.conv2d.bias",
};

std::set<std::string> conv_keys(const std::vector<int>& indices) {
    std::set<std::string> keys;
    for (int i : indices) {
        keys.insert(std::to_string(i) + ".weight");
        keys.insert(std::to_string(i) + ".bias");
    }
    return keys;
}

std::vector<int64_t> shape_of(const torch::nn::Module& module, const std::string& key) {
    for (const auto& p : module.named_parameters())
        if (p.key() == key) return p.value().sizes().vec();
    return {};
}

TEST(NetsArchitecture, TransformerNetKeysArePytorchs) {
    TransformerNet net;
    EXPECT_EQ(state_dict_keys(*net), kPythonTransformerKeys);
    // InstanceNorm2d(affine=True) tracks no running statistics: no buffers in the state_dict.
    for (const auto& b : net->named_buffers()) EXPECT_FALSE(b.value().defined()) << b.key();
    EXPECT_EQ(shape_of(*net, "conv1.conv2d.weight"), (std::vector<int64_t>{32, 3, 9, 9}));
    EXPECT_EQ(shape_of(*net, "conv2.conv2d.weight"), (std::vector<int64_t>{64, 32, 3, 3}));
    EXPECT_EQ(shape_of(*net, "res3.conv2.conv2d.weight"), (std::vector<int64_t>{128, 128, 3, 3}));
    EXPECT_EQ(shape_of(*net, "deconv1.conv2d.weight"), (std::vector<int64_t>{64, 128, 3, 3}));
    EXPECT_EQ(shape_of(*net, "deconv3.conv2d.weight"), (std::vector<int64_t>{3, 32, 9, 9}));
    EXPECT_EQ(shape_of(*net, "in5.weight"), (std::vector<int64_t>{32}));
}

TEST(NetsArchitecture, EncoderKeysAreVggFirst31Layers) {
    VggEncoder encoder;
    const auto keys = state_dict_keys(*encoder);
    EXPECT_EQ(keys.size(), 20u);
    EXPECT_EQ(std::set<std::string>(keys.begin(), keys.end()), conv_keys({0, 2, 5, 9, 12, 16, 19, 22, 25, 29}));
    EXPECT_EQ(shape_of(*encoder, "0.weight"), (std::vector<int64_t>{3, 3, 1, 1}));
    EXPECT_EQ(shape_of(*encoder, "29.weight"), (std::vector<int64_t>{512, 256, 3, 3}));
}

TEST(NetsArchitecture, DecoderKeys) {
    AdainDecoder decoder;
    const auto keys = state_dict_keys(*decoder);
    EXPECT_EQ(keys.size(), 18u);
    EXPECT_EQ(std::set<std::string>(keys.begin(), keys.end()), conv_keys({1, 5, 8, 11, 14, 18, 21, 25, 28}));
    EXPECT_EQ(shape_of(*decoder, "1.weight"), (std::vector<int64_t>{256, 512, 3, 3}));
    EXPECT_EQ(shape_of(*decoder, "28.weight"), (std::vector<int64_t>{3, 64, 3, 3}));
}

// Odd sizes: stride-2 convs with padding 1 give ceil(n / 2), the upsampling doubles, so the
// TransformerNet returns 4 * ceil(ceil(n / 2) / 2) (>= n; the caller crops); ceil-mode pooling
// gives the encoder ceil sizes and the decoder returns 8x its input.
TEST(NetsArchitecture, OddSizes) {
    c10::InferenceMode guard;
    TransformerNet net;
    net->eval();
    EXPECT_EQ(net->forward(at::rand({1, 3, 37, 52}) * 255).sizes(), (std::vector<int64_t>{1, 3, 40, 52}));
    EXPECT_EQ(net->forward(at::rand({1, 3, 67, 45}) * 255).sizes(), (std::vector<int64_t>{1, 3, 68, 48}));
    EXPECT_EQ(net->forward(at::rand({1, 3, 5, 5}) * 255).sizes(), (std::vector<int64_t>{1, 3, 8, 8}));

    VggEncoder encoder;
    encoder->eval();
    EXPECT_EQ(encoder->forward(at::rand({1, 3, 67, 45})).sizes(), (std::vector<int64_t>{1, 512, 9, 6}));
    EXPECT_EQ(encoder->forward(at::rand({1, 3, 64, 33})).sizes(), (std::vector<int64_t>{1, 512, 8, 5}));

    AdainDecoder decoder;
    decoder->eval();
    EXPECT_EQ(decoder->forward(at::rand({1, 512, 9, 6})).sizes(), (std::vector<int64_t>{1, 3, 72, 48}));
}

TEST(NetsArchitecture, WrongInputThrowsNtError) {
    TransformerNet net;
    VggEncoder encoder;
    AdainDecoder decoder;
    EXPECT_THROW(net->forward(at::rand({1, 1, 16, 16})), Error);
    EXPECT_THROW(net->forward(at::rand({1, 3, 4, 16})), Error);
    EXPECT_THROW(encoder->forward(at::rand({1, 3, 8, 16})), Error);  // 8 -> 4 -> 2 -> 1: too small to pad
    EXPECT_NO_THROW(encoder->forward(at::rand({1, 3, 9, 9})));       // 9 -> 5 -> 3 -> 2
    EXPECT_THROW(decoder->forward(at::rand({1, 512, 1, 4})), Error);
    EXPECT_THROW(encoder->forward(at::rand({1, 4, 16, 16})), Error);
    EXPECT_THROW(encoder->forward(at::rand({3, 16, 16})), Error);
    EXPECT_THROW(decoder->forward(at::rand({1, 256, 4, 4})), Error);
}

TEST(NetsArchitecture, CancelledFlagStopsEveryNetwork) {
    std::atomic<bool> flag{true};
    const CancelToken cancel(&flag);
    c10::InferenceMode guard;
    TransformerNet net;
    VggEncoder encoder;
    AdainDecoder decoder;
    EXPECT_THROW(net->forward(at::rand({1, 3, 16, 16}), cancel), Cancelled);
    EXPECT_THROW(encoder->forward(at::rand({1, 3, 16, 16}), cancel), Cancelled);
    EXPECT_THROW(decoder->forward(at::rand({1, 512, 2, 2}), cancel), Cancelled);
    flag = false;
    EXPECT_NO_THROW(decoder->forward(at::rand({1, 512, 2, 2}), cancel));
}

// --- feature statistics and AdaIN ---------------------------------------------------------------

TEST(AdainOps, FeatureStatsAreCalcMeanStd) {
    const at::Tensor f = at::randn({1, 8, 5, 7}, at::kDouble) * 3 + 1;
    const FeatureStats s = feature_stats(f);
    const at::Tensor flat = f.view({1, 8, -1});
    EXPECT_TRUE(at::allclose(s.mean, flat.mean(2).view({1, 8, 1, 1})));
    EXPECT_TRUE(at::allclose(s.std, (flat.var(2, /*unbiased=*/true) + 1e-5).sqrt().view({1, 8, 1, 1})));
}

TEST(AdainOps, MaskOfOnesGivesUnmaskedStats) {
    const at::Tensor f = at::randn({1, 8, 5, 7}, at::kDouble);
    const FeatureStats plain = feature_stats(f);
    const FeatureStats masked = feature_stats(f, at::ones({1, 1, 5, 7}, at::kFloat));
    EXPECT_TRUE(at::allclose(plain.mean, masked.mean));
    EXPECT_TRUE(at::allclose(plain.std, masked.std));
}

TEST(AdainOps, MaskWithWeightAtMostOneFallsBackToWholeMap) {
    const at::Tensor f = at::randn({1, 4, 6, 6});
    const FeatureStats plain = feature_stats(f);
    at::Tensor one = at::zeros({1, 1, 6, 6});
    one[0][0][2][3] = 1.0;
    for (const at::Tensor& mask : {at::zeros({1, 1, 6, 6}), one}) {
        const FeatureStats s = feature_stats(f, mask);
        EXPECT_TRUE(at::isfinite(s.std).all().item<bool>());
        EXPECT_TRUE(at::allclose(s.mean, plain.mean));
        EXPECT_TRUE(at::allclose(s.std, plain.std));
    }
}

TEST(AdainOps, MaskOfWrongShapeThrows) {
    const at::Tensor f = at::randn({1, 4, 6, 6});
    EXPECT_THROW(feature_stats(f, at::ones({1, 1, 6, 5})), Error);
    EXPECT_THROW(feature_stats(f, at::ones({1, 2, 6, 6})), Error);
    EXPECT_THROW(feature_stats(at::randn({4, 6, 6})), Error);
}

TEST(AdainOps, AdainMatchesReferenceFormula) {
    const at::Tensor c = at::randn({1, 16, 6, 5}, at::kDouble) * 2 + 0.5;
    const at::Tensor s = at::rand({1, 16, 7, 9}, at::kDouble) * 4;
    const FeatureStats cs = feature_stats(c), ss = feature_stats(s);
    const at::Tensor expected = (c - cs.mean) / cs.std * ss.std + ss.mean;
    EXPECT_TRUE(at::allclose(adain(c, cs, ss), expected, 1e-10, 1e-10));
    // The result has the content's statistics replaced by the style's (up to the eps).
    const FeatureStats out = feature_stats(adain(c, cs, ss));
    EXPECT_TRUE(at::allclose(out.mean, ss.mean, 1e-6, 1e-8));
}

TEST(AdainOps, AdainMixIsWeightedSumOfAdains) {
    const at::Tensor c = at::randn({1, 16, 6, 5});
    const FeatureStats cs = feature_stats(c);
    const std::vector<FeatureStats> styles = {feature_stats(at::rand({1, 16, 4, 4}) * 3),
                                              feature_stats(at::randn({1, 16, 5, 3}) + 2),
                                              feature_stats(at::rand({1, 16, 8, 8}))};
    const at::Tensor mixed = adain_mix(c, styles, {1.0, 2.0, 5.0});
    const at::Tensor expected =
        adain(c, cs, styles[0]) * (1.0 / 8) + adain(c, cs, styles[1]) * (2.0 / 8) + adain(c, cs, styles[2]) * (5.0 / 8);
    EXPECT_LE(test::max_rel_diff(mixed, expected), 1e-5);
    // A single non-zero weight is that style alone.
    EXPECT_LE(test::max_rel_diff(adain_mix(c, styles, {0.0, 3.0, 0.0}), adain(c, cs, styles[1])), 1e-6);
}

void expect_mix_error(const std::vector<FeatureStats>& styles, const std::vector<double>& weights,
                      const std::string& reason) {
    try {
        adain_mix(at::randn({1, 4, 3, 3}), styles, weights);
        ADD_FAILURE() << "accepted; expected: " << reason;
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find(reason), std::string::npos) << e.what();
    }
}

TEST(AdainOps, AdainMixRejectsBadWeights) {
    const FeatureStats s = feature_stats(at::randn({1, 4, 3, 3}));
    expect_mix_error({}, {}, "no styles");
    expect_mix_error({s, s}, {1.0}, "2 styles but 1 weights");
    expect_mix_error({s, s}, {1.0, -0.5}, "must be finite and >= 0");
    expect_mix_error({s}, {std::numeric_limits<double>::quiet_NaN()}, "must be finite and >= 0");
    expect_mix_error({s, s}, {0.0, 0.0}, "all weights are zero");
}

}  // namespace
}  // namespace nt
