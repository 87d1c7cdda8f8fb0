// The models folder: what a scan finds, what it skips and says why, and how names resolve.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "base/error.h"
#include "nets/model_library.h"
#include "support/temp_dir.h"

namespace nt {
namespace {

namespace fs = std::filesystem;

void touch(const fs::path& p) {
    fs::create_directories(p.parent_path());
    std::ofstream(p) << "x";
}

TEST(ModelLibrary, MissingFolderIsEmptyNotAnError) {
    test::TempDir dir;
    const ModelLibrary lib = scan_models(dir / "nowhere");
    EXPECT_TRUE(lib.fast_styles.empty());
    EXPECT_TRUE(lib.scripts.empty());
    EXPECT_FALSE(lib.adain);
    EXPECT_TRUE(lib.notes.empty());
}

TEST(ModelLibrary, ListsEachKindSortedAndSkipsWithReasons) {
    test::TempDir dir;
    touch(dir / "fast_style" / "mosaic.safetensors");
    touch(dir / "fast_style" / "candy.safetensors");
    touch(dir / "fast_style" / "readme.txt");
    touch(dir / "torchscript" / "mine.pt");
    touch(dir / "torchscript" / "mine.json");
    touch(dir / "torchscript" / "orphan.pt");
    touch(dir / "adain" / "vgg_encoder.safetensors");
    const ModelLibrary lib = scan_models(dir.path());
    ASSERT_EQ(lib.fast_styles.size(), 2u);
    EXPECT_EQ(lib.fast_styles[0].name, "candy");
    EXPECT_EQ(lib.fast_styles[1].name, "mosaic");
    ASSERT_EQ(lib.scripts.size(), 1u);
    EXPECT_EQ(lib.scripts[0].name, "mine");
    EXPECT_FALSE(lib.adain);  // half a pair
    ASSERT_EQ(lib.notes.size(), 2u);
    const std::string notes = lib.notes[0] + "\n" + lib.notes[1];
    EXPECT_NE(notes.find("orphan.pt: skipped, no sidecar orphan.json"), std::string::npos) << notes;
    EXPECT_NE(notes.find("decoder.safetensors is missing"), std::string::npos) << notes;

    touch(dir / "adain" / "decoder.safetensors");
    const ModelLibrary full = scan_models(dir.path());
    ASSERT_TRUE(full.adain);
    EXPECT_EQ(full.adain->decoder, dir / "adain" / "decoder.safetensors");
    // Every model with its size, format and whether it loads (these are empty files: they do not).
    const std::string listing = describe_models(full);
    EXPECT_NE(listing.find("fast_style (--method fast_style --model NAME): \n    candy: 0.0 MB"), std::string::npos)
        << listing;
    EXPECT_NE(listing.find("    mosaic: 0.0 MB, unknown format, will not load: "), std::string::npos) << listing;
    EXPECT_NE(listing.find("adain (--method adain): will not load: "), std::string::npos) << listing;
    EXPECT_NE(listing.find("note: "), std::string::npos) << listing;
}

TEST(ModelLibrary, FindsByNameOrFileAndListsTheNamesWhenMissing) {
    test::TempDir dir;
    touch(dir / "fast_style" / "candy.safetensors");
    touch(dir / "elsewhere.safetensors");
    const ModelLibrary lib = scan_models(dir.path());
    EXPECT_EQ(find_model(lib, ModelKind::FastStyle, "candy").path, dir / "fast_style" / "candy.safetensors");
    const ModelEntry by_path = find_model(lib, ModelKind::FastStyle, (dir / "elsewhere.safetensors").string());
    EXPECT_EQ(by_path.name, "elsewhere");
    try {
        find_model(lib, ModelKind::FastStyle, "udnie");
        FAIL() << "no throw";
    } catch (const Error& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("--model udnie: no such fast style model"), std::string::npos) << what;
        EXPECT_NE(what.find("(has: candy)"), std::string::npos) << what;
    }
    EXPECT_THROW(find_model(lib, ModelKind::FastStyle, (dir / "absent.safetensors").string()), Error);
    EXPECT_THROW(find_model(lib, ModelKind::TorchScript, "candy"), Error);
    try {
        require_adain(lib);
        FAIL() << "no throw";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("tools/convert_weights.py"), std::string::npos) << e.what();
    }
}

TEST(ModelLibrary, FolderResolution) {
    EXPECT_EQ(resolve_models_dir("given"), fs::path("given"));
    const char* old = std::getenv("NEURALTRANSFER_MODELS");
    const std::string saved = old ? old : "";
    ::setenv("NEURALTRANSFER_MODELS", "/from/env", 1);
    EXPECT_EQ(resolve_models_dir(), fs::path("/from/env"));
    EXPECT_EQ(resolve_models_dir("given"), fs::path("given"));
    if (old) ::setenv("NEURALTRANSFER_MODELS", saved.c_str(), 1);
    else ::unsetenv("NEURALTRANSFER_MODELS");
}

}  // namespace
}  // namespace nt
