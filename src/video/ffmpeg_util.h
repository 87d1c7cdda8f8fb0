#pragma once
// What the video reader and writer share: FFmpeg's headers, its error codes as text, and owners
// for its C objects (so an early throw frees them).
extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>
}

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <memory>
#include <string>

namespace nt::ffmpeg {

// ".MP4" -> ".mp4": containers are chosen by extension, in any case.
inline std::string lower_extension(const std::filesystem::path& path) {
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return ext;
}

inline std::string error_text(int code) {
    char text[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(code, text, sizeof text);
    return text;
}

struct PacketFree {
    void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct FrameFree {
    void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct CodecFree {
    void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct ScaleFree {
    void operator()(SwsContext* s) const { sws_freeContext(s); }
};
using Packet = std::unique_ptr<AVPacket, PacketFree>;
using Frame = std::unique_ptr<AVFrame, FrameFree>;
using Codec = std::unique_ptr<AVCodecContext, CodecFree>;
using Scale = std::unique_ptr<SwsContext, ScaleFree>;

// Quiet by default: FFmpeg's own warnings would interleave with the CLI's one-line errors.
inline void quiet_logs() { av_log_set_level(AV_LOG_ERROR - 8); }

}  // namespace nt::ffmpeg
