// Command-line options and how they set the controls.
#include <gtest/gtest.h>

#include <vector>

#include "base/error.h"
#include "viewer/state/viewer_options.h"

using namespace nt;
using namespace nt::viewer;

namespace {

ViewerOptions parse(std::vector<const char*> args) {
    args.insert(args.begin(), "neuraltransfer-viewer");
    return parse_viewer_options(static_cast<int>(args.size()), args.data());
}

}  // namespace

TEST(ViewerOptions, PicturesAndAutomation) {
    const ViewerOptions o = parse({"c.jpg", "s.jpg", "--frames", "5", "--screenshot", "x.png", "--save-result", "r.png",
                                   "--width", "1920", "--height", "1080", "--no-settings"});
    EXPECT_EQ(*o.content_path, "c.jpg");
    EXPECT_EQ(*o.style_path, "s.jpg");
    EXPECT_EQ(o.frames, 5);
    EXPECT_EQ(o.screenshot_path, "x.png");
    EXPECT_EQ(o.save_result_path, "r.png");
    EXPECT_EQ(o.window_width, 1920);
    EXPECT_EQ(o.window_height, 1080);
    EXPECT_TRUE(o.no_settings);
}

TEST(ViewerOptions, MalformedOptionsAreErrors) {
    for (std::vector<const char*> args : std::vector<std::vector<const char*>>{{"--frames"},
                                                                               {"--frames", "0"},
                                                                               {"--frames", "x"},
                                                                               {"--width", "-5"},
                                                                               {"--alpha", "high"},
                                                                               {"--param", "alpha"},
                                                                               {"--bogus"},
                                                                               {"a", "b", "c"},
                                                                               {"--size", "0"},
                                                                               {"--size", "40000"}})
        EXPECT_THROW(parse(args), Error) << args[0];
}

TEST(ViewerOptions, ControlsFromOptions) {
    ControlValues c = default_controls();
    apply_control_options(parse({"--alpha", "0.75", "--size", "long:1024", "--device", "cpu"}), c);
    EXPECT_DOUBLE_EQ(current_params(c).at("alpha"), 0.75);
    EXPECT_EQ(c.size_preset, SizePreset::Side1024);
    EXPECT_TRUE(c.keep_aspect);
    apply_control_options(parse({"--method", "blend", "--param", "alpha=0.1"}), c);
    EXPECT_DOUBLE_EQ(current_params(c).at("alpha"), 0.1);
    EXPECT_EQ(c.precision, Precision::Auto);
    apply_control_options(parse({"--precision", "fp32"}), c);
    EXPECT_EQ(c.precision, Precision::Fp32);
}

TEST(ViewerOptions, InvalidControlValuesAreErrors) {
    ControlValues c = default_controls();
    EXPECT_THROW(apply_control_options(parse({"--alpha", "1.5"}), c), Error);
    EXPECT_THROW(apply_control_options(parse({"--param", "nosuch=1"}), c), Error);
    EXPECT_THROW(apply_control_options(parse({"--method", "nosuch"}), c), Error);
    EXPECT_THROW(apply_control_options(parse({"--size", "0"}), c), Error);
    EXPECT_THROW(apply_control_options(parse({"--device", "tpu"}), c), Error);
    EXPECT_THROW(apply_control_options(parse({"--precision", "fp16"}), c), Error);
    if (!cpu_bf16_support().any()) {
        EXPECT_THROW(apply_control_options(parse({"--precision", "bf16"}), c), Error);
    }
    if (!cuda_available()) {
        EXPECT_THROW(apply_control_options(parse({"--device", "cuda"}), c), Error);
    }
    EXPECT_EQ(c, default_controls());  // a rejected option leaves the controls as they were
}

TEST(ViewerOptions, ColourAndMaskOptions) {
    const ViewerOptions o = parse({"--preserve-colors", "--mask", "m.png", "--feather", "3.5"});
    EXPECT_TRUE(o.preserve_colors);
    EXPECT_EQ(*o.mask_path, "m.png");
    EXPECT_DOUBLE_EQ(*o.feather_px, 3.5);
    ControlValues c = default_controls();
    apply_control_options(o, c);
    EXPECT_TRUE(c.preserve_colors);
    EXPECT_DOUBLE_EQ(c.feather_px, 3.5);
    // Without the flags the controls keep their (e.g. saved) values.
    apply_control_options(parse({}), c);
    EXPECT_TRUE(c.preserve_colors);
    for (std::vector<const char*> args : std::vector<std::vector<const char*>>{{"--feather", "-1"},
                                                                               {"--feather", "501"},
                                                                               {"--feather", "nan"},
                                                                               {"--feather"},
                                                                               {"--mask"},
                                                                               {"--mask", ""}})
        EXPECT_THROW(parse(args), Error) << args[0];
}

// --memory: Export full size's budget, read as the CLI reads it.
TEST(ViewerOptions, MemoryBudgetOfTheFullSizeExport) {
    EXPECT_EQ(parse({}).memory_budget, 0);  // the core's default
    EXPECT_EQ(parse({"--memory", "1500M"}).memory_budget, std::int64_t(1500) << 20);
    EXPECT_THROW(parse({"--memory", "lots"}), Error);
    EXPECT_THROW(parse({"--memory", "0"}), Error);
}
