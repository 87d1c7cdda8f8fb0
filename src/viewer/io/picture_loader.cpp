#include "viewer/io/picture_loader.h"

#include <algorithm>

#include "imageio/load_image.h"

namespace nt::viewer {

PictureLoader::PictureLoader(std::function<void()> wake) : wake_(std::move(wake)) {
    thread_ = std::thread([this] { loop(); });
}

PictureLoader::~PictureLoader() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
        queue_.clear();
    }
    wanted_.notify_all();
    thread_.join();
}

void PictureLoader::request(int target, const std::string& path) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        const std::uint64_t sequence = next_sequence_++;
        newest_[target] = sequence;
        loading_[target] = path;
        // An older request for this target that has not started is no longer wanted.
        queue_.erase(std::remove_if(queue_.begin(), queue_.end(), [&](const Request& r) { return r.target == target; }),
                     queue_.end());
        queue_.push_back({target, path, sequence});
    }
    wanted_.notify_one();
}

std::vector<PictureLoader::Loaded> PictureLoader::take_finished() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<Loaded> out;
    for (auto& [sequence, loaded] : finished_)
        if (newest_[loaded.target] == sequence) {
            loading_.erase(loaded.target);
            out.push_back(std::move(loaded));
        }
    finished_.clear();
    return out;
}

bool PictureLoader::busy() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return decoding_ || !queue_.empty();
}

bool PictureLoader::has_finished() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return !finished_.empty();
}

std::string PictureLoader::loading(int target) const {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = loading_.find(target);
    return it == loading_.end() ? "" : it->second;
}

void PictureLoader::loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
        wanted_.wait(lock, [this] { return stop_ || !queue_.empty(); });
        if (stop_) return;
        const Request request = queue_.front();
        queue_.pop_front();
        decoding_ = true;
        lock.unlock();
        Loaded loaded;
        loaded.target = request.target;
        loaded.path = request.path;
        try {
            loaded.image = load_image(request.path);
        } catch (const std::exception& e) {
            loaded.error = e.what();
        }
        lock.lock();
        decoding_ = false;
        finished_.emplace_back(request.sequence, std::move(loaded));
        if (wake_) wake_();
    }
}

}  // namespace nt::viewer
