#pragma once
// A live video source for the content panel: a file or a camera decoded on its own thread.
// Frames go through a one-place mailbox (video/latest_frame.h): when stylization is slower
// than the source, the newest frame wins and the older ones are dropped and counted, so what is
// stylized is never more than a frame behind the source. A file plays at its own frame rate
// (presentation times against the wall clock), loops at its end when asked, and can be paused,
// stepped and seeked; a camera delivers at its own pace. EveryFrame pacing waits for the consumer
// instead of dropping (slower than real time, but every frame is stylized: for recordings and
// benchmarks). No GL: the viewer takes frames in its frame loop.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "video/latest_frame.h"
#include "video/video_reader.h"

namespace nt::viewer {

enum class VideoPacing { RealTime, EveryFrame };

struct VideoSourceStatus {
    bool playing = false;
    bool ended = false;            // a file reached its end (not looping)
    double position_s = 0.0;       // presentation time of the newest frame handed over
    double duration_s = 0.0;       // 0: unknown (a camera)
    double source_fps = 0.0;       // frames handed over per second, over the last second
    std::int64_t frames = 0;       // frames handed over since the source was opened
    std::int64_t dropped = 0;      // of those, replaced before the viewer took them
    std::int64_t frame_index = 0;  // the newest frame's index in the stream
    std::string error;             // the source failed (damaged data, a camera unplugged); it stopped
    bool loop = true;              // a file starts again at its end
    VideoPacing pacing = VideoPacing::RealTime;
};

class VideoSource {
public:
    // Opens the file or camera (throws nt::Error naming it) and starts the decoder thread, which
    // hands over the first frame at once, then plays when `play` (else it waits, paused).
    // `wake` is called from that thread after each frame (the viewer posts an empty GLFW event).
    VideoSource(const std::filesystem::path& path, std::function<void()> wake, bool play = true);
    ~VideoSource();  // stops and joins the thread
    VideoSource(const VideoSource&) = delete;
    VideoSource& operator=(const VideoSource&) = delete;

    const VideoInfo& info() const { return info_; }
    const std::filesystem::path& path() const { return path_; }
    bool is_camera() const { return camera_; }
    // The reader, for what does not change after opening (a recording's audio stream parameters).
    const VideoReader& reader() const { return *reader_; }

    void play();
    void pause();
    // Pauses and hands over the next frame.
    void step();
    // Hands over the frame at `time_s` (the key frame before it, then decoded forward); keeps
    // playing or paused as it was. Ignored for a camera.
    void seek(double time_s);
    void set_loop(bool loop);
    void set_pacing(VideoPacing pacing);

    // The newest frame not yet taken.
    std::optional<VideoFrame> take();
    bool has_frame() const { return !slot_.empty(); }
    VideoSourceStatus status() const;
    // Called on the decoder thread with each audio packet of the file (const AVPacket*) while set.
    void set_audio_sink(std::function<void(const void* packet)> sink);

private:
    using Clock = std::chrono::steady_clock;
    void run();
    bool wait_for_work(std::unique_lock<std::mutex>& lock);
    void seek_now(double time_s, std::unique_lock<std::mutex>& lock);
    std::optional<VideoFrame> read_frame(std::unique_lock<std::mutex>& lock);
    // False: stop or a seek came while waiting for the frame's presentation time.
    bool wait_until_due(const VideoFrame& frame, std::unique_lock<std::mutex>& lock);
    void hand_over(VideoFrame frame, std::unique_lock<std::mutex>& lock);

    std::filesystem::path path_;
    bool camera_ = false;
    std::unique_ptr<VideoReader> reader_;  // used by the thread only, after the constructor
    VideoInfo info_;
    std::function<void()> wake_;
    LatestSlot<VideoFrame> slot_;

    mutable std::mutex mutex_;
    std::condition_variable changed_;
    bool stop_ = false;
    bool playing_ = false;
    bool step_ = false;
    std::optional<double> seek_to_;
    bool loop_ = true;
    VideoPacing pacing_ = VideoPacing::RealTime;
    bool ended_ = false;
    std::string error_;
    // The wall-clock time at which the frame at clock_media_s_ was due; unset after play, a seek
    // or a loop (the next frame sets it).
    std::optional<Clock::time_point> clock_start_;
    double clock_media_s_ = 0.0;
    double position_s_ = 0.0;
    std::int64_t frame_index_ = 0;
    std::int64_t frames_ = 0;
    std::deque<Clock::time_point> recent_;  // hand-over times within the last second

    std::mutex audio_mutex_;
    std::function<void(const void*)> audio_sink_;
    std::thread thread_;
};

}  // namespace nt::viewer
