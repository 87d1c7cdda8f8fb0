// Writes replace files atomically: a failure leaves no partial file and no temp file, and never
// harms what was there.
#include <gtest/gtest.h>

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include "base/error.h"
#include "imageio/atomic_file.h"
#include "support/temp_dir.h"
#include "support/test_images.h"

namespace nt {
namespace {

using test::Bytes;

TEST(AtomicFile, WritesAndReplaces) {
    test::TempDir dir;
    write_file_atomically(dir / "f.bin", {1, 2, 3});
    EXPECT_EQ(test::read_bytes(dir / "f.bin"), (Bytes{1, 2, 3}));
    write_file_atomically(dir / "f.bin", {4, 5});
    EXPECT_EQ(test::read_bytes(dir / "f.bin"), (Bytes{4, 5}));
    EXPECT_EQ(test::folder_entries(dir.path()), (std::vector<std::string>{"f.bin"}));  // no temp left
}

TEST(AtomicFile, KeepsPermissionsOfTheReplacedFile) {
    test::TempDir dir;
    write_file_atomically(dir / "f.bin", {1});
    ASSERT_EQ(::chmod((dir / "f.bin").c_str(), 0640), 0);
    write_file_atomically(dir / "f.bin", {2});
    struct stat st {};
    ASSERT_EQ(::stat((dir / "f.bin").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0640u);
}

TEST(AtomicFile, MissingFolderIsAClearError) {
    test::TempDir dir;
    try {
        write_file_atomically(dir / "no" / "f.bin", {1});
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos) << e.what();
    }
}

TEST(AtomicFile, ParentIsAFile) {
    test::TempDir dir;
    test::write_bytes(dir / "file", {9});
    EXPECT_THROW(write_file_atomically(dir / "file" / "f.bin", {1}), Error);
    EXPECT_EQ(test::read_bytes(dir / "file"), (Bytes{9}));
}

TEST(AtomicFile, TargetIsAFolder) {
    test::TempDir dir;
    std::filesystem::create_directory(dir / "d.png");
    EXPECT_THROW(write_file_atomically(dir / "d.png", {1}), Error);
    EXPECT_TRUE(std::filesystem::is_directory(dir / "d.png"));
}

TEST(AtomicFile, ProcFolderIsRefused) {
    // /proc refuses new files even for root.
    if (!std::filesystem::is_directory("/proc/self")) GTEST_SKIP() << "no /proc";
    EXPECT_THROW(write_file_atomically("/proc/self/nt.png", {1}), Error);
}

TEST(AtomicFile, UnwritableFolderLeavesExistingFileIntact) {
    test::TempDir dir;
    write_file_atomically(dir / "keep.png", {7, 7});
    ASSERT_EQ(::chmod(dir.path().c_str(), 0555), 0);
    // Root ignores folder permissions, so the write is attempted by a child process that has
    // dropped to an unprivileged user; other users just run it.
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(3);
        try {
            write_file_atomically(dir / "keep.png", {1});
        } catch (const Error& e) {
            const bool names_folder = std::string(e.what()).find("cannot write to folder") != std::string::npos;
            ::_exit(names_folder ? 0 : 2);
        }
        ::_exit(1);  // the write went through
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    ::chmod(dir.path().c_str(), 0755);
    ASSERT_TRUE(WIFEXITED(status));
    if (WEXITSTATUS(status) == 3) GTEST_SKIP() << "cannot drop privileges to test folder permissions";
    EXPECT_EQ(WEXITSTATUS(status), 0) << "1: write succeeded, 2: wrong message";
    EXPECT_EQ(test::read_bytes(dir / "keep.png"), (Bytes{7, 7}));
    EXPECT_EQ(test::folder_entries(dir.path()), (std::vector<std::string>{"keep.png"}));
}

TEST(AtomicFile, FailedWriteMidwayLeavesNoPartialFileAndKeepsTheOld) {
    // A file-size limit makes write() fail with EFBIG part way, as a full disk would.
    test::TempDir dir;
    write_file_atomically(dir / "keep.png", {7, 7});
    struct rlimit old_limit {};
    ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old_limit), 0);
    auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
    struct rlimit small = old_limit;
    small.rlim_cur = 1000;
    ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
    std::string message;
    try {
        write_file_atomically(dir / "keep.png", Bytes(100000, 1));
    } catch (const Error& e) {
        message = e.what();
    }
    ::setrlimit(RLIMIT_FSIZE, &old_limit);
    std::signal(SIGXFSZ, old_handler);
    EXPECT_NE(message.find("write failed"), std::string::npos) << message;
    EXPECT_EQ(test::read_bytes(dir / "keep.png"), (Bytes{7, 7}));
    EXPECT_EQ(test::folder_entries(dir.path()), (std::vector<std::string>{"keep.png"}));
}

}  // namespace
}  // namespace nt

namespace nt {
namespace {

TEST(AtomicFile, WriteNewFileNeverReplacesAndLeavesNoTemporary) {
    test::TempDir dir;
    auto name = [](int n) { return "out_" + std::to_string(n) + ".bin"; };
    write_file_atomically(dir / "out_1.bin", {9});
    const auto first = write_new_file(dir.path(), name, 1, {1, 2});
    EXPECT_EQ(first, dir / "out_2.bin");  // out_1 exists: skipped, not replaced
    EXPECT_EQ(test::read_bytes(dir / "out_1.bin"), (Bytes{9}));
    EXPECT_EQ(test::read_bytes(first), (Bytes{1, 2}));
    EXPECT_EQ(write_new_file(dir.path(), name, 1, {3}), dir / "out_3.bin");
    EXPECT_EQ(test::folder_entries(dir.path()), (std::vector<std::string>{"out_1.bin", "out_2.bin", "out_3.bin"}));
    EXPECT_THROW(write_new_file(dir / "missing", name, 1, {1}), Error);
}

}  // namespace
}  // namespace nt
