// The neuraltransfer command end to end, in-process: outputs, batch runs, and every bad input
// failing with one line on stderr, a non-zero exit, and no harm to existing files.
#include <gtest/gtest.h>

#include <unistd.h>

#include <sstream>

#include "cli/cli_test_support.h"
#include "imageio/load_image.h"
#include "imageio/save_image.h"
#include "stylize/stylize.h"
#include "support/temp_dir.h"
#include "support/test_images.h"

namespace nt {
namespace {

namespace fs = std::filesystem;
using test::Bytes;

using test::CliRun;
CliRun run(std::vector<std::string> args) { return test::run_cli_captured(std::move(args)); }

int line_count(const std::string& s) { return int(std::count(s.begin(), s.end(), '\n')); }

class RunCli : public ::testing::Test {
protected:
    test::TempDir dir;
    std::string content, style, existing;
    const Bytes existing_bytes = {'k', 'e', 'e', 'p'};

    void SetUp() override {
        content = (dir / "content.png").string();
        style = (dir / "style.png").string();
        existing = (dir / "existing.png").string();
        save_image(test::make_pattern(120, 80, 1), content);
        save_image(test::make_pattern(64, 64, 2), style);
        test::write_bytes(existing, existing_bytes);
    }

    // Runs a command that must fail: exit status, one stderr line naming `subject`, the existing
    // output untouched, and no new file in the folder.
    void expect_failure(const std::vector<std::string>& args, const std::string& subject, int code = kExitFailed) {
        const auto before = test::folder_entries(dir.path());
        const CliRun r = run(args);
        EXPECT_EQ(r.code, code) << r.err;
        EXPECT_EQ(line_count(r.err), 1) << r.err;
        EXPECT_NE(r.err.find(subject), std::string::npos) << "stderr does not name " << subject << ": " << r.err;
        EXPECT_EQ(test::read_bytes(existing), existing_bytes);
        EXPECT_EQ(test::folder_entries(dir.path()), before);
    }
};

// Changes the working folder for the scope, to check the default output name.
struct InFolder {
    fs::path old = fs::current_path();
    explicit InFolder(const fs::path& p) { fs::current_path(p); }
    ~InFolder() { fs::current_path(old); }
};

TEST_F(RunCli, DefaultRunWritesStylizedOutputJpgLikeTheOriginal) {
    InFolder here(dir.path());
    const CliRun r = run({content, style, "--device", "cpu"});
    ASSERT_EQ(r.code, kExitOk) << r.err;
    EXPECT_NE(r.out.find("wrote stylized_output.jpg"), std::string::npos) << r.out;
    const Image result = load_image(dir / "stylized_output.jpg");
    EXPECT_EQ(result.width, 512);
    EXPECT_EQ(result.height, 512);
}

TEST_F(RunCli, PngOutputEqualsTheCoreResult) {
    const std::string out = (dir / "r.png").string();
    ASSERT_EQ(run({content, style, "-o", out, "--alpha", "0.25", "--size", "100x60", "-q"}).code, kExitOk);
    StylizeOptions o;
    o.params["alpha"] = 0.25;
    o.size = parse_size_spec("100x60");
    EXPECT_EQ(load_image(out).pixels, stylize(load_image(content), load_image(style), o).pixels);
}

TEST_F(RunCli, ReplacesAnExistingOutputOnSuccess) {
    ASSERT_EQ(run({content, style, "-o", existing, "-q"}).code, kExitOk);
    EXPECT_EQ(load_image(existing).width, 512);
}

TEST_F(RunCli, HelpAndVersion) {
    const CliRun h = run({"--help"});
    EXPECT_EQ(h.code, kExitOk);
    EXPECT_NE(h.out.find("Usage: neuraltransfer CONTENT STYLE"), std::string::npos);
    const CliRun v = run({"--version"});
    EXPECT_EQ(v.code, kExitOk);
    EXPECT_NE(v.out.find("LibTorch"), std::string::npos);
}

TEST_F(RunCli, MissingFile) { expect_failure({(dir / "nope.jpg").string(), style, "-o", existing}, "nope.jpg"); }

TEST_F(RunCli, MissingStyleIsNamed) {
    expect_failure({content, (dir / "gone.png").string(), "-o", existing}, "gone.png");
}

TEST_F(RunCli, FolderWithoutImages) {
    fs::create_directory(dir / "empty_folder");
    expect_failure({(dir / "empty_folder").string(), style, "-o", existing}, "empty_folder");
}

TEST_F(RunCli, EmptyFile) {
    test::write_bytes(dir / "empty.jpg", {});
    expect_failure({(dir / "empty.jpg").string(), style, "-o", existing}, "empty.jpg: file is empty");
}

TEST_F(RunCli, TruncatedJpeg) {
    save_image(test::make_pattern(64, 64), dir / "whole.jpg");
    const Bytes whole = test::read_bytes(dir / "whole.jpg");
    test::write_bytes(dir / "half.jpg", Bytes(whole.begin(), whole.begin() + long(whole.size() / 2)));
    expect_failure({(dir / "half.jpg").string(), style, "-o", existing}, "half.jpg: truncated JPEG");
}

TEST_F(RunCli, TruncatedPng) {
    const Bytes whole = test::read_bytes(style);
    test::write_bytes(dir / "half.png", Bytes(whole.begin(), whole.begin() + long(whole.size() / 2)));
    expect_failure({content, (dir / "half.png").string(), "-o", existing}, "half.png: truncated PNG");
}

TEST_F(RunCli, TextFileNamedJpg) {
    test::write_text(dir / "readme.jpg", "hello");
    expect_failure({(dir / "readme.jpg").string(), style, "-o", existing}, "readme.jpg: not a supported image");
}

TEST_F(RunCli, HeaderBeyondThePixelLimit) {
    test::write_bytes(dir / "bomb.png", test::make_png_header_only(20000, 20000));
    expect_failure({(dir / "bomb.png").string(), style, "-o", existing}, "bomb.png: image is 20000x20000");
}

TEST_F(RunCli, OutputFolderMissing) {
    expect_failure({content, style, "-o", (dir / "nowhere" / "r.png").string()}, "does not exist");
}

TEST_F(RunCli, OutputFolderNotWritable) {
    // /proc refuses new files even for root.
    if (!fs::is_directory("/proc/self")) GTEST_SKIP() << "no /proc";
    expect_failure({content, style, "-o", "/proc/self/r.png"}, "/proc/self/r.png");
    if (::geteuid() == 0) return;
    fs::create_directory(dir / "ro");
    fs::permissions(dir / "ro", fs::perms::owner_read | fs::perms::owner_exec);
    expect_failure({content, style, "-o", (dir / "ro" / "r.png").string()}, "ro/r.png: cannot write");
    fs::permissions(dir / "ro", fs::perms::owner_all);
}

// A format that does not exist is a usage error (issue 26: it was exit code 1).
TEST_F(RunCli, UnknownOutputExtension) {
    expect_failure({content, style, "-o", (dir / "r.webp").string()}, "r.webp: unknown output extension", kExitUsage);
}

TEST_F(RunCli, AWrongNumberOfPathsIsCountedInGoodEnglish) {
    expect_failure({content}, "(got 1 path)", kExitUsage);
    expect_failure({content, style, content}, "(got 3 paths)", kExitUsage);
}

TEST_F(RunCli, AlphaOutOfRangeOrNaN) {
    expect_failure({content, style, "-o", existing, "--alpha", "1.5"}, "--alpha", kExitUsage);
    expect_failure({content, style, "-o", existing, "--alpha", "-1"}, "--alpha", kExitUsage);
    expect_failure({content, style, "-o", existing, "--alpha", "nan"}, "--alpha", kExitUsage);
}

TEST_F(RunCli, SizeZeroOrBeyondTheLimit) {
    expect_failure({content, style, "-o", existing, "--size", "0"}, "--size 0", kExitUsage);
    expect_failure({content, style, "-o", existing, "--size", "40000x40000"}, "--size 40000x40000", kExitUsage);
}

TEST_F(RunCli, CudaWithoutGpuIsAClearError) {
    if (cuda_available()) GTEST_SKIP() << "a GPU is present";
    expect_failure({content, style, "-o", existing, "--device", "cuda"}, "CUDA is not available");
}

TEST_F(RunCli, BatchRunsEveryPairAndSkipsABadFile) {
    fs::create_directory(dir / "contents");
    fs::create_directory(dir / "styles");
    save_image(test::make_pattern(50, 40, 3), dir / "contents" / "a.png");
    save_image(test::make_pattern(40, 50, 4), dir / "contents" / "b.jpg");
    test::write_text(dir / "contents" / "broken.jpg", "not an image");
    save_image(test::make_pattern(30, 30, 5), dir / "styles" / "x.bmp");
    save_image(test::make_pattern(30, 30, 6), dir / "styles" / "y.png");
    const fs::path out = dir / "results";
    const CliRun r = run({(dir / "contents").string(), (dir / "styles").string(), "-o", out.string(), "--format", "png",
                          "--size", "64"});
    EXPECT_EQ(r.code, kExitFailed) << "a failed file must make the exit status non-zero";
    EXPECT_EQ(test::folder_entries(out), (std::vector<std::string>{"a__x.png", "a__y.png", "b__x.png", "b__y.png"}));
    // The bad file is reported once, by name and reason; the others show progress.
    EXPECT_NE(r.err.find("broken.jpg: not a supported image"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("[1/6] a.png + x.bmp -> "), std::string::npos) << r.err;
    EXPECT_NE(r.out.find("wrote 4 of 6 results"), std::string::npos) << r.out;
    EXPECT_EQ(load_image(out / "b__y.png").width, 64);
}

TEST_F(RunCli, BatchWithAFolderOfStylesAndOneContent) {
    fs::create_directory(dir / "styles");
    save_image(test::make_pattern(30, 30, 5), dir / "styles" / "x.png");
    InFolder here(dir.path());
    const CliRun r = run({content, "styles", "-q"});
    ASSERT_EQ(r.code, kExitOk) << r.err;
    EXPECT_TRUE(fs::exists(dir / "stylized_output" / "content__x.jpg"));
}

TEST_F(RunCli, BatchOutputThatIsAFileIsRefused) {
    fs::create_directory(dir / "styles");
    save_image(test::make_pattern(30, 30, 5), dir / "styles" / "x.png");
    expect_failure({content, (dir / "styles").string(), "-o", existing}, "existing.png");
}

}  // namespace
}  // namespace nt

namespace nt {
namespace {

TEST(RunCliInputs, AnOutputThatIsAnInputIsRefusedAndTheInputKept) {
    test::PairFiles files;
    const std::string before = std::to_string(std::filesystem::file_size(files.content));
    for (const std::string& out : {files.content, files.style, (files.dir / "." / "content.png").string()}) {
        const test::CliRun r = test::run_cli_captured({files.content, files.style, "-o", out});
        EXPECT_EQ(r.code, kExitUsage) << out;
        EXPECT_NE(r.err.find("is one of the input pictures"), std::string::npos) << r.err;
    }
    EXPECT_EQ(std::to_string(std::filesystem::file_size(files.content)), before);
    EXPECT_EQ(test::run_cli_captured({files.content, files.style, "-o", files.output}).code, kExitOk);
}

}  // namespace
}  // namespace nt
