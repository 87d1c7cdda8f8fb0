#pragma once
// Records the stylized stream of a live video source: every result the viewer shows for a
// video frame goes to an H.264 MP4 (video/video_writer.h) at the source's frame rate, on
// this recorder's own thread, so encoding never holds up the frame loop. Frames are placed by
// their source times: when stylization was slower than the source, the picture shown is
// repeated for the frames it stood for, so the recording plays back as long as what was
// watched. A file source's audio is copied from where the recording began. The file appears
// only when stop() has finished it (a temporary name until then).
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "image/image.h"

namespace nt {
class VideoReader;
}

namespace nt::viewer {

struct RecorderStatus {
    bool recording = false;    // accepting frames (false after stop())
    bool finished = false;     // stop() is done: the file is in place, or error says why not
    double length_s = 0.0;     // the recording's length so far (frames written / fps)
    std::int64_t frames = 0;   // frames written, repeats included
    std::int64_t results = 0;  // stylized results received
    std::string error;         // the encoder failed; nothing is left behind
    std::string audio_note;    // why the audio was not copied ("" when it was or there was none)
};

class VideoRecorder {
public:
    // Starts recording into `path` (.mp4, .mov, .mkv) at fps_num/fps_den. `audio_from`: the
    // source's reader whose audio is copied (nullptr: none); it must outlive the recorder.
    VideoRecorder(std::filesystem::path path, int fps_num, int fps_den, const VideoReader* audio_from);
    // Without stop(), the recording is abandoned (its temporary file removed); after it, waits
    // until the file is finished.
    ~VideoRecorder();
    VideoRecorder(const VideoRecorder&) = delete;
    VideoRecorder& operator=(const VideoRecorder&) = delete;

    const std::filesystem::path& path() const { return path_; }
    // A result for the source frame at `time_s`. Frames older than the last one are ignored.
    void add_frame(Image picture, double time_s);
    // An audio packet of the source (const AVPacket*), as it is read; it is copied.
    void add_audio(const void* packet);
    // Ends the recording: the thread flushes the encoder and renames the file into place;
    // status().finished says when it is done. Returns at once.
    void stop();
    RecorderStatus status() const;

private:
    struct Item;
    struct RecordingState;
    void run();
    void write(Item& item, RecordingState& rec);

    std::filesystem::path path_;
    int fps_num_, fps_den_;
    const VideoReader* audio_from_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<Item> queue_;
    bool stopping_ = false;
    bool abandon_ = false;
    RecorderStatus status_;
    std::thread thread_;
};

}  // namespace nt::viewer
