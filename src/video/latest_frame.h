#pragma once
// A one-place mailbox between a producer that must never wait (a video decoder keeping up with
// its source) and a consumer that may be slower (stylization): put() replaces a value not yet
// taken, so the consumer always gets the newest one and latency stays at one frame. What was
// replaced is counted, not queued.
#include <cstdint>
#include <mutex>
#include <optional>
#include <utility>

namespace nt {

template <class T>
class LatestSlot {
public:
    // Returns true when it replaced a value nobody took (a dropped frame).
    bool put(T value) {
        std::lock_guard<std::mutex> lock(mutex_);
        const bool dropped = value_.has_value();
        if (dropped) ++dropped_;
        value_ = std::move(value);
        return dropped;
    }
    std::optional<T> take() {
        std::lock_guard<std::mutex> lock(mutex_);
        std::optional<T> out = std::move(value_);
        value_.reset();
        return out;
    }
    bool empty() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return !value_.has_value();
    }
    // Forgets the value held (a seek makes it stale) without counting it as dropped.
    void clear() {
        std::lock_guard<std::mutex> lock(mutex_);
        value_.reset();
    }
    std::int64_t dropped() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return dropped_;
    }

private:
    mutable std::mutex mutex_;
    std::optional<T> value_;
    std::int64_t dropped_ = 0;
};

}  // namespace nt
