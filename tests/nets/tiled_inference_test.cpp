// Tiled inference (nets/tiled_inference.h) and thumbnail statistics (nets/norm_tape.h):
// the tiles cover the picture with blend weights that sum to 1, and a network replaying a
// recorded tape computes what it computed while recording, on the module and the fused path.
#include <gtest/gtest.h>

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <torch/nn/module.h>

#include "base/error.h"
#include "image/tensor_convert.h"
#include "nets/fused_cnn.h"
#include "nets/norm_tape.h"
#include "nets/tiled_inference.h"
#include "nets/transformer_net.h"
#include "nets_test_util.h"

namespace nt {
namespace {

using test::max_rel_diff;

TileSettings settings(int tile, int margin, int feather, int align = 8) {
    TileSettings s;
    s.tile = tile;
    s.margin = margin;
    s.feather = feather;
    s.align = align;
    return s;
}

TEST(TiledInference, AnIdentityNetworkGivesThePictureBack) {
    at::InferenceMode inference;
    at::manual_seed(1);
    for (const auto& [h, w] : {std::pair<int, int>{37, 53}, {130, 200}, {64, 64}, {8, 300}}) {
        const at::Tensor picture = at::rand({1, 3, h, w});
        for (const TileSettings& s :
             {settings(32, 8, 16), settings(16, 0, 0), settings(48, 24, 32), settings(24, 4, 8)}) {
            int calls = 0;
            const at::Tensor out = run_tiled(picture, s, [&](const at::Tensor& window, const TileRect&) {
                ++calls;
                return window.clone();
            });
            ASSERT_EQ(out.sizes(), picture.sizes());
            // The weights sum to 1 at every pixel: the picture comes back to float rounding.
            EXPECT_LE((out - picture).abs().max().item<float>(), 1e-6f) << w << "x" << h << " tile " << s.tile;
            EXPECT_EQ(std::size_t(calls), plan_tiles(h, w, s).size());
        }
    }
}

TEST(TiledInference, TilesAreAlignedInsideThePictureAndCoverIt) {
    const TileSettings s = settings(32, 16, 16);
    const std::int64_t h = 101, w = 77;
    at::Tensor covered = at::zeros({h, w}, at::kInt);
    for (const TileRect& t : plan_tiles(h, w, s)) {
        EXPECT_EQ(t.in_y0 % 8, 0);
        EXPECT_EQ(t.in_x0 % 8, 0);
        EXPECT_GE(t.out_y0, t.in_y0);
        EXPECT_GE(t.out_x0, t.in_x0);
        EXPECT_LE(t.out_y0 + t.out_h, t.in_y0 + t.in_h);
        EXPECT_LE(t.out_x0 + t.out_w, t.in_x0 + t.in_w);
        EXPECT_LE(t.in_y0 + t.in_h, h);
        EXPECT_LE(t.in_x0 + t.in_w, w);
        EXPECT_LE(std::max(t.in_h, t.in_w), max_tile_input_side(s));
        // The kept region has its margin of real picture wherever the picture goes on.
        if (t.out_y0 > 0) {
            EXPECT_GE(t.out_y0 - t.in_y0, s.margin);
        }
        if (t.out_y0 + t.out_h < h) {
            EXPECT_GE(t.in_y0 + t.in_h - t.out_y0 - t.out_h, s.margin);
        }
        covered.narrow(0, t.out_y0, t.out_h).narrow(1, t.out_x0, t.out_w).add_(1);
    }
    EXPECT_GE(covered.min().item<int>(), 1);
}

TEST(TiledInference, RefusesBadSettingsAndWrongNetworkOutputs) {
    at::InferenceMode inference;
    EXPECT_THROW(plan_tiles(64, 64, settings(12, 8, 4)), Error);   // not a multiple of the alignment
    EXPECT_THROW(plan_tiles(64, 64, settings(16, 8, 16)), Error);  // feather as wide as the tile
    EXPECT_THROW(plan_tiles(64, 64, settings(16, 8, 3)), Error);   // odd feather
    const at::Tensor picture = at::rand({1, 3, 40, 40});
    EXPECT_THROW(run_tiled(picture, settings(16, 4, 8),
                           [](const at::Tensor& w, const TileRect&) { return w.narrow(2, 0, w.size(2) - 1).clone(); }),
                 Error);
}

TEST(TiledInference, RowsAreHandedOnceTopToBottomInBandsOfARowOfTiles) {
    at::InferenceMode inference;
    at::manual_seed(2);
    const std::int64_t h = 203, w = 90;
    const at::Tensor picture = at::rand({1, 3, h, w});
    const TileSettings s = settings(48, 24, 16);
    auto doubled = [](const at::Tensor& window, const TileRect&) { return window * 2.0; };
    at::Tensor streamed = at::full({1, 3, h, w}, -1.0f);
    std::int64_t next_row = 0, widest_band = 0;
    int bands = 0;
    run_tiled_rows(
        h, w, s, [&](const TileRect& r) { return picture.narrow(2, r.in_y0, r.in_h).narrow(3, r.in_x0, r.in_w); },
        doubled,
        [&](std::int64_t y0, const at::Tensor& rows) {
            EXPECT_EQ(y0, next_row);  // in order, none twice, none skipped
            ASSERT_EQ(rows.size(3), w);
            next_row = y0 + rows.size(2);
            widest_band = std::max(widest_band, rows.size(2));
            ++bands;
            streamed.narrow(2, y0, rows.size(2)).copy_(rows);
        });
    EXPECT_EQ(next_row, h);
    // 203 rows in tiles of 48: borders at 48, 96 and 144 (the last 11 rows join the tile above).
    EXPECT_EQ(bands, 4);
    // Only a row of tiles is held: a tile's rows and a feather, the last one's 11 more.
    EXPECT_LE(widest_band, s.tile + 2 * s.feather);
    // Bit for bit what run_tiled gives over the whole tensor.
    EXPECT_TRUE(at::equal(streamed, run_tiled(picture, s, doubled)));
    EXPECT_LE((streamed - picture * 2.0).abs().max().item<float>(), 1e-6f);
}

TEST(TiledInference, ThumbnailOfAPictureStripByStripIsTheTensorsBitForBit) {
    at::InferenceMode inference;
    // Taller than one strip of 256 rows and not a multiple of it; longer than the thumbnail.
    Image picture(1300, 701);
    std::uint32_t state = 12345;
    for (std::uint8_t& v : picture.pixels) v = std::uint8_t((state = state * 1664525u + 1013904223u) >> 24);
    const at::Tensor from_image = thumbnail_of(picture, at::kCPU);
    const at::Tensor from_tensor = thumbnail_of(image_to_tensor(picture, at::kCPU));
    ASSERT_EQ(from_image.sizes(), (at::IntArrayRef{1, 3, 552, 1024}));
    EXPECT_TRUE(at::equal(from_image, from_tensor));
    // Within a rounding of the one-pass resize it replaces.
    EXPECT_LE((from_tensor - at::_upsample_bilinear2d_aa(image_to_tensor(picture, at::kCPU), {552, 1024}, false))
                  .abs()
                  .max()
                  .item<float>(),
              1e-5f);
    // A small picture is its own thumbnail.
    const Image small(300, 200);
    EXPECT_TRUE(at::equal(thumbnail_of(small, at::kCPU), image_to_tensor(small, at::kCPU)));
}

TEST(TiledInference, ThumbnailKeepsTheAspectAtItsLongSide) {
    EXPECT_EQ(thumbnail_size(600, 800), (std::pair<std::int64_t, std::int64_t>{600, 800}));
    EXPECT_EQ(thumbnail_size(4000, 6000), (std::pair<std::int64_t, std::int64_t>{683, 1024}));
    EXPECT_EQ(thumbnail_size(6000, 4000), (std::pair<std::int64_t, std::int64_t>{1024, 683}));
}

void randomize_norms(torch::nn::Module& m, std::uint64_t seed) {
    at::manual_seed(seed);
    at::NoGradGuard no_grad;
    for (auto& p : m.named_parameters())
        if (p.key().find("in") != std::string::npos && p.value().dim() == 1)
            p.value().copy_(p.key().find(".weight") != std::string::npos ? at::rand_like(p.value()) + 0.5
                                                                         : at::randn_like(p.value()));
}

TEST(NormTape, ReplayingARecordingComputesTheSameOnModuleAndFusedPaths) {
    TransformerNet net;
    net->eval();
    randomize_norms(*net, 3);
    at::InferenceMode inference;
    at::manual_seed(4);
    const at::Tensor x = at::rand({1, 3, 36, 44}) * 255.0;
    const at::Tensor plain = net->forward(x);
    NormTape tape;
    tape.record();
    const at::Tensor recorded = net->forward(x, {}, &tape);
    EXPECT_EQ(tape.size(), 15u);  // in1..in3, two per residual block, in4, in5
    EXPECT_LE(max_rel_diff(recorded, plain), 1e-5);
    tape.replay();
    EXPECT_LE(max_rel_diff(net->forward(x, {}, &tape), plain), 1e-5);

    // The fused path reads the same tape: replaying the module's recording gives the module's output.
    const FusedCnn fused = fuse_transformer_net(*net, at::kFloat);
    tape.replay();
    EXPECT_LE(max_rel_diff(fused.forward(x, {}, &tape), plain), 1e-5);
    NormTape fused_tape;
    fused_tape.record();
    fused.forward(x, {}, &fused_tape);
    ASSERT_EQ(fused_tape.size(), 15u);

    // A tile replaying the whole picture's statistics is not the tile normalised by itself.
    const at::Tensor tile = x.narrow(2, 0, 16).narrow(3, 0, 20).contiguous();
    tape.replay();
    const at::Tensor with_whole = net->forward(tile, {}, &tape);
    EXPECT_GT(max_rel_diff(with_whole, net->forward(tile)), 1e-2);
}

TEST(NormTape, ReplayBeyondTheRecordingOrWithOtherChannelsIsAnError) {
    TransformerNet net;
    net->eval();
    at::InferenceMode inference;
    NormTape tape;
    tape.record();
    tape.next(4, [] { return NormStats{at::zeros({4}), at::ones({4})}; });
    tape.replay();
    EXPECT_THROW(net->forward(at::rand({1, 3, 16, 16}), {}, &tape), Error);  // 32 channels, not 4
    tape.replay();
    tape.next(4, [] { return NormStats{}; });
    EXPECT_THROW(tape.next(4, [] { return NormStats{}; }), Error);
}

}  // namespace
}  // namespace nt
