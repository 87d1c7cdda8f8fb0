#pragma once
// What the video reader and writer share: FFmpeg's headers, its error codes as text, and owners
// for its C objects (so an early throw frees them).
extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>
}

#include <memory>
#include <string>

namespace nt::ffmpeg {

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
