#pragma once
// A live video as the viewer's content: the source (video_source.h), which of its frames the
// content panel and the result came from, the stylized frame rate, and the recording
// (video_recorder.h). No GL and no ImGui: the app feeds it frames and results, the tests drive
// it the same way.
#include <ATen/Tensor.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "methods/temporal_stats.h"
#include "video/temporal_consistency.h"
#include "viewer/video/video_recorder.h"
#include "viewer/video/video_source.h"

namespace nt::viewer {

class VideoSession {
public:
    VideoSession() = default;
    ~VideoSession() { close(); }  // a recording under way when the viewer quits is kept
    VideoSession(const VideoSession&) = delete;
    VideoSession& operator=(const VideoSession&) = delete;

    // Opens the file or camera (throws nt::Error naming it); `wake` as VideoSource's.
    void open(const std::filesystem::path& path, std::function<void()> wake, bool play = true);
    // Stops the source; a recording under way is finished first (its file kept).
    void close();
    bool active() const { return source_ != nullptr; }
    VideoSource& source() { return *source_; }
    const VideoSource& source() const { return *source_; }

    // The newest frame when `consumer_free` (the previous frame's result is on screen), else
    // nothing: a frame taken while the stylizer is busy would cancel its work, and then no
    // result would ever finish at a source rate above the stylizer's. The frame is remembered
    // under the content generation the caller gives it (frame_content()).
    std::optional<VideoFrame> next_frame(bool consumer_free);
    void frame_content(std::uint64_t content_generation, double time_s, const Image& picture);
    // A frame is waiting to be taken (the frame loop draws for it).
    bool frame_waiting() const { return source_ && source_->has_frame(); }
    // A new result is on screen, computed from content `content_generation`: counted for the
    // stylized frame rate and, when recording, recorded at its frame's source time.
    // `rgba`: RGBA8 [H, W, 4] in host memory.
    void result_shown(std::uint64_t content_generation, const at::Tensor& rgba);
    double stylized_fps() const;
    std::int64_t results() const { return results_count_; }  // new frames' results shown since opening
    // The source time of the frame a content generation came from; nullopt: not a video frame.
    std::optional<double> frame_time(std::uint64_t content_generation) const;
    // The content statistics averaged over the frames (methods/temporal_stats.h); each frame
    // given to frame_content() is their next.
    TemporalStats& temporal() { return temporal_; }
    double smoothing_s() const { return temporal_.time_constant(); }
    void set_smoothing(double seconds) { temporal_.set_time_constant(seconds); }
    // The results' temporal consistency (video/temporal_consistency.h): the filter while it
    // is on, else null; the pipeline runs it on its worker, so what is shown and what is recorded
    // are the filtered frames. Off at first; a new video starts it over.
    std::shared_ptr<TemporalConsistency> consistency() const { return consistency_on_ ? consistency_ : nullptr; }
    bool consistency_on() const { return consistency_on_; }
    double consistency_strength() const { return consistency_->strength(); }
    void set_consistency(bool on, double strength);

    // Recording into `path` at the source's frame rate (throws nt::Error naming it when it cannot start).
    void start_recording(const std::filesystem::path& path);
    void stop_recording();  // returns at once; finished_recording() reports the outcome
    bool recording() const { return recorder_ && recorder_->status().recording; }
    std::optional<RecorderStatus> recorder_status() const;
    // Once, when a stopped recording is done: "Recorded <file> (...)" or "Recording failed: ...".
    std::optional<std::string> finished_recording();

private:
    std::unique_ptr<VideoSource> source_;
    std::unique_ptr<VideoRecorder> recorder_;
    std::map<std::uint64_t, double> frame_times_;  // recent content generations -> source times
    std::uint64_t last_result_generation_ = 0;
    std::int64_t results_count_ = 0;
    std::optional<double> last_frame_time_;                      // of the last frame given to frame_content()
    std::string stop_reason_;                                    // why a recording ended by itself
    std::deque<std::chrono::steady_clock::time_point> results_;  // within the last second
    TemporalStats temporal_;
    std::shared_ptr<TemporalConsistency> consistency_ = std::make_shared<TemporalConsistency>();
    bool consistency_on_ = false;
};

// RGBA8 [H, W, 4] in host memory as an RGB picture.
Image rgb_from_rgba8(const at::Tensor& rgba);

}  // namespace nt::viewer
