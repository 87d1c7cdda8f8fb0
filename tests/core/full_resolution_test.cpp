// Full resolution in bounded memory: the networks run on tiles with the whole picture's
// statistics and agree with the whole-picture run (random weights: only the arithmetic is under
// test, never the look), and the memory preflight plans tiles or refuses a job before it starts.
#include <gtest/gtest.h>

#include <ATen/ATen.h>

#include <cstdio>
#include <string>
#include <tuple>
#include <vector>

#include "base/error.h"
#include "stylize/memory_budget.h"
#include "nets/gatys_levels.h"
#include "nets/neural_stylizer.h"
#include "nets/tiled_inference.h"
#include "nets/transformer_net.h"
#include "stylize/stylize.h"
#include "image/mask.h"
#include "image/tensor_convert.h"
#include "support/method_run.h"
#include "support/temp_dir.h"
#include "support/test_images.h"
#include "support/tiny_models.h"
#include "stylize/registry.h"

namespace nt {
namespace {

constexpr std::int64_t kMiB = 1 << 20;

NeuralOptions fp32() {
    NeuralOptions o;
    o.precision = Precision::Fp32;
    return o;
}

// A picture with structure (gradients, edges, fine detail) rather than noise.
at::Tensor photo(int w, int h, int seed) { return image_to_tensor(test::make_pattern(w, h, seed), at::kCPU); }

// Mean absolute difference in 8-bit levels.
double mean_levels(const at::Tensor& a, const at::Tensor& b) { return (a - b).abs().mean().item<double>() * 255.0; }

class TiledNetworks : public ::testing::Test {
protected:
    void SetUp() override {
        test::write_random_fast_style(dir_.path(), "candy", 1);
        test::write_random_adain(dir_.path(), 2);
    }
    static test::NeuralRun request(const std::string& method, const at::Tensor& content, int tile) {
        test::NeuralRun r = test::neural_run(method, content);
        r.model = "candy";
        r.tile = tile;
        return r;
    }
    test::TempDir dir_;
};

TEST_F(TiledNetworks, FastStyleInTinyTilesIsTheWholeRun) {
    NeuralStylizer neural(scan_models(dir_.path()), fp32());
    at::InferenceMode inference;
    // Big enough that tiles of 32 (margin 32) see only part of it.
    const at::Tensor content = photo(256, 184, 3);
    const at::Tensor whole = test::run(neural, request("fast_style", content, 0));
    for (int tile : {32, 64}) {
        const at::Tensor tiled = test::run(neural, request("fast_style", content, tile));
        ASSERT_EQ(tiled.sizes(), whole.sizes());
        std::printf("fast style (random weights), tiles of %d against whole: %.3f levels\n", tile,
                    mean_levels(tiled, whole));
        EXPECT_LE(mean_levels(tiled, whole), 1.0) << "tile " << tile;
    }
    // The same tiles, each normalised by its own statistics (no thumbnail): far from the whole
    // run, which is what the thumbnail's statistics are for.
    TransformerNet net = load_transformer_net(dir_ / "fast_style/candy.safetensors");
    const at::Tensor naive = run_tiled(content, network_tile_settings(32), [&](const at::Tensor& w, const TileRect&) {
        return net->forward(w * 255.0).narrow(2, 0, w.size(2)).narrow(3, 0, w.size(3)).div(255.0).clamp(0.0, 1.0);
    });
    std::printf("... each tile normalised by itself: %.3f levels\n", mean_levels(naive, whole));
    EXPECT_GT(mean_levels(naive, whole), 3.0);
}

TEST_F(TiledNetworks, AdainInTinyTilesIsTheWholeRunWithAndWithoutAMask) {
    NeuralStylizer neural(scan_models(dir_.path()), fp32());
    at::InferenceMode inference;
    // Big enough that the tiles (32: margin 32; 64: margin 64) see only part of it.
    const at::Tensor content = photo(320, 176, 4), style = photo(64, 64, 5), extra_style = photo(48, 40, 6);
    test::NeuralRun r = request("adain", content, 0);
    r.styles = {style, extra_style};
    r.style_weights = {0.3, 0.7};
    r.params["alpha"] = 0.8;
    const at::Tensor whole = test::run(neural, r);
    r.tile = 32;
    const double unmasked = mean_levels(test::run(neural, r), whole);
    std::printf("adain (random weights), tiles of 32 against whole: %.3f levels\n", unmasked);
    EXPECT_LE(unmasked, 1.0);

    // A mask: statistics per region, the extra style in the black region.
    at::Tensor mask = at::zeros({1, 1, 176, 320});
    mask.narrow(3, 0, 130).fill_(1.0);
    r.mask = mask;
    r.style_weights.clear();
    r.tile = 0;
    const at::Tensor whole_masked = test::run(neural, r);
    r.tile = 64;
    const double masked = mean_levels(test::run(neural, r), whole_masked);
    std::printf("adain with a mask, tiles of 64 against whole: %.3f levels\n", masked);
    EXPECT_LE(masked, 1.0);
}

TEST(MemoryBudget, ParsesSizesInBinaryUnits) {
    EXPECT_EQ(parse_memory_size("4G"), 4LL << 30);
    EXPECT_EQ(parse_memory_size("2.5GiB"), 5LL << 29);
    EXPECT_EQ(parse_memory_size("800m"), 800LL << 20);
    EXPECT_EQ(parse_memory_size("1500MB"), 1500LL << 20);
    EXPECT_EQ(parse_memory_size("65536"), 65536);
    for (const char* bad : {"", "G", "4X", "-1G", "0", "1.2.3G", "4 G", "99999999999T"})
        EXPECT_THROW(parse_memory_size(bad), Error) << bad;
    try {
        parse_memory_size("lots");
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("--memory lots"), std::string::npos) << e.what();
    }
}

TEST(MemoryBudget, TheDefaultComesFromTheFreeMemory) {
    // The free memory moves with every other process (a build beside the tests failed the exact
    // comparison): compare with a budget read while it stood still, read before and after.
    bool compared = false;
    for (int attempt = 0; attempt < 1000 && !compared; ++attempt) {
        const std::int64_t before = available_memory_bytes();
        const std::int64_t budget = default_memory_budget();
        if (available_memory_bytes() != before) continue;
        ASSERT_GT(before, 0);  // Linux: /proc/meminfo
        EXPECT_EQ(budget, before / 5 * 4);
        compared = true;
    }
    EXPECT_TRUE(compared) << "the free memory never stood still for three reads";
    EXPECT_EQ(memory_text(3LL << 29), "1.5 GiB");
    EXPECT_EQ(memory_text(300 * kMiB), "300 MiB");
}

TEST(MemoryBudget, PlansWholeThenTilesThenRefuses) {
    const MethodInfo& fast = method_by_name("fast_style").info();
    const Size2 big{6000, 4000};
    // Enough for the whole picture: no tiles.
    MemoryPlan plan = plan_memory(fast, big, big, 1LL << 50);
    EXPECT_EQ(plan.tile, 0);
    EXPECT_EQ(plan.estimate, pipeline_bytes(fast, big, big) + fast.memory.bytes(24'000'000));
    // Less: the largest tile that fits.
    const std::int64_t budget = 3LL << 30;
    plan = plan_memory(fast, big, big, budget);
    EXPECT_GT(plan.tile, 0);
    EXPECT_LE(plan.estimate, budget);
    for (int side : kAutoTileSides)
        if (side > plan.tile) {
            EXPECT_GT(plan_memory(fast, big, big, 1LL << 50, side).estimate, budget) << side;
        }
    // A forced tile is kept whatever the budget allows.
    EXPECT_EQ(plan_memory(fast, {512, 512}, {512, 512}, 1LL << 50, 64).tile, 64);
    // Nothing fits: one line with the size, the need and the budget.
    try {
        plan_memory(fast, big, big, 100 * kMiB);
        FAIL();
    } catch (const Error& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("6000x4000 with fast_style"), std::string::npos) << m;
        EXPECT_NE(m.find("needs about"), std::string::npos) << m;
        EXPECT_NE(m.find("100 MiB"), std::string::npos) << m;
        EXPECT_EQ(m.find('\n'), std::string::npos);
    }
    // A method that does not tile is refused when the whole job does not fit, and takes no tile.
    const MethodInfo& blend = method_by_name("blend").info();
    EXPECT_EQ(plan_memory(blend, big, big, 8LL << 30).tile, 0);
    EXPECT_THROW(plan_memory(blend, big, big, 100 * kMiB), Error);
    EXPECT_THROW(plan_memory(blend, {64, 64}, {64, 64}, 1LL << 50, 64), Error);
}

// In tiles nt::stylize streams the picture through them as 8-bit: the pipeline holds 6 to 9 bytes
// a pixel and a few bands of rows, not the 32 of whole float pictures, so a 48 MP picture now fits
// 2.5 GiB in tiles (it was refused: "needs about 2.6 GiB of memory even in tiles of 256 px").
TEST(MemoryBudget, InTilesThePictureCostsOnlyItsEightBitCopies) {
    const MethodInfo& fast = method_by_name("fast_style").info();
    const Size2 mp48{8000, 6000}, mp24{5657, 4243}, mp4{2309, 1732};
    // From 24 to 48 MP: 9 bytes a pixel (the picture loaded, the result, the encoder's) and bands
    // a little wider, where the whole pipeline grows by 32.
    const double growth =
        double(streamed_pipeline_bytes(fast, mp48, mp48, 512) - streamed_pipeline_bytes(fast, mp24, mp24, 512)) /
        (8000.0 * 6000 - 5657.0 * 4243);
    EXPECT_GE(growth, 9.0);
    EXPECT_LE(growth, 12.0);
    EXPECT_GE(
        double(pipeline_bytes(fast, mp48, mp48) - pipeline_bytes(fast, mp24, mp24)) / (8000.0 * 6000 - 5657.0 * 4243),
        32.0);
    // A resized working picture adds its 8-bit copy.
    EXPECT_EQ(streamed_pipeline_bytes(fast, mp4, mp48, 512) - streamed_pipeline_bytes(fast, mp4, mp4, 512),
              std::int64_t(3) * (8000 * 6000 - 2309 * 1732) + std::int64_t(3) * 2309 * 1732);
    const MemoryPlan plan = plan_memory(fast, mp48, mp48, 5LL << 29);
    EXPECT_GT(plan.tile, 0);
    EXPECT_LE(plan.estimate, 5LL << 29);
}

// A mask is held whole at the working size, in tiles or not: the preflight counts it.
TEST(MemoryBudget, AMaskIsCountedAtTheWorkingSize) {
    StylizeOptions o;
    o.method = "reinhard";
    o.size = parse_size_spec("original");
    o.memory_budget = 1LL << 40;
    const Image content(300, 200);
    const std::int64_t plain = plan_stylize_memory(content, o).estimate;
    o.mask = Image(30, 20);
    EXPECT_EQ(plan_stylize_memory(content, o).estimate - plain, kMaskBytesPerPixel * 300 * 200);
    o.mask.reset();
    o.mask_classes = {"person"};
    EXPECT_EQ(plan_stylize_memory(content, o).estimate - plain, kMaskBytesPerPixel * 300 * 200);
}

// AdaIN's thumbnail runs its encoder only; charged as a whole run, it alone kept a 24 MP AdaIN
// job out of a 2.5 GiB budget ("needs about 3.0 GiB even in tiles of 256"), which measured 2.16
// GiB in tiles of 512.
TEST(MemoryBudget, AdainsThumbnailIsChargedForItsEncoderOnly) {
    const MethodInfo& adain = method_by_name("adain").info();
    EXPECT_DOUBLE_EQ(adain.memory.thumbnail_share, 0.5);
    EXPECT_EQ(adain.memory.thumbnail_bytes(1000),
              adain.memory.fixed_bytes + std::int64_t(adain.memory.bytes_per_pixel * 500));
    EXPECT_DOUBLE_EQ(method_by_name("fast_style").info().memory.thumbnail_share, 1.0);  // its thumbnail is a whole run
    const Size2 big{5657, 4243};
    const MemoryPlan plan = plan_memory(adain, big, big, 5LL << 29, 0, true);
    EXPECT_EQ(plan.tile, 512);
    EXPECT_LE(plan.estimate, 5LL << 29);
}

TEST(MemoryBudget, StylizeRefusesAJobBeyondTheBudgetBeforeAnyWork) {
    StylizeOptions o;
    o.method = "blend";
    o.size = parse_size_spec("original");
    o.memory_budget = 1 * kMiB;
    const Image content = test::make_pattern(800, 600, 1), style = test::make_pattern(64, 64, 2);
    try {
        stylize(content, style, o);
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("800x600 with blend: needs about"), std::string::npos) << e.what();
    }
    o.memory_budget = 1LL << 30;
    EXPECT_EQ(stylize(content, style, o).width, 800);
}

TEST_F(TiledNetworks, StylizeTilesWhenTheBudgetAsksAndTheResultAgrees) {
    StylizeOptions o;
    o.method = "fast_style";
    o.model = "candy";
    o.models_dir = dir_.path();
    o.size = parse_size_spec("original");
    o.device = DeviceChoice::Cpu;
    o.precision = Precision::Fp32;
    const Image content = test::make_pattern(120, 96, 7);
    o.memory_budget = 1LL << 40;
    EXPECT_EQ(plan_stylize_memory(content, o).tile, 0);
    const Image whole = stylize(content, Image(), o);
    o.tile = 32;
    EXPECT_EQ(plan_stylize_memory(content, o).tile, 32);
    // Its tiles are its steps, with no estimate: the CLI's bar and the viewer's export show them.
    std::vector<StepReport> reports;
    const Image tiled = stylize(content, Image(), o, nullptr, [&](const StepReport& r) { reports.push_back(r); });
    ASSERT_EQ(reports.size(), plan_tiles(96, 120, network_tile_settings(32)).size());
    for (std::size_t i = 0; i < reports.size(); ++i) {
        EXPECT_EQ(reports[i].step, int(i) + 1);
        EXPECT_EQ(reports[i].total, int(reports.size()));
        EXPECT_FALSE(reports[i].estimate.defined());
    }
    EXPECT_EQ(reports.back().stage, "tiles");
    ASSERT_EQ(tiled.pixels.size(), whole.pixels.size());
    double total = 0;
    for (std::size_t i = 0; i < whole.pixels.size(); ++i)
        total += std::abs(int(tiled.pixels[i]) - int(whole.pixels[i]));
    EXPECT_LE(total / double(whole.pixels.size()), 1.0);
}

// In tiles, nt::stylize streams the picture through them as 8-bit (never whole in float): its
// result must be the tensor path's, Method::run in tiles then finish_stylized, bit for bit, with
// the strength mix, preserved colours and a mask (the thumbnail's strips: TiledInference.*).
TEST_F(TiledNetworks, StylizeStreamsTheTilesAsTheTensorRunComputesThem) {
    const int w = 260, h = 150;
    const Image content = test::make_pattern(w, h, 8), style = test::make_pattern(96, 80, 9);
    const Image mask_picture = test::make_pattern(w, h, 10);
    for (const std::string method : {"fast_style", "adain"}) {
        StylizeOptions o;
        o.method = method;
        o.model = "candy";
        o.models_dir = dir_.path();
        o.size = parse_size_spec("original");
        o.device = DeviceChoice::Cpu;
        o.precision = Precision::Fp32;
        o.params = {{method == "adain" ? "alpha" : "strength", 0.6}};
        o.preserve_colors = true;
        o.mask = mask_picture;
        o.tile = 64;
        const Image streamed = stylize(content, method == "adain" ? style : Image(), o);

        NeuralStylizer neural(scan_models(dir_.path()), fp32());
        at::InferenceMode inference;
        const MethodInfo& info = method_by_name(method).info();
        const at::Tensor content_t = image_to_tensor(content);
        const at::Tensor mask = feather_mask(mask_to_tensor(mask_picture, w, h, at::kCPU), 0.0);
        test::NeuralRun r = request(method, content_t, 64);
        r.params = resolve_params(info, o.params);
        if (method == "adain") r.styles = {image_to_tensor(style_for_method(info, style, {w, h}))};
        if (info.reads_mask) r.mask = mask;
        const Image expected = tensor_to_image(finish_stylized(content_t, test::run(neural, r), true, mask));
        ASSERT_EQ(streamed.pixels.size(), expected.pixels.size());
        std::size_t differing = 0;
        for (std::size_t i = 0; i < expected.pixels.size(); ++i) differing += streamed.pixels[i] != expected.pixels[i];
        EXPECT_EQ(differing, 0u) << method;
    }
}

TEST(GatysLevels, DoubleFromAFirstLevelOf512To1023WithHalfTheIterationsEach) {
    auto sizes = [](const std::vector<GatysLevel>& levels) {
        std::vector<std::tuple<std::int64_t, std::int64_t, int>> out;
        for (const GatysLevel& l : levels) out.emplace_back(l.height, l.width, l.iterations);
        return out;
    };
    using T = std::tuple<std::int64_t, std::int64_t, int>;
    EXPECT_EQ(sizes(gatys_levels(800, 1000, 300)), (std::vector<T>{{800, 1000, 300}}));
    EXPECT_EQ(sizes(gatys_levels(1536, 2048, 300)),
              (std::vector<T>{{384, 512, 300}, {768, 1024, 150}, {1536, 2048, 75}}));
    EXPECT_EQ(sizes(gatys_levels(3000, 4000, 100)),
              (std::vector<T>{{750, 1000, 100}, {1500, 2000, 50}, {3000, 4000, 25}}));
    EXPECT_EQ(sizes(gatys_levels(4000, 600, 40)).front(), (T{1000, 150, 40}));
    EXPECT_EQ(std::get<2>(sizes(gatys_levels(8192, 8192, 40)).back()), 4);  // at least a tenth
    EXPECT_EQ(gatys_level_steps(gatys_levels(3000, 4000, 100)), 175);
    EXPECT_EQ(method_by_name("gatys").total_steps(3000, 4000, {{"iterations", 100}}), 175);
}

TEST(MemoryBudget, GatysOptimisesUpToTheLargestSizeThatFits) {
    const MethodInfo& gatys = method_by_name("gatys").info();
    const Size2 big{4000, 3000};
    EXPECT_EQ(plan_memory(gatys, big, big, 1LL << 50).top, Size2{});  // fits: the working size itself
    const std::int64_t budget = 4LL << 30;
    const MemoryPlan plan = plan_memory(gatys, big, big, budget);
    ASSERT_GT(plan.top.width, 64);
    EXPECT_LT(plan.top.width, 4000);
    EXPECT_NEAR(double(plan.top.width) / plan.top.height, 4.0 / 3.0, 0.02);  // the aspect kept
    EXPECT_LE(plan.estimate, budget);
    EXPECT_GT(
        pipeline_bytes(gatys, big, big) + gatys.memory.bytes(std::int64_t(plan.top.width + 8) * (plan.top.height + 6)),
        budget);  // and it is the largest
    EXPECT_THROW(plan_memory(gatys, big, big, 256 * kMiB), Error);
}

}  // namespace
}  // namespace nt
