#pragma once
// The message bar's state, without GL: the current error (stays until answered or dismissed) and
// the current confirmation (a few seconds). The bar shows the newer of the two, so a "Saved ..."
// is never hidden under an older error; when the confirmation times out the error shows again.
#include <chrono>
#include <optional>
#include <string>

namespace nt::viewer {

class Messages {
public:
    using Clock = std::chrono::steady_clock;
    static constexpr double kInfoSeconds = 6.0;

    void error(const std::string& text);
    void info(const std::string& text, Clock::time_point now = Clock::now());
    // Clears the error when it starts with `prefix` (a success answers an earlier failure).
    void clear_error_starting_with(const std::string& prefix);
    // Clears the confirmation when it starts with `prefix` (a "Loading …" that is done).
    void clear_info_starting_with(const std::string& prefix);
    // Drops a confirmation whose time is up.
    void expire(Clock::time_point now = Clock::now());

    const std::string& error_text() const { return error_; }
    const std::string& info_text() const { return info_; }
    // What the bar shows now: the newer message; `is_error` says which one.
    struct Shown {
        const std::string* text = nullptr;
        bool is_error = false;
    };
    std::optional<Shown> shown() const;
    void dismiss_shown();  // the Dismiss button
    // When the confirmation ends (for the idle loop's wake-up), or nothing.
    std::optional<Clock::time_point> info_deadline() const;

private:
    std::string error_, info_;
    bool info_is_newer_ = false;
    Clock::time_point info_until_{};
};

}  // namespace nt::viewer
