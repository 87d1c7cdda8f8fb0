#include "viewer/messages.h"

namespace nt::viewer {

void Messages::error(const std::string& text) {
    error_ = text;
    info_is_newer_ = false;
}

void Messages::info(const std::string& text, Clock::time_point now) {
    info_ = text;
    info_is_newer_ = true;
    info_until_ = now + std::chrono::milliseconds(static_cast<int>(kInfoSeconds * 1000));
}

void Messages::clear_error_starting_with(const std::string& prefix) {
    if (!error_.empty() && error_.rfind(prefix, 0) == 0) error_.clear();
}

void Messages::clear_info_starting_with(const std::string& prefix) {
    if (!info_.empty() && info_.rfind(prefix, 0) == 0) info_.clear();
}

void Messages::expire(Clock::time_point now) {
    if (!info_.empty() && now >= info_until_) info_.clear();
}

std::optional<Messages::Shown> Messages::shown() const {
    if (!info_.empty() && (info_is_newer_ || error_.empty())) return Shown{&info_, false};
    if (!error_.empty()) return Shown{&error_, true};
    return std::nullopt;
}

void Messages::dismiss_shown() {
    if (const auto s = shown()) (s->is_error ? error_ : info_).clear();
}

std::optional<Messages::Clock::time_point> Messages::info_deadline() const {
    if (info_.empty()) return std::nullopt;
    return info_until_;
}

}  // namespace nt::viewer
