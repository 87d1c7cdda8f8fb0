#pragma once
// "Export full size": the current settings rendered at the content picture's own resolution on a
// thread of its own, while the preview stays at the working size. The job is a snapshot taken on
// the UI thread (the pictures, the method and its parameters, the mask, the model, ...), run
// through the core's nt::stylize with --size original, so the file equals what the CLI writes for
// the same settings, memory preflight included (a job that cannot fit is refused with its
// message, never an allocation failure). It reports its steps (iterative methods) and elapsed
// time, can be cancelled (iterative methods stop within a step, networks within a layer; other
// methods finish their run and their result is dropped), and writes its file through a writer
// the caller gives (the viewer's never-overwriting numbered export): nothing partial, nothing
// replaced. No GL.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "image/image.h"
#include "stylize/stylize.h"
#include "viewer/state/viewer_state.h"

namespace nt::viewer {

// One export: the pictures at their own resolution and the core's options for them.
struct FullSizeRequest {
    Image content;
    Image style;
    StylizeOptions options;  // size: original
    Size2 size{};            // the content's own size: what is written
};

// The request for the current settings of `state` at the content's own resolution: the method,
// its parameters, preserve colours, device, precision, the model (found in `models_dir`), AdaIN's
// extra style and its weight, and the mask when it is on. The mask is painted at the working
// size: it is scaled with the picture, and so is its feather (feather_px working pixels become
// feather_px × original / working pixels, at most kMaxFeatherPx), so the export looks like the
// preview. Throws nt::Error saying what is missing (no content, a method that needs a style
// without one, a working size beyond the limits).
FullSizeRequest full_size_request(const ViewerState& state, const std::filesystem::path& models_dir);

// What the running export has done, for the progress row.
struct FullSizeStatus {
    bool running = false;
    bool cancelling = false;  // Cancel was asked; the run stops at its next check
    Size2 size{};
    std::string method;
    int step = 0, total = 0;  // an iterative method's steps (total 0: not iterative)
    std::string stage;
    double elapsed_s = 0.0;
};

struct FullSizeOutcome {
    enum class Kind { Written, Cancelled, Failed };
    Kind kind = Kind::Failed;
    std::filesystem::path path;  // Written: where
    std::string error;           // Failed: why (the memory preflight's refusal, a write error, ...)
    Size2 size{};
    std::string method;
    double seconds = 0.0;
};

class FullSizeExport {
public:
    // Writes the finished picture and returns its path; throws on failure (nothing left then).
    using Writer = std::function<std::filesystem::path(const Image&)>;

    // `wake` is called from the export thread when it has news (a step, the end), to wake a UI
    // loop that sleeps in glfwWaitEvents.
    explicit FullSizeExport(std::function<void()> wake = {});
    ~FullSizeExport();  // cancels the running export and joins it
    FullSizeExport(const FullSizeExport&) = delete;
    FullSizeExport& operator=(const FullSizeExport&) = delete;

    // Starts `request` on the export thread; false (nothing started) while one is running.
    bool start(FullSizeRequest request, Writer write);
    // Asks the running export to stop; its result, if it still arrives, is not written.
    void cancel();
    bool running() const;
    // An export ended and its outcome waits for take().
    bool has_outcome() const;
    FullSizeStatus status() const;
    // The outcome of the export that ended, once (none while running or when already taken).
    std::optional<FullSizeOutcome> take();

private:
    void run(FullSizeRequest request, const Writer& write);
    void finish(FullSizeOutcome outcome);

    std::function<void()> wake_;
    mutable std::mutex mutex_;
    FullSizeStatus status_;
    std::chrono::steady_clock::time_point started_;
    std::optional<FullSizeOutcome> outcome_;
    std::atomic<bool> cancel_{false};
    std::thread thread_;
};

}  // namespace nt::viewer
