#pragma once
// Resizes the pictures to the working size on its own thread, so a big picture or working size
// (a 24 MP photo, a 32768-wide working size) never holds the window: the pipeline asks for a
// pair, gets nothing while it is made, and takes it once it is done. Only the newest request
// counts: one that is superseded is not started, and a finished one for old inputs is dropped.
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "image/image.h"
#include "image/sizing.h"
#include "stylize/stylize.h"

namespace nt::viewer {

class WorkingPairWorker {
public:
    // `wake` is called from the thread when a pair is ready (the viewer posts an empty event).
    explicit WorkingPairWorker(std::function<void()> wake = {});
    ~WorkingPairWorker();  // waits for a resize under way, at most one
    WorkingPairWorker(const WorkingPairWorker&) = delete;
    WorkingPairWorker& operator=(const WorkingPairWorker&) = delete;

    // The pair for `key` (what the pictures, the size and the style's size for the method are):
    // when it is done, taken (or its nt::Error rethrown); else nothing, and it is requested with
    // copies of the pictures. `info` is the registry's (it outlives the worker).
    std::optional<WorkingPair> take_or_request(const std::string& key, const Image& content, const Image& style,
                                               const SizeSpec& size, const MethodInfo& info);

private:
    struct Request {
        std::string key;
        Image content, style;
        SizeSpec size;
        const MethodInfo* info = nullptr;
    };
    void loop();

    std::function<void()> wake_;
    std::mutex mutex_;
    std::condition_variable wanted_;
    std::optional<Request> next_;  // waiting to start
    std::string running_;          // the key being resized
    std::string done_key_;         // the key of done_ / failed_
    std::optional<WorkingPair> done_;
    std::exception_ptr failed_;
    bool stop_ = false;
    std::thread thread_;
};

}  // namespace nt::viewer
