#pragma once
// Decodes pictures on its own thread, so opening a 24 MP photo never holds the window: the app
// asks for a path and takes the picture (or the reason it could not be read) in a later frame.
// For each target only the newest request counts: an older one not started is skipped, and an
// older one that finished is dropped, so the last file chosen is the one that ends up loaded.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "image/image.h"

namespace nt::viewer {

class PictureLoader {
public:
    // `wake` is called from the thread when a picture is ready (the viewer posts an empty event).
    explicit PictureLoader(std::function<void()> wake = {});
    ~PictureLoader();  // waits for a decode under way, at most one
    PictureLoader(const PictureLoader&) = delete;
    PictureLoader& operator=(const PictureLoader&) = delete;

    // `target` says where the picture goes (the app's choice: content, style, ...).
    void request(int target, const std::string& path);
    struct Loaded {
        int target = 0;
        std::string path;
        std::optional<Image> image;  // nullopt: `error` says why
        std::string error;
    };
    // The newest request's result for each target that finished since the last call.
    std::vector<Loaded> take_finished();
    // A request is waiting or being decoded.
    bool busy() const;
    // take_finished() has something (the idle loop draws a frame for it).
    bool has_finished() const;
    // The path of `target`'s newest request until its result is taken; "" when none is under way.
    std::string loading(int target) const;

private:
    struct Request {
        int target;
        std::string path;
        std::uint64_t sequence;
    };
    void loop();

    std::function<void()> wake_;
    mutable std::mutex mutex_;
    std::condition_variable wanted_;
    std::deque<Request> queue_;
    std::map<int, std::uint64_t> newest_;  // per target, the sequence of its newest request
    std::map<int, std::string> loading_;   // per target, its newest request's path until taken
    std::vector<std::pair<std::uint64_t, Loaded>> finished_;
    std::uint64_t next_sequence_ = 1;
    bool decoding_ = false;
    bool stop_ = false;
    std::thread thread_;
};

}  // namespace nt::viewer
