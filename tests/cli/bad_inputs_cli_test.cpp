// Issue 18's held-out bad inputs through the whole command: each gives one line on stderr naming
// the file and the reason, a non-zero exit, writes nothing and leaves the existing output as it
// was. The pictures themselves are covered in tests/core/bad_images_test.cpp, a missing or
// read-only output folder in run_cli_test.cpp; here the command's side of the pictures, a full
// disk, and a models folder with links and folders in it.
#include <gtest/gtest.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "cli/cli_test_support.h"
#include "imageio/load_image.h"

namespace nt {
namespace {

namespace fs = std::filesystem;
using test::Bytes;

class BadInputsCli : public ::testing::Test {
protected:
    test::PairFiles files;
    const Bytes existing_bytes = {'k', 'e', 'e', 'p'};
    std::string existing = (files.dir / "existing.png").string();

    void SetUp() override { test::write_bytes(existing, existing_bytes); }

    // The command fails with `code`, one stderr line containing `subject`, the existing output
    // untouched and no new file in the folder (temporaries included).
    void expect_failure(const std::vector<std::string>& args, const std::string& subject, int code = kExitFailed) {
        const auto before = test::folder_entries(files.dir.path());
        const test::CliRun r = test::run_cli_captured(args);
        EXPECT_EQ(r.code, code) << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
        EXPECT_NE(r.err.find(subject), std::string::npos) << "stderr lacks '" << subject << "': " << r.err;
        EXPECT_EQ(test::read_bytes(existing), existing_bytes);
        EXPECT_EQ(test::folder_entries(files.dir.path()), before);
    }

    std::string bad_picture(const std::string& name, const Bytes& bytes) {
        test::write_bytes(files.dir / name, bytes);
        return (files.dir / name).string();
    }
};

constexpr std::uint8_t kSof0[2] = {0xFF, 0xC0};

TEST_F(BadInputsCli, EveryHeldOutPictureFailsCleanly) {
    Bytes gif = test::make_gif(8, 8, Bytes(768, 7), {Bytes(64, 1)});
    gif[13 + 768 + 5] = 200;
    Bytes tga = {0, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 128, 0, 1, 0, 24, 0, 0x7F, 1, 2, 3};
    save_image(test::make_pattern(13, 9, 1), files.dir / "ok.bmp");
    Bytes bmp = test::read_bytes(files.dir / "ok.bmp");
    fs::remove(files.dir / "ok.bmp");
    std::memset(bmp.data() + 22, 0, 4);
    save_image(test::make_pattern(16, 16, 1), files.dir / "ok.jpg");
    const Bytes jpeg = test::read_bytes(files.dir / "ok.jpg");
    fs::remove(files.dir / "ok.jpg");
    const std::size_t sof = std::size_t(std::search(jpeg.begin(), jpeg.end(), kSof0, kSof0 + 2) - jpeg.begin());
    ASSERT_LT(sof, jpeg.size());
    Bytes huge = jpeg, twelve = jpeg;
    huge[sof + 5] = huge[sof + 7] = 0xFF;  // 65500 = 0xFFDC
    huge[sof + 6] = huge[sof + 8] = 0xDC;
    twelve[sof + 4] = 12;
    const struct {
        std::string name;
        Bytes bytes;
        std::string reason;
    } cases[] = {
        {"bomb.png", test::make_png_with_idat(1000, 1000, 8, 2, test::zlib_of_zeros(std::uint64_t(1) << 30)),
         "decoding needs more than the memory budget"},
        {"huge.jpg", huge, "image is 65500x65500, beyond the limit"},
        {"twelve.jpg", twelve, "12-bit JPEG is not supported"},
        {"exif.jpg", test::with_exif_orientation(jpeg, 9), "corrupt EXIF data: orientation 9 is out of the range"},
        {"zero.bmp", bmp, "corrupt file: the header declares a 13x0 picture"},
        {"rle.tga", tga, "truncated TGA: the RLE data runs past the end"},
        {"frame.gif", gif, "corrupt GIF: the first frame (200x8 at 0,0) is larger than the screen"},
    };
    for (const auto& c : cases) {
        const std::string path = bad_picture(c.name, c.bytes);
        expect_failure({path, files.style, "-o", existing}, c.name + ": " + c.reason);
        expect_failure({files.content, path, "-o", existing}, c.name + ": " + c.reason);
        fs::remove(path);
    }
}

// Runs the real command in a child whose files may not grow beyond `limit_bytes` (RLIMIT_FSIZE,
// SIGXFSZ ignored so that write() fails with EFBIG as on a full disk). Returns the exit status;
// stderr goes to `err_path`.
int run_with_file_size_limit(const std::vector<std::string>& args, rlim_t limit_bytes, const fs::path& err_path) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        std::FILE* err = std::freopen(err_path.c_str(), "w", stderr);
        if (!err) ::_exit(99);
        const rlimit limit{limit_bytes, limit_bytes};
        ::signal(SIGXFSZ, SIG_IGN);
        if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(98);
        std::vector<char*> argv;
        std::string program = NT_CLI_PATH;
        argv.push_back(program.data());
        std::vector<std::string> copies = args;
        for (std::string& a : copies) argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv(NT_CLI_PATH, argv.data());
        ::_exit(97);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST_F(BadInputsCli, FullDiskLeavesNoPartialFileAndKeepsTheOldOutput) {
    const fs::path err = files.dir.path().parent_path() / (files.dir.path().filename().string() + ".err");
    const auto before = test::folder_entries(files.dir.path());
    // A 512x512 PNG result is far beyond 4 KiB: the write fails part way.
    const int code = run_with_file_size_limit({files.content, files.style, "-o", existing, "-q"}, 4096, err);
    const std::string message = [&] {
        std::string text;
        for (std::uint8_t c : test::read_bytes(err)) text.push_back(char(c));
        return text;
    }();
    fs::remove(err);
    EXPECT_EQ(code, kExitFailed) << message;
    EXPECT_EQ(std::count(message.begin(), message.end(), '\n'), 1) << message;
    EXPECT_NE(message.find(existing + ": "), std::string::npos) << message;
    EXPECT_EQ(test::read_bytes(existing), existing_bytes);
    EXPECT_EQ(test::folder_entries(files.dir.path()), before) << "a temporary was left behind";
}

TEST_F(BadInputsCli, ModelsFolderWithALinkToDevZeroOrAFolder) {
    const fs::path models = files.dir.path().parent_path() / (files.dir.path().filename().string() + "-models");
    fs::create_directories(models / "fast_style" / "folder.safetensors");
    fs::create_directories(models / "adain" / "vgg_encoder.safetensors");
    fs::create_symlink("/dev/zero", models / "fast_style" / "zero.safetensors");
    fs::create_symlink("/dev/zero", models / "adain" / "decoder.safetensors");
    const std::string m = models.string();
    expect_failure({files.content, "--model", "zero", "--models", m, "-o", existing},
                   "zero.safetensors: is not a regular file (a device, pipe or socket): a link to /dev/zero");
    expect_failure({files.content, "--model", "folder", "--models", m, "-o", existing},
                   "folder.safetensors: is a folder, not a model file");
    expect_failure({files.content, "--model", (models / "fast_style" / "zero.safetensors").string(), "-o", existing},
                   "zero.safetensors: is not a regular file");
    expect_failure({files.content, files.style, "--method", "adain", "--models", m, "-o", existing},
                   "vgg_encoder.safetensors: is a folder, not a model file");
    // Listing the library names the skipped entries instead of reading them.
    const test::CliRun list = test::run_cli_captured({"--list-models", "--models", m});
    EXPECT_EQ(list.code, kExitOk) << list.err;
    EXPECT_NE(list.out.find("zero.safetensors: skipped, is not a regular file"), std::string::npos) << list.out;
    fs::remove_all(models);
}

}  // namespace
}  // namespace nt
