// Settings file: round trip, tolerance for unknown keys, corrupt files reported and never fatal.
#include <gtest/gtest.h>

#include <cstdlib>

#include "core/error.h"
#include "support/temp_dir.h"
#include "support/test_images.h"
#include "viewer/settings.h"

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
    s.controls.feather_px = 12.25;
    s.controls.brush_size = 77;
    s.controls.brush_hardness = 0.3f;
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

TEST(ViewerSettings, CorruptLinesAreReportedWithTheirNumber) {
    for (const char* text : {"size=1024\nthis is not a setting\n", "param.blend.alpha=7\n", "param.blend.alpha=abc\n",
                             "method=nosuch\n", "keep_aspect=maybe\n", "custom_width=-3\n", "version=99\n",
                             "feather=600\n", "brush_size=0\n", "brush_hardness=2\n", "preserve_colors=yes\n"}) {
        try {
            parse_settings(text);
            ADD_FAILURE() << "accepted: " << text;
        } catch (const Error& e) {
            EXPECT_NE(std::string(e.what()).find("line "), std::string::npos) << e.what();
        }
    }
}

TEST(ViewerSettings, FileRoundTripAndCorruptFileIsIgnoredWithMessage) {
    test::TempDir dir;
    const auto path = dir / "sub" / "viewer.conf";
    EXPECT_FALSE(load_settings_file(path).settings);  // absent: no error, no settings
    EXPECT_TRUE(load_settings_file(path).error.empty());
    save_settings_file(path, sample());
    const LoadedSettings loaded = load_settings_file(path);
    ASSERT_TRUE(loaded.settings);
    EXPECT_EQ(loaded.settings->controls, sample().controls);
    EXPECT_EQ(test::folder_entries(dir / "sub"), std::vector<std::string>{"viewer.conf"});  // no temp left

    test::write_bytes(path, {0x00, 0xFF, 0x13, '\n', 'x'});
    const LoadedSettings corrupt = load_settings_file(path);
    EXPECT_FALSE(corrupt.settings);
    EXPECT_NE(corrupt.error.find(path.string()), std::string::npos) << corrupt.error;
}

TEST(ViewerSettings, FolderFollowsXdgConfigHome) {
    const char* old = std::getenv("XDG_CONFIG_HOME");
    const std::string saved = old ? old : "";
    setenv("XDG_CONFIG_HOME", "/tmp/xdg-test", 1);
    EXPECT_EQ(settings_dir(), std::filesystem::path("/tmp/xdg-test/neuraltransfer"));
    setenv("XDG_CONFIG_HOME", "relative/is/ignored", 1);
    EXPECT_NE(settings_dir(), std::filesystem::path("relative/is/ignored/neuraltransfer"));
    if (old)
        setenv("XDG_CONFIG_HOME", saved.c_str(), 1);
    else
        unsetenv("XDG_CONFIG_HOME");
}
