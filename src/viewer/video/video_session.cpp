#include "viewer/video/video_session.h"

#include <ATen/ATen.h>

#include <cstdio>
#include <cstring>
#include <utility>

#include "base/error.h"

namespace nt::viewer {

namespace {
constexpr std::size_t kRememberedFrames = 16;
}

void VideoSession::open(const std::filesystem::path& path, std::function<void()> wake, bool play) {
    auto source = std::make_unique<VideoSource>(path, std::move(wake), play);
    close();
    source_ = std::move(source);
}

void VideoSession::close() {
    stop_recording();   // no audio reaches the recorder from here on
    recorder_.reset();  // joins once the encoder is flushed and the file is in place
    source_.reset();
    frame_times_.clear();
    results_.clear();
    last_result_generation_ = 0;
    results_count_ = 0;
    last_frame_time_.reset();
    consistency_->reset();  // the next video's first frame is not blended with this one's last
}

void VideoSession::set_consistency(bool on, double strength) {
    // Turned on again: not blended with a frame from before it was turned off.
    if (on && !consistency_on_) {
        consistency_->reset();
        set_flow_threads(1);  // on the worker's thread: a pool gained nothing (docs/TEMPORAL.md)
    }
    consistency_on_ = on;
    consistency_->set_strength(strength);
}

std::optional<VideoFrame> VideoSession::next_frame(bool consumer_free) {
    if (!source_ || !consumer_free) return std::nullopt;
    return source_->take();
}

void VideoSession::frame_content(std::uint64_t content_generation, double time_s, const Image& picture) {
    // A loop or a seek back: a recording is of one stretch of the source's timeline, so it ends.
    if (recording() && last_frame_time_ && time_s < *last_frame_time_) {
        stop_recording();
        stop_reason_ = "the source went back in time (a loop or a seek)";
    }
    last_frame_time_ = time_s;
    frame_times_[content_generation] = time_s;
    temporal_.next_frame(picture, time_s);
    while (frame_times_.size() > kRememberedFrames) frame_times_.erase(frame_times_.begin());
}

std::optional<double> VideoSession::frame_time(std::uint64_t content_generation) const {
    const auto it = frame_times_.find(content_generation);
    if (it == frame_times_.end()) return std::nullopt;
    return it->second;
}

void VideoSession::result_shown(std::uint64_t content_generation, const at::Tensor& rgba) {
    const std::optional<double> time = frame_time(content_generation);
    // A control change re-stylizes the same frame: a new result, but not a new frame of the stream.
    if (!time || content_generation == last_result_generation_) return;
    last_result_generation_ = content_generation;
    ++results_count_;
    const auto now = std::chrono::steady_clock::now();
    results_.push_back(now);
    while (results_.size() > 2 && now - results_.front() > std::chrono::seconds(1)) results_.pop_front();
    if (recorder_ && recorder_->status().recording) recorder_->add_frame(rgb_from_rgba8(rgba), *time);
}

double VideoSession::stylized_fps() const {
    if (results_.size() < 2) return 0.0;
    // Stale once no result came for a second (paused): the rate is of what is being shown now.
    if (std::chrono::steady_clock::now() - results_.back() > std::chrono::seconds(1)) return 0.0;
    const double span = std::chrono::duration<double>(results_.back() - results_.front()).count();
    return span > 0 ? double(results_.size() - 1) / span : 0.0;
}

void VideoSession::start_recording(const std::filesystem::path& path) {
    if (!source_) throw Error(path.string(), "there is no video to record");
    if (recorder_ && !recorder_->status().finished) throw Error(path.string(), "a recording is still being finished");
    const VideoInfo& info = source_->info();
    const bool audio = !source_->is_camera() && info.has_audio;
    recorder_ = std::make_unique<VideoRecorder>(path, info.fps_num, info.fps_den, audio ? &source_->reader() : nullptr);
    if (audio) {
        VideoRecorder* recorder = recorder_.get();
        source_->set_audio_sink([recorder](const void* packet) { recorder->add_audio(packet); });
    }
}

void VideoSession::stop_recording() {
    if (source_) source_->set_audio_sink({});
    if (recorder_) recorder_->stop();
}

std::optional<RecorderStatus> VideoSession::recorder_status() const {
    if (!recorder_) return std::nullopt;
    return recorder_->status();
}

std::optional<std::string> VideoSession::finished_recording() {
    if (!recorder_) return std::nullopt;
    const RecorderStatus s = recorder_->status();
    if (!s.finished) {
        // A failed encoder stops accepting frames: stop it so that it reports.
        if (!s.recording && !s.error.empty()) stop_recording();
        return std::nullopt;
    }
    const std::string name = recorder_->path().filename().string();
    recorder_.reset();
    const std::string reason = std::exchange(stop_reason_, std::string());
    if (!s.error.empty()) return "Recording failed: " + s.error;
    char text[256];
    std::snprintf(text, sizeof text, "Recorded %s (%lld frames, %.1f s%s%s)", name.c_str(),
                  static_cast<long long>(s.frames), s.length_s, s.audio_note.empty() ? "" : ", ", s.audio_note.c_str());
    return std::string(text) + (reason.empty() ? "" : "; it ended because " + reason);
}

Image rgb_from_rgba8(const at::Tensor& rgba) {
    const at::Tensor rgb = rgba.slice(2, 0, 3).contiguous();
    Image out(int(rgba.size(1)), int(rgba.size(0)));
    std::memcpy(out.pixels.data(), rgb.data_ptr<std::uint8_t>(), out.pixels.size());
    return out;
}

}  // namespace nt::viewer
