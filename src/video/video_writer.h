#pragma once
// Encodes RGB pictures as H.264 (libx264 through Debian's libavcodec) into an MP4, MOV or MKV
// file at a constant frame rate, optionally with the audio of a VideoReader copied as it is
// (no re-encoding). The file is written under a temporary name in the destination's folder and
// renamed into place by finish(): a failed, cancelled or abandoned encode leaves nothing behind,
// and never a damaged file where the user expects a finished one.
#include <filesystem>
#include <memory>
#include <string>

#include "image/image.h"

namespace nt {

class VideoReader;

struct VideoWriterOptions {
    int width = 0, height = 0;  // every frame's size
    int fps_num = 25, fps_den = 1;
    int crf = 18;                             // x264's constant quality: 18 is visually lossless
    const VideoReader* audio_from = nullptr;  // copy its audio stream, when it has one
    // Where in the reader's timeline this video starts (a recording begun mid-clip): audio
    // before it is left out and the rest moved to start at 0 with the first frame.
    double audio_start_s = 0.0;
};

class VideoWriter {
public:
    // Throws nt::Error naming `path`: unknown extension (.mp4, .mov, .mkv), missing folder, no
    // H.264 encoder, odd sizes refused by the encoder, ...
    VideoWriter(const std::filesystem::path& path, const VideoWriterOptions& options);
    ~VideoWriter();  // without finish(): the temporary file is removed
    VideoWriter(const VideoWriter&) = delete;
    VideoWriter& operator=(const VideoWriter&) = delete;

    void write(const Image& picture);     // the next frame, options' size
    void copy_audio(const void* packet);  // a packet of the reader's audio stream (AVPacket*)
    // Flushes the encoder, writes the trailer and renames the file into place.
    void finish();

    // Why the audio was not copied ("" when it was, or there was none).
    const std::string& audio_note() const { return audio_note_; }
    std::int64_t frames_written() const;
    int width() const;
    int height() const;

private:
    struct Impl;
    std::filesystem::path path_;
    std::string audio_note_;
    std::unique_ptr<Impl> impl_;
};

}  // namespace nt
