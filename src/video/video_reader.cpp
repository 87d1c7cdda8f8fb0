#include "video/video_reader.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>

extern "C" {
#include <libavdevice/avdevice.h>
}

#include "base/error.h"
#include "imageio/container_check.h"
#include "base/limits.h"
#include "video/ffmpeg_util.h"

namespace nt {

namespace fs = std::filesystem;

bool is_animated_gif(const fs::path& path) {
    // Asked on the UI thread for every GIF opened: the blocks are walked, nothing is decoded.
    return ffmpeg::lower_extension(path) == ".gif" && gif_file_has_several_frames(path);
}

bool looks_like_video(const fs::path& path) {
    if (path.string().rfind("/dev/video", 0) == 0) return true;
    const std::string ext = ffmpeg::lower_extension(path);
    for (const char* e : {".mp4", ".m4v", ".mkv", ".webm", ".mov", ".avi"})
        if (ext == e) return true;
    return false;
}

struct VideoReader::Impl {
    AVFormatContext* format = nullptr;
    ffmpeg::Codec decoder;
    ffmpeg::Scale scale;
    ffmpeg::Packet packet{av_packet_alloc()};
    ffmpeg::Frame frame{av_frame_alloc()};
    int video = -1, audio = -1;
    bool draining = false, done = false;
    std::int64_t next_index = 0;
    bool reindex = false;       // after a seek: the next frame's index comes from its time
    double last_time_s = -1.0;  // the last frame's time (a cut file ends before its duration)
    ~Impl() { avformat_close_input(&format); }
};

VideoReader::VideoReader(const fs::path& path) : path_(path), impl_(std::make_unique<Impl>()) {
    ffmpeg::quiet_logs();
    const std::string name = path.string();
    const bool camera = name.rfind("/dev/video", 0) == 0;
    std::error_code ec;
    if (!camera && !fs::exists(path, ec)) throw Error(name, "no such file");
    if (!camera && fs::is_directory(path, ec)) throw Error(name, "is a folder, not a video");
    const AVInputFormat* input = nullptr;
    if (camera && !fs::exists(path, ec))
        throw Error(name, "no camera: this machine has no such video device (is one plugged in and allowed?)");
    if (camera) {
        avdevice_register_all();
        input = av_find_input_format("video4linux2");
        if (!input) throw Error(name, "this FFmpeg has no video4linux2 input for cameras");
    }
    if (int r = avformat_open_input(&impl_->format, name.c_str(), input, nullptr); r < 0)
        throw Error(name, "not a readable video (" + ffmpeg::error_text(r) + ")");
    if (int r = avformat_find_stream_info(impl_->format, nullptr); r < 0)
        throw Error(name, "cannot read the streams (" + ffmpeg::error_text(r) + ")");
    const AVCodec* codec = nullptr;
    impl_->video = av_find_best_stream(impl_->format, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
    if (impl_->video < 0 || !codec) throw Error(name, "has no video stream FFmpeg can decode");
    impl_->audio = av_find_best_stream(impl_->format, AVMEDIA_TYPE_AUDIO, -1, impl_->video, nullptr, 0);
    const AVStream* stream = impl_->format->streams[impl_->video];
    impl_->decoder.reset(avcodec_alloc_context3(codec));
    if (!impl_->decoder || avcodec_parameters_to_context(impl_->decoder.get(), stream->codecpar) < 0)
        throw Error(name, "cannot set up the decoder");
    impl_->decoder->thread_count = 0;  // FFmpeg picks (frame and slice threads)
    if (int r = avcodec_open2(impl_->decoder.get(), codec, nullptr); r < 0)
        throw Error(name, "cannot open the " + std::string(codec->name) + " decoder (" + ffmpeg::error_text(r) + ")");
    info_.width = impl_->decoder->width;
    info_.height = impl_->decoder->height;
    if (!within_image_limits(info_.width, info_.height))
        throw Error(name, "frames of " + std::to_string(info_.width) + "x" + std::to_string(info_.height) +
                              " are beyond the picture limits");
    AVRational rate = stream->avg_frame_rate.num > 0 ? stream->avg_frame_rate : stream->r_frame_rate;
    if (rate.num <= 0 || rate.den <= 0) rate = AVRational{25, 1};
    info_.fps_num = rate.num;
    info_.fps_den = rate.den;
    info_.frames = stream->nb_frames;
    if (stream->duration != AV_NOPTS_VALUE) info_.duration_s = double(stream->duration) * av_q2d(stream->time_base);
    else if (impl_->format->duration > 0) info_.duration_s = double(impl_->format->duration) / AV_TIME_BASE;
    info_.has_audio = impl_->audio >= 0;
    info_.codec = codec->name;
}

VideoReader::~VideoReader() = default;

void* VideoReader::format_context() const { return impl_->format; }
int VideoReader::audio_stream() const { return impl_->audio; }

void VideoReader::set_audio_sink(std::function<void(const void* packet)> sink) { audio_sink_ = std::move(sink); }

std::optional<VideoFrame> VideoReader::read() {
    Impl& m = *impl_;
    const std::string name = path_.string();
    while (!m.done) {
        const int got = avcodec_receive_frame(m.decoder.get(), m.frame.get());
        if (got == 0) {
            VideoFrame out;
            out.picture = Image(info_.width, info_.height);
            // Accurate rounding and full-resolution chroma: the round trip with the writer stays
            // within the codec's own error (tests/cli/video_test.cpp).
            const int flags = SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT;
            m.scale.reset(sws_getCachedContext(m.scale.release(), m.frame->width, m.frame->height,
                                               AVPixelFormat(m.frame->format), info_.width, info_.height,
                                               AV_PIX_FMT_RGB24, flags, nullptr, nullptr, nullptr));
            if (!m.scale) throw Error(name, "cannot convert its pixel format to RGB");
            std::uint8_t* dst[1] = {out.picture.pixels.data()};
            const int dst_stride[1] = {int(out.picture.row_bytes())};
            sws_scale(m.scale.get(), m.frame->data, m.frame->linesize, 0, m.frame->height, dst, dst_stride);
            const std::int64_t ts = m.frame->best_effort_timestamp;
            const AVStream* stream = m.format->streams[m.video];
            const std::int64_t start = stream->start_time == AV_NOPTS_VALUE ? 0 : stream->start_time;
            out.time_s = ts == AV_NOPTS_VALUE ? double(m.next_index) * info_.fps_den / info_.fps_num
                                              : double(ts - start) * av_q2d(stream->time_base);
            // A seek lands on the key frame before the time asked: count from where it landed.
            if (m.reindex && ts != AV_NOPTS_VALUE) m.next_index = std::int64_t(std::llround(out.time_s * info_.fps()));
            m.reindex = false;
            out.index = m.next_index++;
            m.last_time_s = out.time_s;
            av_frame_unref(m.frame.get());
            return out;
        }
        if (got == AVERROR_EOF) {
            m.done = true;
            break;
        }
        if (got != AVERROR(EAGAIN)) throw Error(name, "damaged video data (" + ffmpeg::error_text(got) + ")");
        if (m.draining) continue;
        const int r = av_read_frame(m.format, m.packet.get());
        if (r == AVERROR_EOF) {
            m.draining = true;
            avcodec_send_packet(m.decoder.get(), nullptr);
            continue;
        }
        if (r < 0) throw Error(name, "cannot read the video data (" + ffmpeg::error_text(r) + ")");
        if (m.packet->stream_index == m.video) {
            const int sent = avcodec_send_packet(m.decoder.get(), m.packet.get());
            if (sent < 0 && sent != AVERROR(EAGAIN)) {
                av_packet_unref(m.packet.get());
                throw Error(name, "damaged video data (" + ffmpeg::error_text(sent) + ")");
            }
        } else if (m.packet->stream_index == m.audio && audio_sink_) {
            audio_sink_(m.packet.get());
        }
        av_packet_unref(m.packet.get());
    }
    // The container promised more: the file was cut.
    if (info_.frames > 0 && m.next_index < info_.frames)
        throw Error(name, "truncated: the stream ends after " + std::to_string(m.next_index) + " of " +
                              std::to_string(info_.frames) + " frames");
    if (m.next_index == 0) throw Error(name, "truncated or empty: the data ends before the first frame");
    const double frame_s = 1.0 / std::max(info_.fps(), 1e-3);
    if (info_.frames <= 0 && info_.duration_s > 0 && m.last_time_s + 1.5 * frame_s < info_.duration_s) {
        char text[96];
        std::snprintf(text, sizeof text, "truncated: the stream ends at %.2f s of %.2f s", m.last_time_s + frame_s,
                      info_.duration_s);
        throw Error(name, text);
    }
    return std::nullopt;
}

void VideoReader::seek(double time_s) {
    const std::string name = path_.string();
    if (name.rfind("/dev/video", 0) == 0) throw Error(name, "a camera cannot seek");
    const AVStream* stream = impl_->format->streams[impl_->video];
    const std::int64_t ts = std::int64_t(std::llround(time_s / av_q2d(stream->time_base)));
    if (int r = av_seek_frame(impl_->format, impl_->video, ts, AVSEEK_FLAG_BACKWARD); r < 0)
        throw Error(name, "cannot seek (" + ffmpeg::error_text(r) + ")");
    avcodec_flush_buffers(impl_->decoder.get());
    impl_->draining = impl_->done = false;
    impl_->next_index = std::int64_t(std::llround(time_s * info_.fps()));
    impl_->reindex = true;
}

}  // namespace nt
