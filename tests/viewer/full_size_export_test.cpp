// "Export full size" (issue 24, item 5): the viewer's export of the current settings at the
// content's own resolution equals the CLI's output with --size original; cancelling leaves
// nothing; the memory preflight's refusal is an outcome, never a crash.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <thread>

#include "base/error.h"
#include "imageio/load_image.h"
#include "imageio/save_image.h"
#include "support/temp_dir.h"
#include "support/test_images.h"
#include "support/tiny_models.h"
#include "viewer/io/exclusive_export.h"
#include "viewer/pipeline/full_size_export.h"

using namespace nt;
using namespace nt::viewer;
namespace fs = std::filesystem;

namespace {

// A non-square content at a working size of another shape and size (24 x 16, not 61 x 37).
ViewerState small_state() {
    ViewerState s;
    s.set_image(s.content, "c.png", test::make_pattern(61, 37, 1));
    s.set_image(s.style, "s.png", test::make_pattern(30, 45, 2));
    s.controls.size_preset = SizePreset::Custom;
    s.controls.keep_aspect = false;
    s.controls.custom_width = 24;
    s.controls.custom_height = 16;
    return s;
}

// A stroke across the working-size mask, on.
void paint_mask(ViewerState& s) {
    s.fit_mask();
    s.mask.begin_stroke();
    s.mask.stroke({2, 3, 2, 0.8f, false}, {20, 12, 2, 0.8f, false});
    s.mask_enabled = true;
}

FullSizeOutcome wait_for(FullSizeExport& e) {
    for (int i = 0; i < 120000 && !e.has_outcome(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::optional<FullSizeOutcome> out = e.take();
    if (!out) throw std::runtime_error("the export did not end in 120 s");
    return *out;
}

FullSizeOutcome export_into(const ViewerState& s, const fs::path& dir) {
    FullSizeExport e;
    EXPECT_TRUE(e.start(full_size_request(s, {}),
                        [dir](const Image& im) { return save_numbered_png(im, dir, "stylized_full_size"); }));
    return wait_for(e);
}

// The CLI binary on the same pictures with --size original and `flags`; its output. A method
// without a style picture (fast style: its model is the style) gets the content alone.
Image run_cli(const fs::path& dir, const ViewerState& s, const std::string& flags, bool with_style = true) {
    save_image(s.content.image, dir / "content.png");
    save_image(s.style.image, dir / "style.png");
    const fs::path out = dir / "cli.png";
    const std::string style = with_style ? " '" + (dir / "style.png").string() + "'" : "";
    const std::string command = std::string("'") + NT_CLI_PATH + "' '" + (dir / "content.png").string() + "'" + style +
                                " -o '" + out.string() + "' --size original -q " + flags;
    if (std::system(command.c_str()) != 0) throw std::runtime_error("the CLI failed: " + command);
    return load_image(out);
}

std::size_t files_in(const fs::path& dir) {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir)) ++n;
    return n;
}

}  // namespace

TEST(FullSizeExport, BlendEqualsTheCliAtTheContentsOwnSize) {
    test::TempDir out, cli;
    ViewerState s = small_state();
    s.controls.params["blend"]["alpha"] = 0.7;
    const FullSizeOutcome done = export_into(s, out.path());
    ASSERT_EQ(done.kind, FullSizeOutcome::Kind::Written) << done.error;
    EXPECT_EQ(done.path.filename(), "stylized_full_size_0001.png");
    const Image written = load_image(done.path);
    EXPECT_EQ(written.width, 61);
    EXPECT_EQ(written.height, 37);
    EXPECT_EQ(test::max_abs_diff(written, run_cli(cli.path(), s, "--method blend --alpha 0.7")), 0);
}

// Reinhard with preserved colours and a painted mask: the mask, painted at 24 x 16, and its
// feather (2 working pixels) are scaled to 61 x 37, as the CLI's --mask and --feather of the
// same picture at that size.
TEST(FullSizeExport, MaskAndPreserveColoursEqualTheCli) {
    test::TempDir out, cli;
    ViewerState s = small_state();
    Image dark = test::make_pattern(30, 45, 2);  // a dark style: the stylized region is far from the content
    for (auto& v : dark.pixels) v = static_cast<std::uint8_t>(v / 4);
    s.set_image(s.style, "s.png", dark);
    s.controls.method = "reinhard";
    s.controls.preserve_colors = true;
    s.controls.feather_px = 2.0;
    paint_mask(s);
    const FullSizeOutcome done = export_into(s, out.path());
    ASSERT_EQ(done.kind, FullSizeOutcome::Kind::Written) << done.error;
    save_image(s.mask.to_image(), cli.path() / "mask.png");
    std::ostringstream flags;
    flags.precision(17);
    flags << "--method reinhard --preserve-colors --mask '" << (cli.path() / "mask.png").string() << "' --feather "
          << 2.0 * std::sqrt(61.0 * 37.0 / (24.0 * 16.0));
    const Image expected = run_cli(cli.path(), s, flags.str());
    EXPECT_EQ(test::max_abs_diff(load_image(done.path), expected), 0);
    // The mask did something: the content stays where it is black, so the masked export is
    // nearer the content than the unmasked one.
    s.mask_enabled = false;
    test::TempDir plain;
    const FullSizeOutcome unmasked = export_into(s, plain.path());
    ASSERT_EQ(unmasked.kind, FullSizeOutcome::Kind::Written) << unmasked.error;
    EXPECT_LT(test::mean_abs_diff(expected, s.content.image),
              0.6 * test::mean_abs_diff(load_image(unmasked.path), s.content.image));
}

// An iterative method reports its steps, and its export equals the CLI's run with its parameters.
TEST(FullSizeExport, PatchSynthesisReportsStepsAndEqualsTheCli) {
    test::TempDir out, cli;
    ViewerState s = small_state();
    s.controls.method = "patch_synthesis";
    s.controls.params["patch_synthesis"]["levels"] = 2;
    FullSizeExport e;
    ASSERT_TRUE(e.start(full_size_request(s, {}),
                        [&](const Image& im) { return save_numbered_png(im, out.path(), "stylized_full_size"); }));
    EXPECT_FALSE(e.start(full_size_request(s, {}), [](const Image&) { return fs::path(); }));  // one at a time
    int most_steps = 0, total = 0;
    while (!e.has_outcome()) {
        const FullSizeStatus st = e.status();
        if (st.running) most_steps = std::max(most_steps, st.step), total = std::max(total, st.total);
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    const FullSizeOutcome done = wait_for(e);
    ASSERT_EQ(done.kind, FullSizeOutcome::Kind::Written) << done.error;
    EXPECT_GT(total, 1);
    EXPECT_GT(most_steps, 0);
    EXPECT_FALSE(e.running());
    std::string params;
    for (const auto& [name, value] : current_params(s.controls)) {
        std::ostringstream p;
        p.precision(17);
        p << " --param " << name << "=" << value;
        params += p.str();
    }
    EXPECT_EQ(test::max_abs_diff(load_image(done.path), run_cli(cli.path(), s, "--method patch_synthesis" + params)),
              0);
}

// Cancel stops an iterative run within a step and writes nothing, not even a temporary file;
// destroying a running export (the viewer quitting) cancels and returns.
TEST(FullSizeExport, CancelLeavesNothingBehind) {
    test::TempDir out;
    ViewerState s;
    s.set_image(s.content, "c.png", test::make_pattern(640, 400, 3));
    s.set_image(s.style, "s.png", test::make_pattern(300, 300, 4));
    s.controls.method = "patch_synthesis";
    FullSizeExport e;
    ASSERT_TRUE(e.start(full_size_request(s, {}),
                        [&](const Image& im) { return save_numbered_png(im, out.path(), "stylized_full_size"); }));
    for (int i = 0; i < 60000 && e.status().step < 1 && e.running(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    ASSERT_GE(e.status().step, 1);
    e.cancel();
    EXPECT_TRUE(e.status().cancelling);
    const FullSizeOutcome done = wait_for(e);
    EXPECT_EQ(done.kind, FullSizeOutcome::Kind::Cancelled);
    EXPECT_EQ(files_in(out.path()), 0u);
    {
        FullSizeExport quitting;
        ASSERT_TRUE(quitting.start(full_size_request(s, {}), [&](const Image& im) {
            return save_numbered_png(im, out.path(), "stylized_full_size");
        }));
    }  // the destructor cancels and joins
    EXPECT_EQ(files_in(out.path()), 0u);
}

// A job beyond the memory budget is refused by the core's preflight: a message, nothing written,
// and the next export runs.
TEST(FullSizeExport, TheMemoryPreflightsRefusalIsAMessage) {
    test::TempDir out;
    ViewerState s = small_state();
    s.controls.method = "reinhard";
    FullSizeRequest request = full_size_request(s, {});
    request.options.memory_budget = 1024;  // 1 KiB: nothing fits
    FullSizeExport e;
    ASSERT_TRUE(e.start(std::move(request),
                        [&](const Image& im) { return save_numbered_png(im, out.path(), "stylized_full_size"); }));
    const FullSizeOutcome refused = wait_for(e);
    EXPECT_EQ(refused.kind, FullSizeOutcome::Kind::Failed);
    EXPECT_NE(refused.error.find("61"), std::string::npos) << refused.error;  // names the size
    EXPECT_EQ(files_in(out.path()), 0u);
    ASSERT_TRUE(e.start(full_size_request(s, {}),
                        [&](const Image& im) { return save_numbered_png(im, out.path(), "stylized_full_size"); }));
    EXPECT_EQ(wait_for(e).kind, FullSizeOutcome::Kind::Written);
    EXPECT_EQ(files_in(out.path()), 1u);
}

TEST(FullSizeExport, RequestNeedsPictures) {
    ViewerState s;
    EXPECT_THROW(full_size_request(s, {}), Error);
    s.set_image(s.content, "c.png", test::make_pattern(10, 8, 1));
    s.controls.method = "reinhard";
    EXPECT_THROW(full_size_request(s, {}), Error);  // a style is needed
}

// The networks: fast style (a random-weight model), and AdaIN with an extra style mixed by the
// viewer's weight, each equal to the CLI's --size original with the same model folder.
TEST(FullSizeExport, NetworksEqualTheCli) {
    test::TempDir models, out, cli;
    test::write_random_fast_style(models.path(), "tiny", 3);
    test::write_random_adain(models.path(), 5);
    ViewerState s = small_state();
    s.controls.method = "fast_style";
    s.controls.models["fast_style"] = "tiny";
    FullSizeExport e;
    ASSERT_TRUE(e.start(full_size_request(s, models.path()),
                        [&](const Image& im) { return save_numbered_png(im, out.path(), "stylized_full_size"); }));
    const FullSizeOutcome fast = wait_for(e);
    ASSERT_EQ(fast.kind, FullSizeOutcome::Kind::Written) << fast.error;
    const std::string folder = " --models '" + models.path().string() + "'";
    EXPECT_EQ(test::max_abs_diff(load_image(fast.path),
                                 run_cli(cli.path(), s, "--method fast_style --model tiny" + folder, false)),
              0);

    s.controls.method = "adain";
    s.set_image(s.extra_style, "e.png", test::make_pattern(33, 21, 6));
    s.controls.extra_style_weight = 0.3;
    save_image(s.extra_style.image, cli.path() / "extra.png");
    ASSERT_TRUE(e.start(full_size_request(s, models.path()),
                        [&](const Image& im) { return save_numbered_png(im, out.path(), "stylized_full_size"); }));
    const FullSizeOutcome adain = wait_for(e);
    ASSERT_EQ(adain.kind, FullSizeOutcome::Kind::Written) << adain.error;
    EXPECT_EQ(adain.path.filename(), "stylized_full_size_0002.png");
    const std::string flags =
        "--method adain --extra-style '" + (cli.path() / "extra.png").string() + "' --style-weights 0.7,0.3" + folder;
    EXPECT_EQ(test::max_abs_diff(load_image(adain.path), run_cli(cli.path(), s, flags)), 0);
}
