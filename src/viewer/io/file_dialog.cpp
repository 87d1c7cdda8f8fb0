#include "viewer/io/file_dialog.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

namespace nt::viewer {

namespace {

constexpr const char* kPicturePatterns = "*.png *.jpg *.jpeg *.bmp *.tga *.PNG *.JPG *.JPEG";
// What the result can be saved as (core save_image: by the extension).
constexpr const char* kSavePatterns = "*.png *.jpg *.jpeg *.bmp *.tga";

bool is_zenity(const std::string& program) {
    return std::filesystem::path(program).filename().string().find("zenity") != std::string::npos;
}

// Starts `argv` with its stdout into a pipe (returned in `read_fd`) and stdin from /dev/null.
// posix_spawn, not fork(): glibc's fork() runs the atfork handlers, and OpenBLAS's joins its
// worker threads, which a running job holds, so a dialog opened during patch synthesis could
// hang the viewer for good (issue 26). posix_spawn runs no handlers. The child gets a process
// group of its own (so closing kills whatever the chooser started too), no blocked signals and
// the default action for every signal.
pid_t spawn_with_pipe(const std::vector<std::string>& argv, int& read_fd) {
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) return -1;
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);  // dup2 drops CLOEXEC
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
    pid_t pid = -1;
    const int failed = posix_spawn(&pid, args[0], &actions, &attr, args.data(), environ);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    close(pipe_fds[1]);
    if (failed != 0) {
        close(pipe_fds[0]);
        return -1;
    }
    read_fd = pipe_fds[0];
    return pid;
}

// Waits up to `timeout` for `pid` to exit; its exit status, or nothing while it still runs.
std::optional<int> wait_for_exit(pid_t pid, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        int status = 0;
        const pid_t done = waitpid(pid, &status, WNOHANG);
        if (done == pid) return status;
        if (done < 0) return -1;  // not our child any more: nothing to wait for
        if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

// Ends the chooser and what it started: SIGTERM, then SIGKILL if it ignores that. Bounded: a
// quitting viewer never waits on a dialog for more than about two seconds.
void end_process_group(pid_t pid) {
    kill(-pid, SIGTERM);
    if (wait_for_exit(pid, std::chrono::seconds(1))) return;
    kill(-pid, SIGKILL);
    wait_for_exit(pid, std::chrono::seconds(1));
}

}  // namespace

// The program's stdout until it exits, and whether it exited with 0 (a choice, not a cancel).
// Polls so that `closing_` (the viewer quitting) ends the wait, whatever the chooser does.
bool FileDialog::run_and_read(const std::vector<std::string>& argv, std::string& out) {
    int fd = -1;
    const pid_t pid = spawn_with_pipe(argv, fd);
    if (pid < 0) return false;
    bool eof = false;
    while (!eof && !closing_.load()) {
        pollfd p{fd, POLLIN, 0};
        const int ready = poll(&p, 1, 100);
        if (ready < 0 && errno != EINTR) break;
        if (ready <= 0) continue;
        char buffer[4096];
        const ssize_t n = read(fd, buffer, sizeof buffer);
        if (n > 0) out.append(buffer, static_cast<std::size_t>(n));
        else if (n == 0 || errno != EINTR) eof = true;
    }
    close(fd);
    if (closing_.load()) {
        end_process_group(pid);
        return false;
    }
    // Its stdout is closed; a chooser that lingers after that is ended rather than waited for.
    std::optional<int> status = wait_for_exit(pid, std::chrono::seconds(5));
    if (!status) {
        end_process_group(pid);
        return false;
    }
    return WIFEXITED(*status) && WEXITSTATUS(*status) == 0;
}

std::string find_program(const std::vector<std::string>& names) {
    const char* path = std::getenv("PATH");
    if (!path) return {};
    for (const std::string& name : names) {
        std::istringstream folders(path);
        std::string folder;
        while (std::getline(folders, folder, ':')) {
            if (folder.empty()) continue;
            const std::string candidate = folder + "/" + name;
            if (access(candidate.c_str(), X_OK) == 0 && std::filesystem::is_regular_file(candidate)) return candidate;
        }
    }
    return {};
}

FileDialog::FileDialog(std::function<void()> wake, std::string program)
    : wake_(std::move(wake)), program_(program.empty() ? find_program({"zenity", "kdialog"}) : std::move(program)) {}

FileDialog::~FileDialog() {
    closing_ = true;  // a dialog left open when the viewer quits is ended (run_and_read)
    if (thread_.joinable()) thread_.join();
}

std::vector<std::string> FileDialog::command(Kind kind, const std::string& title, const std::string& start) const {
    if (is_zenity(program_)) {
        std::vector<std::string> argv = {program_, "--file-selection", "--title=" + title};
        if (kind == Kind::ChooseFolder) argv.push_back("--directory");
        if (kind == Kind::SavePicture) argv.insert(argv.end(), {"--save", "--confirm-overwrite"});
        if (kind == Kind::SavePicture) argv.push_back(std::string("--file-filter=Pictures | ") + kSavePatterns);
        if (kind == Kind::OpenPicture) argv.push_back(std::string("--file-filter=Pictures | ") + kPicturePatterns);
        if (!start.empty()) argv.push_back("--filename=" + start);
        return argv;
    }
    // kdialog
    if (kind == Kind::ChooseFolder)
        return {program_, "--title", title, "--getexistingdirectory", start.empty() ? "." : start};
    if (kind == Kind::SavePicture)
        return {program_, "--title", title, "--getsavefilename", start.empty() ? "." : start, kSavePatterns};
    return {program_, "--title", title, "--getopenfilename", start.empty() ? "." : start, kPicturePatterns};
}

bool FileDialog::open(int purpose, Kind kind, const std::string& title, const std::string& start) {
    if (program_.empty()) return false;
    std::lock_guard<std::mutex> lock(mutex_);
    if (busy_) return false;
    busy_ = true;
    if (thread_.joinable()) thread_.join();  // the previous dialog's thread, already finished
    thread_ = std::thread(&FileDialog::run, this, purpose, command(kind, title, start));
    return true;
}

void FileDialog::run(int purpose, std::vector<std::string> argv) {
    std::string out;
    const bool chosen = run_and_read(argv, out);
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    std::lock_guard<std::mutex> lock(mutex_);
    if (chosen && !out.empty()) chosen_ = Chosen{purpose, out};
    busy_ = false;
    if (wake_) wake_();
}

std::optional<FileDialog::Chosen> FileDialog::take() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::optional<Chosen> c = std::move(chosen_);
    chosen_.reset();
    return c;
}

bool FileDialog::has_choice() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return chosen_.has_value();
}

bool FileDialog::busy() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return busy_;
}

}  // namespace nt::viewer
