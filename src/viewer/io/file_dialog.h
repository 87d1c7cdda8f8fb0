#pragma once
// The desktop's file chooser, run as its own program so the window never waits for it: zenity
// (GTK's chooser, Debian's zenity package; GTK uses xdg-desktop-portal's chooser where the
// desktop sets GTK_USE_PORTAL=1) or kdialog (KDE). With neither installed, program() is empty
// and the path fields (and dropping files) are the way to choose. No GL.
#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace nt::viewer {

class FileDialog {
public:
    // SavePicture: a name to write to (the chooser asks before it names an existing file).
    enum class Kind { OpenPicture, ChooseFolder, SavePicture };

    // `wake` is called from the dialog's thread when a choice was made or it was closed.
    // `program`: the chooser to run; empty looks for zenity, then kdialog, on $PATH.
    explicit FileDialog(std::function<void()> wake = {}, std::string program = "");
    ~FileDialog();  // ends a dialog still open, within about two seconds whatever it does
    FileDialog(const FileDialog&) = delete;
    FileDialog& operator=(const FileDialog&) = delete;

    const std::string& program() const { return program_; }
    // The command line for a dialog (the program first); exposed for tests.
    std::vector<std::string> command(Kind kind, const std::string& title, const std::string& start) const;
    // Opens a dialog for `purpose` (the app's choice: content, mask, models folder, ...). False
    // when no program was found or a dialog is already open.
    bool open(int purpose, Kind kind, const std::string& title, const std::string& start);
    struct Chosen {
        int purpose = 0;
        std::string path;
    };
    // The choice made, once; nothing while the dialog is open or when it was cancelled.
    std::optional<Chosen> take();
    bool has_choice() const;  // take() would return one (the idle loop draws a frame for it)
    bool busy() const;

private:
    void run(int purpose, std::vector<std::string> argv);
    bool run_and_read(const std::vector<std::string>& argv, std::string& out);

    std::function<void()> wake_;
    std::string program_;
    mutable std::mutex mutex_;
    bool busy_ = false;
    std::atomic<bool> closing_{false};  // the viewer is quitting: end the chooser, stop waiting
    std::optional<Chosen> chosen_;
    std::thread thread_;
};

// The first of `names` that is an executable file in one of $PATH's folders; empty when none is.
std::string find_program(const std::vector<std::string>& names);

}  // namespace nt::viewer
