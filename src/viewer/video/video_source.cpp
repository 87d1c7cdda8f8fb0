#include "viewer/video/video_source.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "base/error.h"

namespace nt::viewer {

namespace {

// A file frame this late against its presentation time means decoding (or the machine) cannot
// keep up: the clock is moved to it instead of racing to catch up.
constexpr double kMaxLateS = 0.25;

}  // namespace

VideoSource::VideoSource(const std::filesystem::path& path, std::function<void()> wake, bool play)
    : path_(path), wake_(std::move(wake)), playing_(play) {
    camera_ = path.string().rfind("/dev/video", 0) == 0;
    reader_ = std::make_unique<VideoReader>(path);
    info_ = reader_->info();
    reader_->set_audio_sink([this](const void* packet) {
        std::lock_guard<std::mutex> lock(audio_mutex_);
        if (audio_sink_) audio_sink_(packet);
    });
    thread_ = std::thread([this] { run(); });
}

VideoSource::~VideoSource() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
    }
    changed_.notify_all();
    thread_.join();
}

void VideoSource::play() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (ended_ && !camera_) seek_to_ = 0.0;  // Play at the end starts again
    playing_ = true;
    clock_start_.reset();
    changed_.notify_all();
}

void VideoSource::pause() {
    std::lock_guard<std::mutex> lock(mutex_);
    playing_ = false;
    changed_.notify_all();
}

void VideoSource::step() {
    std::lock_guard<std::mutex> lock(mutex_);
    playing_ = false;
    step_ = true;
    changed_.notify_all();
}

void VideoSource::seek(double time_s) {
    if (camera_) return;
    std::lock_guard<std::mutex> lock(mutex_);
    seek_to_ = std::clamp(time_s, 0.0, std::max(0.0, info_.duration_s));
    changed_.notify_all();
}

void VideoSource::set_loop(bool loop) {
    std::lock_guard<std::mutex> lock(mutex_);
    loop_ = loop;
}

void VideoSource::set_pacing(VideoPacing pacing) {
    std::lock_guard<std::mutex> lock(mutex_);
    pacing_ = pacing;
    clock_start_.reset();
    changed_.notify_all();
}

void VideoSource::set_audio_sink(std::function<void(const void*)> sink) {
    std::lock_guard<std::mutex> lock(audio_mutex_);
    audio_sink_ = std::move(sink);
}

std::optional<VideoFrame> VideoSource::take() {
    std::optional<VideoFrame> frame = slot_.take();
    if (frame) {
        // EveryFrame pacing waits for an empty slot; taking the lock orders this with its check.
        { std::lock_guard<std::mutex> lock(mutex_); }
        changed_.notify_all();
    }
    return frame;
}

VideoSourceStatus VideoSource::status() const {
    std::lock_guard<std::mutex> lock(mutex_);
    VideoSourceStatus s;
    s.playing = playing_;
    s.ended = ended_;
    s.position_s = position_s_;
    s.duration_s = info_.duration_s;
    s.frames = frames_;
    s.dropped = slot_.dropped();
    s.frame_index = frame_index_;
    s.error = error_;
    s.loop = loop_;
    s.pacing = pacing_;
    if (recent_.size() >= 2) {
        const double span = std::chrono::duration<double>(recent_.back() - recent_.front()).count();
        if (span > 0) s.source_fps = double(recent_.size() - 1) / span;
    }
    return s;
}

void VideoSource::run() {
    std::unique_lock<std::mutex> lock(mutex_);
    bool first = true;  // the first frame is handed over even when paused: the panel shows it
    while (first || wait_for_work(lock)) {
        if (seek_to_) {
            const double t = *seek_to_;
            seek_to_.reset();
            seek_now(t, lock);
            continue;
        }
        const bool stepping = std::exchange(step_, false);
        std::optional<VideoFrame> frame = read_frame(lock);
        if (stop_) return;
        if (!frame) {
            if (!error_.empty() || camera_ || !loop_ || first) {
                ended_ = error_.empty();
                playing_ = false;
            } else {
                seek_to_ = 0.0;  // loop: from the start, on the clock again
            }
            first = false;
            continue;
        }
        if (!first && !stepping && playing_ && !wait_until_due(*frame, lock)) {
            if (stop_) return;
            continue;  // a seek came: this frame is stale
        }
        first = false;
        hand_over(std::move(*frame), lock);
    }
}

// Waits until there is something to do; false when the source is stopping.
bool VideoSource::wait_for_work(std::unique_lock<std::mutex>& lock) {
    changed_.wait(lock, [&] {
        const bool can_play = playing_ && (pacing_ == VideoPacing::RealTime || slot_.empty());
        return stop_ || seek_to_ || step_ || can_play;
    });
    return !stop_;
}

std::optional<VideoFrame> VideoSource::read_frame(std::unique_lock<std::mutex>& lock) {
    lock.unlock();  // decoding takes milliseconds: controls stay free meanwhile
    std::optional<VideoFrame> frame;
    std::string error;
    try {
        frame = reader_->read();
    } catch (const std::exception& e) {
        error = e.what();
    }
    lock.lock();
    if (!error.empty()) error_ = error;
    return frame;
}

void VideoSource::seek_now(double time_s, std::unique_lock<std::mutex>& lock) {
    slot_.clear();
    ended_ = false;
    clock_start_.reset();
    lock.unlock();
    std::optional<VideoFrame> shown;
    std::string error;
    try {
        reader_->seek(time_s);
        // From the key frame before it, decoded forward to the frame that covers time_s.
        const double half_frame = info_.fps() > 0 ? 0.5 / info_.fps() : 0.0;
        while (std::optional<VideoFrame> f = reader_->read()) {
            shown = std::move(f);
            if (shown->time_s + half_frame >= time_s) break;
        }
    } catch (const std::exception& e) {
        error = e.what();
    }
    lock.lock();
    if (!error.empty()) {
        error_ = error;
        playing_ = false;
        return;
    }
    if (shown) hand_over(std::move(*shown), lock);
}

bool VideoSource::wait_until_due(const VideoFrame& frame, std::unique_lock<std::mutex>& lock) {
    if (camera_ || pacing_ == VideoPacing::EveryFrame) return true;  // the device (or the consumer) paces
    const Clock::time_point now = Clock::now();
    const auto media = [](double s) {
        return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
    };
    if (!clock_start_ || now - (*clock_start_ + media(frame.time_s - clock_media_s_)) > media(kMaxLateS)) {
        clock_start_ = now;
        clock_media_s_ = frame.time_s;
        return true;
    }
    const Clock::time_point due = *clock_start_ + media(frame.time_s - clock_media_s_);
    changed_.wait_until(lock, due, [&] { return stop_ || seek_to_.has_value() || !playing_; });
    return !stop_ && !seek_to_;
}

void VideoSource::hand_over(VideoFrame frame, std::unique_lock<std::mutex>& lock) {
    position_s_ = frame.time_s;
    frame_index_ = frame.index;
    ++frames_;
    const Clock::time_point now = Clock::now();
    recent_.push_back(now);
    while (recent_.size() > 2 && now - recent_.front() > std::chrono::seconds(1)) recent_.pop_front();
    lock.unlock();
    slot_.put(std::move(frame));
    if (wake_) wake_();
    lock.lock();
}

}  // namespace nt::viewer
