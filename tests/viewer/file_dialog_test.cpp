// The desktop's chooser runs as its own program; its answer is taken later, never waited for.
#include <gtest/gtest.h>

#include <algorithm>

#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <thread>

#include "support/temp_dir.h"
#include "viewer/io/file_dialog.h"

using namespace nt::viewer;

namespace {

std::string script(const nt::test::TempDir& dir, const std::string& name, const std::string& body) {
    const std::string path = (dir / name).string();
    std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
    chmod(path.c_str(), 0755);
    return path;
}

bool wait_idle(const FileDialog& d) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (d.busy() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return !d.busy();
}

}  // namespace

TEST(FileDialog, TheChosenPathArrivesLaterAndACancelChoosesNothing) {
    nt::test::TempDir dir;
    // Stands in for zenity: after a moment it prints the chosen path, as zenity does.
    const std::string chooser = script(dir, "zenity", "sleep 0.2; echo /pictures/holiday photo.jpg");
    int woken = 0;
    FileDialog dialog([&] { ++woken; }, chooser);
    ASSERT_TRUE(dialog.open(7, FileDialog::Kind::OpenPicture, "Content picture", "/pictures/"));
    EXPECT_TRUE(dialog.busy());  // open() returned while the chooser is still up
    EXPECT_FALSE(dialog.open(8, FileDialog::Kind::OpenPicture, "again", ""));  // one at a time
    ASSERT_TRUE(wait_idle(dialog));
    const auto chosen = dialog.take();
    ASSERT_TRUE(chosen);
    EXPECT_EQ(chosen->purpose, 7);
    EXPECT_EQ(chosen->path, "/pictures/holiday photo.jpg");
    EXPECT_FALSE(dialog.take());  // once
    EXPECT_EQ(woken, 1);

    FileDialog cancelled({}, script(dir, "kdialog", "exit 1"));
    ASSERT_TRUE(cancelled.open(1, FileDialog::Kind::ChooseFolder, "Models folder", ""));
    ASSERT_TRUE(wait_idle(cancelled));
    EXPECT_FALSE(cancelled.take());
}

TEST(FileDialog, CommandLinesOfZenityAndKdialog) {
    const FileDialog zenity({}, "/usr/bin/zenity");
    const auto open = zenity.command(FileDialog::Kind::OpenPicture, "Style picture", "/p/");
    EXPECT_EQ(open.at(1), "--file-selection");
    EXPECT_EQ(open.at(2), "--title=Style picture");
    EXPECT_EQ(open.at(3).rfind("--file-filter=Pictures | ", 0), 0u);
    EXPECT_EQ(open.back(), "--filename=/p/");
    const auto folder = zenity.command(FileDialog::Kind::ChooseFolder, "Models folder", "");
    EXPECT_EQ(folder.at(3), "--directory");
    const FileDialog kdialog({}, "/usr/bin/kdialog");
    EXPECT_EQ(kdialog.command(FileDialog::Kind::ChooseFolder, "Export folder", "/out").at(3), "--getexistingdirectory");
}

// Save As: a name to write to, the chooser asking before it names an existing file.
TEST(FileDialog, SaveAsAsksForANewNameAndConfirmsAnOverwrite) {
    const FileDialog zenity({}, "/usr/bin/zenity");
    const auto save = zenity.command(FileDialog::Kind::SavePicture, "Save the result as", "/out/r.png");
    EXPECT_NE(std::find(save.begin(), save.end(), "--save"), save.end());
    EXPECT_NE(std::find(save.begin(), save.end(), "--confirm-overwrite"), save.end());
    EXPECT_EQ(save.back(), "--filename=/out/r.png");
    const FileDialog kdialog({}, "/usr/bin/kdialog");
    const auto k = kdialog.command(FileDialog::Kind::SavePicture, "Save the result as", "/out/r.png");
    EXPECT_EQ(k.at(3), "--getsavefilename");
    EXPECT_EQ(k.at(4), "/out/r.png");
}

TEST(FileDialog, WithoutAChooserNothingOpens) {
    const char* old = std::getenv("PATH");
    const std::string saved = old ? old : "";
    setenv("PATH", "/nonexistent", 1);
    FileDialog none;
    EXPECT_TRUE(none.program().empty());
    EXPECT_FALSE(none.open(1, FileDialog::Kind::OpenPicture, "x", ""));
    setenv("PATH", saved.c_str(), 1);
}

namespace {
std::atomic<int> g_atfork_prepares{0};
}  // namespace

// Issue 26: fork() ran OpenBLAS's atfork handler, which joins the BLAS threads a running job
// holds; a dialog opened during patch synthesis then hung the viewer for good. The chooser is
// started without running any atfork handler.
TEST(FileDialog, StartingAChooserRunsNoAtforkHandler) {
    pthread_atfork([] { ++g_atfork_prepares; }, nullptr, nullptr);
    nt::test::TempDir dir;
    FileDialog dialog({}, script(dir, "zenity", "echo /p/chosen.png"));
    const int before = g_atfork_prepares.load();
    ASSERT_TRUE(dialog.open(1, FileDialog::Kind::OpenPicture, "Content picture", ""));
    ASSERT_TRUE(wait_idle(dialog));
    EXPECT_EQ(g_atfork_prepares.load(), before);
    const auto chosen = dialog.take();
    ASSERT_TRUE(chosen);
    EXPECT_EQ(chosen->path, "/p/chosen.png");
}

// Quitting never waits forever on a dialog: a chooser that ignores SIGTERM (and a program it
// started) is ended within seconds when the FileDialog goes away.
TEST(FileDialog, QuittingEndsAChooserThatIgnoresSigterm) {
    nt::test::TempDir dir;
    const std::string pid_file = (dir / "pid").string();
    const std::string chooser =
        script(dir, "zenity", "echo $$ > '" + pid_file + "'\ntrap '' TERM\nsleep 600\necho /late.png");
    auto dialog = std::make_unique<FileDialog>(std::function<void()>{}, chooser);
    ASSERT_TRUE(dialog->open(1, FileDialog::Kind::OpenPicture, "Content picture", ""));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!std::filesystem::exists(pid_file) && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the trap is set
    pid_t shell = 0;
    std::ifstream(pid_file) >> shell;
    ASSERT_GT(shell, 0);

    auto done = std::make_shared<std::promise<void>>();
    std::future<void> closed = done->get_future();
    std::thread([d = dialog.release(), done] {
        delete d;
        done->set_value();
    }).detach();  // detached: a hang must fail this test, not hang the suite
    ASSERT_EQ(closed.wait_for(std::chrono::seconds(15)), std::future_status::ready)
        << "the FileDialog's destructor still waits for a chooser that ignores SIGTERM";
    EXPECT_NE(kill(shell, 0), 0);  // ended and reaped
}
