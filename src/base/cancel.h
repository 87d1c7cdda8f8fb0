#pragma once
// Cooperative cancellation for long runs (networks, iterative methods): the viewer's worker sets the flag when its
// inputs change, and the networks check it between layers, so stale work stops within one layer.
// Each check also counts a step, which the viewer turns into a progress bar.
#include <atomic>
#include <exception>

namespace nt {

// Thrown by CancelToken::check(); callers that cancel catch it and drop the partial result.
struct Cancelled final : std::exception {
    const char* what() const noexcept override { return "cancelled"; }
};

class CancelToken {
public:
    CancelToken() = default;
    explicit CancelToken(const std::atomic<bool>* flag, std::atomic<int>* steps = nullptr)
        : flag_(flag), steps_(steps) {}
    bool cancelled() const { return flag_ && flag_->load(std::memory_order_relaxed); }
    void check() const {
        if (steps_) steps_->fetch_add(1, std::memory_order_relaxed);
        if (cancelled()) throw Cancelled();
    }

private:
    const std::atomic<bool>* flag_ = nullptr;
    std::atomic<int>* steps_ = nullptr;
};

}  // namespace nt
