#pragma once
// The message bar's state, without GL. Every message belongs to a source (the content picture,
// the style, the mask, the result, ...), and each source holds one message at most: a new one
// replaces the old (a "Loading a.jpg" becomes "Loaded a.jpg" or the error), and clear(source)
// removes it when that source changes, so no message outlives the state it was about. Errors
// stay until answered or dismissed; confirmations end after a few seconds. The bar shows the
// newest message, so a "Saved ..." is never hidden under an older error, and when it ends the
// newest remaining one shows again. Messages of no particular source (General) keep one error
// and one confirmation.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nt::viewer {

enum class MessageSource { General, Content, Style, ExtraStyle, Mask, Models, Segmentation, Result, Export, Video };

class Messages {
public:
    using Clock = std::chrono::steady_clock;
    static constexpr double kInfoSeconds = 6.0;

    void error(const std::string& text) { error(MessageSource::General, text); }
    void info(const std::string& text, Clock::time_point now = Clock::now()) {
        info(MessageSource::General, text, now);
    }
    void error(MessageSource source, const std::string& text);
    void info(MessageSource source, const std::string& text, Clock::time_point now = Clock::now());
    // Removes the source's message (the source changed: what was said of it is stale).
    void clear(MessageSource source);
    // Clears the errors that start with `prefix` (a success answers an earlier failure).
    void clear_error_starting_with(const std::string& prefix);
    // Clears the confirmations that start with `prefix` (a "Loading …" that is done).
    void clear_info_starting_with(const std::string& prefix);
    // Drops the confirmations whose time is up.
    void expire(Clock::time_point now = Clock::now());

    // The newest error and the newest confirmation ("" when none).
    const std::string& error_text() const;
    const std::string& info_text() const;
    // The source's message, if it has one.
    const std::string* text_of(MessageSource source) const;
    // What the bar shows now: the newest message; `is_error` says which kind.
    struct Shown {
        const std::string* text = nullptr;
        bool is_error = false;
    };
    std::optional<Shown> shown() const;
    void dismiss_shown();  // the Dismiss button
    // When the next confirmation ends (for the idle loop's wake-up), or nothing.
    std::optional<Clock::time_point> info_deadline() const;

private:
    struct Entry {
        MessageSource source;
        bool is_error;
        std::string text;
        std::uint64_t order;        // newer messages have larger numbers
        Clock::time_point until{};  // confirmations only
    };
    void put(Entry entry);
    const Entry* newest(std::optional<bool> is_error) const;

    std::vector<Entry> entries_;
    std::uint64_t next_order_ = 0;
};

}  // namespace nt::viewer
