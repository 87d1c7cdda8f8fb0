// The CPU networks' fused channels-last path (nets/fused_cnn.h, nhwc_epilogue.h) against
// the modules and ATen's own operators: each epilogue step alone, then whole networks in float32
// (the same arithmetic up to summation order) and in bfloat16 (within the format's rounding).
#include <gtest/gtest.h>

#include <atomic>

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>

#include "base/cancel.h"
#include "base/error.h"
#include "nets/adain_net.h"
#include "nets/fused_cnn.h"
#include "nets/nhwc_epilogue.h"
#include "nets/transformer_net.h"
#include "nets_test_util.h"

namespace nt {
namespace {

using test::max_rel_diff;

at::Tensor nhwc(const at::Tensor& t) { return t.contiguous(at::MemoryFormat::ChannelsLast); }

// Random conv weights are the modules' own initialisation; norms get random scales and offsets
// too (PyTorch starts them at 1 and 0, which would leave the affine part untested).
void randomize_norms(torch::nn::Module& m, std::uint64_t seed) {
    at::manual_seed(seed);
    at::NoGradGuard no_grad;
    for (auto& p : m.named_parameters())
        if (p.key().find("in") != std::string::npos && p.value().dim() == 1)
            p.value().copy_(p.key().find(".weight") != std::string::npos ? at::rand_like(p.value()) + 0.5
                                                                         : at::randn_like(p.value()));
}

at::Tensor reference_norm(const at::Tensor& x, const at::Tensor& w, const at::Tensor& b) {
    return at::instance_norm(x, w, b, {}, {}, /*use_input_stats=*/true, 0.1, 1e-5, false);
}

TEST(NhwcEpilogue, InstanceNormReluPadIsAtensChain) {
    at::manual_seed(1);
    // A large mean over a small spread: the shifted sums must not cancel.
    const at::Tensor x = nhwc(at::randn({1, 24, 13, 17}) * 3.0 + 40.0);
    Epilogue e;
    e.norm_weight = at::rand({24}) + 0.5;
    e.norm_bias = at::randn({24});
    e.relu = true;
    e.pad = 2;
    const at::Tensor expected =
        at::reflection_pad2d(reference_norm(x, e.norm_weight, e.norm_bias).relu(), {2, 2, 2, 2});
    const at::Tensor got = apply_epilogue(x, e);
    EXPECT_TRUE(got.is_contiguous(at::MemoryFormat::ChannelsLast));
    EXPECT_LE(max_rel_diff(got, expected), 2e-6);
}

TEST(NhwcEpilogue, ResidualAddsBeforeReluFromAPaddedView) {
    at::manual_seed(2);
    const at::Tensor x = nhwc(at::randn({1, 8, 9, 11}));
    const at::Tensor padded_res = nhwc(at::randn({1, 8, 11, 13}));
    const at::Tensor res = unpadded(padded_res, 1);
    Epilogue e;
    e.norm_weight = at::rand({8}) + 0.5;
    e.norm_bias = at::randn({8});
    e.residual = true;
    e.relu = true;
    e.pad = 1;
    const at::Tensor expected =
        at::reflection_pad2d((reference_norm(x, e.norm_weight, e.norm_bias) + res).relu(), {1, 1, 1, 1});
    EXPECT_LE(max_rel_diff(apply_epilogue(x, e, res), expected), 2e-6);
}

TEST(NhwcEpilogue, UpsampleThenPadIsNearestInterpolation) {
    at::manual_seed(3);
    const at::Tensor x = nhwc(at::randn({1, 5, 7, 6}));
    Epilogue e;
    e.resample = Resample::Upsample2;
    e.pad = 4;
    const at::Tensor up = at::upsample_nearest2d(x, {14, 12}, 2.0, 2.0);
    EXPECT_TRUE(at::equal(apply_epilogue(x, e), at::reflection_pad2d(up, {4, 4, 4, 4})));
}

TEST(NhwcEpilogue, CeilModeMaxPoolOfOddSizes) {
    at::manual_seed(4);
    const at::Tensor x = nhwc(at::randn({1, 6, 9, 7}));
    Epilogue e;
    e.relu = true;
    e.resample = Resample::MaxPool2;
    e.pad = 1;
    const at::Tensor pooled = at::max_pool2d(x.relu(), {2, 2}, {2, 2}, {0, 0}, {1, 1}, /*ceil_mode=*/true);
    ASSERT_EQ(pooled.size(2), 5);
    EXPECT_TRUE(at::equal(apply_epilogue(x, e), at::reflection_pad2d(pooled, {1, 1, 1, 1})));
}

TEST(NhwcEpilogue, Bfloat16IsTheFloatResultRoundedOnce) {
    at::manual_seed(5);
    const at::Tensor x = nhwc(at::randn({1, 16, 10, 12})).to(at::kBFloat16);
    Epilogue e;
    e.norm_weight = at::rand({16}) + 0.5;
    e.norm_bias = at::randn({16});
    e.relu = true;
    e.pad = 1;
    const at::Tensor from_float = apply_epilogue(x.to(at::kFloat), e).to(at::kBFloat16);
    const at::Tensor got = apply_epilogue(x, e);
    EXPECT_EQ(got.scalar_type(), at::kBFloat16);
    // The same float value rounded to nearest even by c10 and by the kernel: equal, bit for bit.
    EXPECT_TRUE(at::equal(got, from_float));
}

// Blocks of 2x2 pixels: pixel_unshuffle's layout with the channel order (s, t, c) instead of (c, s, t).
TEST(NhwcEpilogue, SpaceToDepthWritesTwoByTwoBlocks) {
    at::manual_seed(8);
    const at::Tensor x = nhwc(at::randn({1, 3, 6, 8}));
    Epilogue e;
    e.pad = 1;
    e.space_to_depth = true;
    const at::Tensor padded = at::reflection_pad2d(x, {1, 1, 1, 1});  // 8 x 10
    const at::Tensor expected = at::pixel_unshuffle(padded, 2)        // [1, (c, s, t), 4, 5]
                                    .reshape({1, 3, 4, 4, 5})
                                    .permute({0, 2, 1, 3, 4})
                                    .reshape({1, 12, 4, 5});
    const at::Tensor got = apply_epilogue(x, e);
    ASSERT_EQ(got.sizes(), expected.sizes());
    EXPECT_TRUE(at::equal(got, expected));
    Epilogue odd = e;
    odd.pad = 2;  // 10 x 12 is even too; 7 rows are not
    EXPECT_NO_THROW(apply_epilogue(x, odd));
    EXPECT_THROW(apply_epilogue(nhwc(at::randn({1, 3, 7, 8})), e), Error);
}

TEST(FusedCnn, BlockWeightsOnBlocksAreTheConvolution) {
    at::manual_seed(9);
    for (int k : {3, 9}) {
        const at::Tensor w = at::randn({3, 5, k, k}), b = at::randn({3});
        const at::Tensor padded = at::randn({1, 5, 12 + k - 1, 16 + k - 1});
        auto [w2, b2] = block_weights(w, b);
        EXPECT_EQ(w2.sizes(), (std::vector<int64_t>{12, 20, k / 2 + 1, k / 2 + 1}));
        const at::Tensor blocks = at::pixel_unshuffle(padded, 2)
                                      .reshape({1, 5, 4, padded.size(2) / 2, padded.size(3) / 2})
                                      .permute({0, 2, 1, 3, 4})
                                      .reshape({1, 20, padded.size(2) / 2, padded.size(3) / 2});
        const at::Tensor out = at::conv2d(blocks, w2, b2);  // [1, (a, b, o), 6, 8]
        const at::Tensor pixels =
            at::pixel_shuffle(out.reshape({1, 4, 3, 6, 8}).permute({0, 2, 1, 3, 4}).reshape({1, 12, 6, 8}), 2);
        EXPECT_LE(max_rel_diff(pixels, at::conv2d(padded, w, b)), 1e-6) << "k " << k;
    }
}

TEST(NhwcEpilogue, RefusesWhatItCannotDo) {
    const at::Tensor x = nhwc(at::rand({1, 4, 3, 3}));
    Epilogue too_much_pad;
    too_much_pad.pad = 3;
    EXPECT_THROW(apply_epilogue(x, too_much_pad), Error);
    EXPECT_THROW(apply_epilogue(at::rand({1, 4, 6, 6}), Epilogue{}), Error);  // NCHW: channel stride 6*6
    EXPECT_THROW(apply_epilogue(nhwc(at::rand({1, 4, 6, 6}, at::kDouble)), Epilogue{}), Error);
    Epilogue pool_with_norm;
    pool_with_norm.resample = Resample::MaxPool2;
    pool_with_norm.norm_weight = at::ones({4});
    pool_with_norm.norm_bias = at::zeros({4});
    EXPECT_THROW(apply_epilogue(x, pool_with_norm), Error);
    Epilogue residual;
    residual.residual = true;
    EXPECT_THROW(apply_epilogue(x, residual), Error);  // no residual tensor given
}

TEST(FusedCnn, TransformerNetMatchesTheModuleInFloat32) {
    c10::InferenceMode inference;
    TransformerNet net;
    randomize_norms(*net, 6);
    net->eval();
    const FusedCnn fused = fuse_transformer_net(*net, at::kFloat);
    EXPECT_TRUE(fused.layers().back().block_weight.defined());  // the 9x9 conv to RGB runs on blocks
    for (auto [h, w] : {std::pair{37, 29}, std::pair{64, 48}}) {
        const at::Tensor x = at::rand({1, 3, h, w}) * 255.0;
        const at::Tensor expected = net->forward(x);
        const at::Tensor got = fused.forward(x);
        ASSERT_EQ(got.sizes(), expected.sizes());
        EXPECT_LE(max_rel_diff(got, expected), 1e-5) << w << "x" << h;
    }
}

TEST(FusedCnn, AdainNetworksMatchTheModulesInFloat32) {
    c10::InferenceMode inference;
    VggEncoder encoder;
    AdainDecoder decoder;
    const at::Tensor x = at::rand({1, 3, 45, 38});
    const at::Tensor features = encoder->forward(x);
    const at::Tensor fused_features = fuse_sequential(*encoder, at::kFloat).forward(x);
    ASSERT_EQ(fused_features.sizes(), features.sizes());
    EXPECT_LE(max_rel_diff(fused_features, features), 1e-5);
    const at::Tensor decoded = decoder->forward(features);
    EXPECT_LE(max_rel_diff(fuse_sequential(*decoder, at::kFloat).forward(features), decoded), 1e-5);
}

// bf16 keeps 8 bits of mantissa: each layer's activations are rounded to about 0.4 %, and random
// weights (no trained structure) pass the error on; 4 % of the largest output bounds it here.
TEST(FusedCnn, Bfloat16StaysCloseToFloat32) {
    c10::InferenceMode inference;
    TransformerNet net;
    randomize_norms(*net, 7);
    net->eval();
    const at::Tensor x = at::rand({1, 3, 48, 40}) * 255.0;
    const at::Tensor got = fuse_transformer_net(*net, at::kBFloat16).forward(x);
    EXPECT_EQ(got.scalar_type(), at::kBFloat16);
    EXPECT_LE(max_rel_diff(got, net->forward(x)), 0.04);
    VggEncoder encoder;
    const at::Tensor y = at::rand({1, 3, 40, 40});
    EXPECT_LE(max_rel_diff(fuse_sequential(*encoder, at::kBFloat16).forward(y), encoder->forward(y)), 0.04);
}

TEST(FusedCnn, CancelStopsBeforeTheNextConvolution) {
    c10::InferenceMode inference;
    TransformerNet net;
    const FusedCnn fused = fuse_transformer_net(*net, at::kFloat);
    std::atomic<bool> flag{true};
    EXPECT_THROW(fused.forward(at::rand({1, 3, 16, 16}), CancelToken(&flag)), Cancelled);
}

TEST(FusedCnn, RefusesLayersItDoesNotKnow) {
    torch::nn::Module m;
    m.register_module("0", torch::nn::Conv2d(torch::nn::Conv2dOptions(3, 4, 3).padding(1)));
    EXPECT_THROW(fuse_sequential(m, at::kFloat), Error);
}

}  // namespace
}  // namespace nt
