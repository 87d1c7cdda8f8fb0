#include "viewer/pipeline/working_pair_worker.h"

#include <ATen/ATen.h>

namespace nt::viewer {

WorkingPairWorker::WorkingPairWorker(std::function<void()> wake) : wake_(std::move(wake)) {
    thread_ = std::thread([this] { loop(); });
}

WorkingPairWorker::~WorkingPairWorker() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
        next_.reset();
    }
    wanted_.notify_all();
    thread_.join();
}

std::optional<WorkingPair> WorkingPairWorker::take_or_request(const std::string& key, const Image& content,
                                                              const Image& style, const SizeSpec& size,
                                                              const MethodInfo& info) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (done_key_ == key && (done_ || failed_)) {
        done_key_.clear();
        if (failed_) {
            const std::exception_ptr e = failed_;
            failed_ = nullptr;
            std::rethrow_exception(e);
        }
        std::optional<WorkingPair> pair = std::move(done_);
        done_.reset();
        return pair;
    }
    if (running_ != key && !(next_ && next_->key == key)) {
        next_ = Request{key, content, style, size, &info};  // replaces an older request not started yet
        lock.unlock();
        wanted_.notify_one();
    }
    return std::nullopt;
}

void WorkingPairWorker::loop() {
    at::InferenceMode inference;
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
        wanted_.wait(lock, [this] { return stop_ || next_.has_value(); });
        if (stop_) return;
        Request request = std::move(*next_);
        next_.reset();
        running_ = request.key;
        lock.unlock();
        std::optional<WorkingPair> pair;
        std::exception_ptr error;
        try {
            pair = make_working_pair(request.content, request.style, request.size, *request.info);
        } catch (...) {
            error = std::current_exception();
        }
        lock.lock();
        running_.clear();
        done_key_ = request.key;
        done_ = std::move(pair);
        failed_ = error;
        if (wake_) wake_();
    }
}

}  // namespace nt::viewer
