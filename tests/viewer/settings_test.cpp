// Settings file: round trip, tolerance for unknown keys, corrupt files reported and never fatal.
#include <gtest/gtest.h>

#include <cstdlib>

#include "base/error.h"
#include "support/temp_dir.h"
#include "support/test_images.h"
#include "viewer/state/settings.h"

using namespace nt;
using namespace nt::viewer;

namespace {

ViewerSettings sample() {
    ViewerSettings s;
    s.content_path = "/pictures/cat photo.jpg";
    s.style_path = "relative/style=odd.png";
    s.controls.params["blend"]["alpha"] = 0.123456789;
    s.controls.size_preset = SizePreset::Custom;
    s.controls.keep_aspect = true;
    s.controls.custom_width = 900;
    s.controls.custom_height = 300;
    s.recent_files = {"/a.jpg", "/b.png"};
    s.controls.preserve_colors = true;
    s.controls.precision = Precision::Fp32;
    s.controls.feather_px = 12.25;
    s.controls.brush_size = 77;
    s.controls.brush_hardness = 0.3f;
    s.controls.segmentation_model = "people";
    s.wipe_enabled = true;
    s.mask_overlay = false;
    s.show_ui = false;
    s.window_width = 1600;
    s.window_height = 900;
    return s;
}

}  // namespace

TEST(ViewerSettings, RoundTripKeepsEveryValue) {
    const ViewerSettings in = sample();
    const ViewerSettings out = parse_settings(format_settings(in));
    EXPECT_EQ(out.content_path, in.content_path);
    EXPECT_EQ(out.style_path, in.style_path);
    EXPECT_EQ(out.controls, in.controls);
    EXPECT_EQ(out.recent_files, in.recent_files);
    EXPECT_EQ(out.wipe_enabled, true);
    EXPECT_EQ(out.mask_overlay, false);
    EXPECT_EQ(out.show_ui, false);
    EXPECT_EQ(out.window_width, 1600);
    EXPECT_EQ(out.window_height, 900);
}

TEST(ViewerSettings, EmptyTextGivesDefaults) {
    const ViewerSettings s = parse_settings("");
    EXPECT_EQ(s.controls, default_controls());
    EXPECT_TRUE(s.content_path.empty());
}

TEST(ViewerSettings, UnknownKeysAndMethodsAreSkipped) {
    const ViewerSettings s = parse_settings("future_key=1\nparam.nosuchmethod.x=5\n# comment\n\nsize=1024\r\n");
    EXPECT_EQ(s.controls.size_preset, SizePreset::Side1024);
}

// The extra style's weight was saved as style2_weight before it had one name: such a file keeps it.
TEST(ViewerSettings, TheExtraStyleWeightIsReadUnderItsOlderNameToo) {
    EXPECT_DOUBLE_EQ(parse_settings("style2_weight=0.25\n").controls.extra_style_weight, 0.25);
    EXPECT_DOUBLE_EQ(parse_settings("extra_style_weight=0.75\n").controls.extra_style_weight, 0.75);
    EXPECT_NE(format_settings(parse_settings("style2_weight=0.25\n")).find("extra_style_weight=0.25"),
              std::string::npos);
}

TEST(ViewerSettings, CorruptLinesAreReportedWithTheirNumber) {
    for (const char* text :
         {"size=1024\nthis is not a setting\n", "param.blend.alpha=7\n", "param.blend.alpha=abc\n", "method=nosuch\n",
          "keep_aspect=maybe\n", "custom_width=-3\n", "version=99\n", "feather=600\n", "brush_size=0\n",
          "brush_hardness=2\n", "preserve_colors=yes\n", "precision=fp8\n"}) {
        try {
            parse_settings(text);
            ADD_FAILURE() << "accepted: " << text;
        } catch (const Error& e) {
            EXPECT_NE(std::string(e.what()).find("line "), std::string::npos) << e.what();
        }
        std::vector<std::string> problems;
        parse_settings(text, &problems);
        ASSERT_EQ(problems.size(), 1u) << text;
        EXPECT_EQ(problems[0].rfind("line ", 0), 0u) << problems[0];
    }
}

TEST(ViewerSettings, ABadLineIsSkippedAndEverythingElseKept) {
    ViewerSettings in = sample();
    std::string text = format_settings(in);
    // A bad value in the middle, and a broken line: only these two are lost.
    const std::string bad = "brush_hardness=2\nthis line is broken\n";
    text.insert(text.find("recent="), bad);
    std::vector<std::string> problems;
    const ViewerSettings out = parse_settings(text, &problems);
    ASSERT_EQ(problems.size(), 2u);
    EXPECT_NE(problems[0].find("brush_hardness"), std::string::npos) << problems[0];
    EXPECT_EQ(out.recent_files, in.recent_files);  // the recent files survive
    EXPECT_EQ(out.content_path, in.content_path);
    EXPECT_EQ(out.controls, in.controls);  // brush_hardness kept its earlier line's value
}

TEST(ViewerSettings, FileRoundTripAndCorruptFileKeepsItsGoodLinesWithMessage) {
    test::TempDir dir;
    const auto path = dir / "sub" / "viewer.conf";
    EXPECT_FALSE(load_settings_file(path).settings);  // absent: no error, no settings
    EXPECT_FALSE(load_settings_file(path).damaged());
    save_settings_file(path, sample());
    const LoadedSettings loaded = load_settings_file(path);
    ASSERT_TRUE(loaded.settings);
    EXPECT_FALSE(loaded.damaged());
    EXPECT_EQ(loaded.settings->controls, sample().controls);
    EXPECT_EQ(test::folder_entries(dir / "sub"), std::vector<std::string>{"viewer.conf"});  // no temp left

    test::write_bytes(path, {0x00, 0xFF, 0x13, '\n', 'x', '\n', 's', 'i', 'z', 'e', '=', '2', '5', '6', '\n'});
    const LoadedSettings corrupt = load_settings_file(path);
    ASSERT_TRUE(corrupt.settings);
    EXPECT_TRUE(corrupt.damaged());
    EXPECT_EQ(corrupt.problems.size(), 2u);
    EXPECT_EQ(corrupt.settings->controls.size_preset, SizePreset::Side256);
}

TEST(ViewerSettings, KeepCopyNeverReplacesAndSurvivesARewrite) {
    test::TempDir dir;
    const auto path = dir / "viewer.conf";
    test::write_bytes(path, {'o', 'l', 'd', '\n'});
    const auto first = keep_copy(path);
    EXPECT_EQ(first.filename(), "viewer.conf.bad");
    const auto second = keep_copy(path);
    EXPECT_EQ(second.filename(), "viewer.conf.bad-2");
    save_settings_file(path, sample());  // the rewrite on exit
    EXPECT_EQ(read_text_file(first).value_or(""), "old\n");
    EXPECT_EQ(read_text_file(second).value_or(""), "old\n");
    EXPECT_THROW(keep_copy(dir / "absent.conf"), Error);
}

TEST(ViewerSettings, TheMaskAndFolderEntriesRoundTrip) {
    ViewerSettings in = sample();
    in.mask_content = "/pictures/cat photo.jpg";
    in.mask_enabled = true;
    in.export_dir = "/exports/today";
    in.models_dir = "/models/mine";
    const ViewerSettings out = parse_settings(format_settings(in));
    EXPECT_EQ(out.mask_content, in.mask_content);
    EXPECT_TRUE(out.mask_enabled);
    EXPECT_EQ(out.export_dir, in.export_dir);
    EXPECT_EQ(out.models_dir, in.models_dir);
}

TEST(ViewerSettings, FolderFollowsXdgConfigHome) {
    const char* old = std::getenv("XDG_CONFIG_HOME");
    const std::string saved = old ? old : "";
    setenv("XDG_CONFIG_HOME", "/tmp/xdg-test", 1);
    EXPECT_EQ(settings_dir(), std::filesystem::path("/tmp/xdg-test/neuraltransfer"));
    setenv("XDG_CONFIG_HOME", "relative/is/ignored", 1);
    EXPECT_NE(settings_dir(), std::filesystem::path("relative/is/ignored/neuraltransfer"));
    if (old) setenv("XDG_CONFIG_HOME", saved.c_str(), 1);
    else unsetenv("XDG_CONFIG_HOME");
}

// Issue 26: the file held enum indices ("optimizer=1") and float noise ("0.30000001192092896").
TEST(ViewerSettings, ChoicesAreWrittenByNameAndNumbersWithoutNoise) {
    ViewerSettings s;
    s.controls.params["gatys"]["optimizer"] = 1;
    s.controls.params["blend"]["alpha"] = double(0.4f);  // a float slider's value
    s.controls.brush_hardness = 0.3f;
    const std::string text = format_settings(s);
    EXPECT_NE(text.find("param.gatys.optimizer=adam\n"), std::string::npos) << text;
    EXPECT_NE(text.find("brush_hardness=0.3\n"), std::string::npos) << text;
    EXPECT_EQ(text.find("0000000"), std::string::npos) << text;
    const ViewerSettings back = parse_settings(text);
    EXPECT_EQ(back.controls.params.at("gatys").at("optimizer"), 1.0);
    EXPECT_NE(text.find("param.blend.alpha=0.4\n"), std::string::npos) << text;
    EXPECT_DOUBLE_EQ(back.controls.params.at("blend").at("alpha"), 0.4);
    EXPECT_EQ(back.controls.brush_hardness, 0.3f);
    // A file of an older viewer, with the index, still reads.
    EXPECT_EQ(parse_settings("param.gatys.optimizer=1\n").controls.params.at("gatys").at("optimizer"), 1.0);
}
