#include "viewer/file_dialog.h"

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include <fcntl.h>
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

// The program's stdout until it exits, and whether it exited with 0 (a choice, not a cancel).
bool run_and_read(const std::vector<std::string>& argv, pid_t& child, std::mutex& mutex, std::string& out) {
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0) return false;
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const pid_t pid = fork();
    if (pid == 0) {  // the child: stdout into the pipe, stdin from nowhere
        dup2(pipe_fds[1], STDOUT_FILENO);
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        const int null_fd = open("/dev/null", O_RDONLY);
        if (null_fd >= 0) dup2(null_fd, STDIN_FILENO);
        execv(args[0], args.data());
        _exit(127);
    }
    close(pipe_fds[1]);
    if (pid < 0) {
        close(pipe_fds[0]);
        return false;
    }
    {
        std::lock_guard<std::mutex> lock(mutex);
        child = pid;
    }
    char buffer[4096];
    ssize_t n = 0;
    while ((n = read(pipe_fds[0], buffer, sizeof buffer)) > 0) out.append(buffer, static_cast<std::size_t>(n));
    close(pipe_fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    std::lock_guard<std::mutex> lock(mutex);
    child = -1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace

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
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (child_ > 0) kill(child_, SIGTERM);  // a dialog left open when the viewer quits
    }
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
    if (kind == Kind::ChooseFolder) return {program_, "--title", title, "--getexistingdirectory", start.empty() ? "." : start};
    if (kind == Kind::SavePicture) return {program_, "--title", title, "--getsavefilename", start.empty() ? "." : start, kSavePatterns};
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
    const bool chosen = run_and_read(argv, child_, mutex_, out);
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
