#include "viewer/state/messages.h"

#include <algorithm>

namespace nt::viewer {

namespace {
const std::string kNone;
}  // namespace

void Messages::put(Entry entry) {
    // One message a source; General keeps one of each kind (unrelated messages of no source).
    const bool general = entry.source == MessageSource::General;
    entries_.erase(std::remove_if(entries_.begin(), entries_.end(),
                                  [&](const Entry& e) {
                                      return e.source == entry.source && (!general || e.is_error == entry.is_error);
                                  }),
                   entries_.end());
    entry.order = next_order_++;
    entries_.push_back(std::move(entry));
}

void Messages::error(MessageSource source, const std::string& text) { put({source, true, text, 0, {}}); }

void Messages::info(MessageSource source, const std::string& text, Clock::time_point now) {
    put({source, false, text, 0, now + std::chrono::milliseconds(static_cast<int>(kInfoSeconds * 1000))});
}

void Messages::clear(MessageSource source) {
    entries_.erase(std::remove_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.source == source; }),
                   entries_.end());
}

void Messages::clear_error_starting_with(const std::string& prefix) {
    entries_.erase(std::remove_if(entries_.begin(), entries_.end(),
                                  [&](const Entry& e) { return e.is_error && e.text.rfind(prefix, 0) == 0; }),
                   entries_.end());
}

void Messages::clear_info_starting_with(const std::string& prefix) {
    entries_.erase(std::remove_if(entries_.begin(), entries_.end(),
                                  [&](const Entry& e) { return !e.is_error && e.text.rfind(prefix, 0) == 0; }),
                   entries_.end());
}

void Messages::expire(Clock::time_point now) {
    entries_.erase(
        std::remove_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return !e.is_error && now >= e.until; }),
        entries_.end());
}

const Messages::Entry* Messages::newest(std::optional<bool> is_error) const {
    const Entry* best = nullptr;
    for (const Entry& e : entries_)
        if ((!is_error || e.is_error == *is_error) && (!best || e.order > best->order)) best = &e;
    return best;
}

const std::string& Messages::error_text() const {
    const Entry* e = newest(true);
    return e ? e->text : kNone;
}

const std::string& Messages::info_text() const {
    const Entry* e = newest(false);
    return e ? e->text : kNone;
}

const std::string* Messages::text_of(MessageSource source) const {
    for (const Entry& e : entries_)
        if (e.source == source) return &e.text;
    return nullptr;
}

std::optional<Messages::Shown> Messages::shown() const {
    const Entry* e = newest(std::nullopt);
    if (!e) return std::nullopt;
    return Shown{&e->text, e->is_error};
}

void Messages::dismiss_shown() {
    if (const Entry* e = newest(std::nullopt)) entries_.erase(entries_.begin() + (e - entries_.data()));
}

std::optional<Messages::Clock::time_point> Messages::info_deadline() const {
    std::optional<Clock::time_point> first;
    for (const Entry& e : entries_)
        if (!e.is_error && (!first || e.until < *first)) first = e.until;
    return first;
}

}  // namespace nt::viewer
