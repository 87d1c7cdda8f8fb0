#pragma once
// Decodes a video file (MP4, MKV, WebM, MOV, AVI, animated GIF, ...) or a camera (V4L2, e.g.
// /dev/video0) into RGB pictures in presentation order, through Debian's FFmpeg libraries. A
// camera differs only in how it is opened (the video4linux2 input format); everything after that
// is the same code. Core only: no GL, no threads (the viewer's source runs it on its own thread).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "image/image.h"

namespace nt {

struct VideoInfo {
    int width = 0, height = 0;
    int fps_num = 0, fps_den = 1;  // the stream's average frame rate (25/1, 30000/1001, ...)
    std::int64_t frames = 0;       // as the container states it; 0 when it does not
    double duration_s = 0.0;       // 0 when unknown (a camera)
    bool has_audio = false;
    std::string codec;  // "h264", "vp9", "gif", ...
    double fps() const { return fps_den > 0 ? double(fps_num) / fps_den : 0.0; }
};

struct VideoFrame {
    Image picture;      // RGB, the stream's size
    double time_s = 0;  // presentation time from the stream's start
    std::int64_t index = 0;
};

// True for paths the CLI and the viewer treat as video: the extensions above, or /dev/video*.
bool looks_like_video(const std::filesystem::path& path);
// A .gif with more than one frame (its blocks walked, nothing decoded). A still GIF, or one that
// cannot be read, is a picture (imageio reads its first frame and says what is wrong).
bool is_animated_gif(const std::filesystem::path& path);

class VideoReader {
public:
    // Throws nt::Error naming the file: missing, not a video, no video stream, unknown codec,
    // or a size beyond the picture limits (base/limits.h).
    explicit VideoReader(const std::filesystem::path& path);
    ~VideoReader();
    VideoReader(const VideoReader&) = delete;
    VideoReader& operator=(const VideoReader&) = delete;

    const VideoInfo& info() const { return info_; }
    const std::filesystem::path& path() const { return path_; }

    // The next frame, or nullopt at the end. Throws nt::Error naming the file when the data is
    // damaged, or when the stream ends before the container's frame count or duration says it
    // should (a truncated file).
    std::optional<VideoFrame> read();

    // Seeks to the key frame at or before `time_s`; the next read() returns frames from there.
    // Throws nt::Error for a source that cannot seek (a camera).
    void seek(double time_s);

    // For the writer's audio copy: the demuxer (AVFormatContext*) and the audio stream's index
    // (-1: none), and a sink that read() hands each audio packet (const AVPacket*) it meets.
    // Opaque here so that this header needs no FFmpeg include.
    void* format_context() const;
    int audio_stream() const;
    void set_audio_sink(std::function<void(const void* packet)> sink);

private:
    struct Impl;
    std::filesystem::path path_;
    VideoInfo info_;
    std::function<void(const void*)> audio_sink_;
    std::unique_ptr<Impl> impl_;
};

}  // namespace nt
