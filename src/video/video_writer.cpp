#include "video/video_writer.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <system_error>

extern "C" {
#include <libavutil/opt.h>
}

#include "base/error.h"
#include "video/ffmpeg_util.h"
#include "video/video_reader.h"

namespace nt {

namespace fs = std::filesystem;

namespace {

// The container for an output extension, or nullptr.
const char* container_for(const fs::path& path) {
    const std::string ext = ffmpeg::lower_extension(path);
    if (ext == ".mp4" || ext == ".m4v") return "mp4";
    if (ext == ".mov") return "mov";
    if (ext == ".mkv") return "matroska";
    return nullptr;
}

}  // namespace

struct VideoWriter::Impl {
    AVFormatContext* out = nullptr;
    ffmpeg::Codec encoder;
    ffmpeg::Scale scale;
    ffmpeg::Frame frame{av_frame_alloc()};
    ffmpeg::Packet packet{av_packet_alloc()};
    AVStream* video = nullptr;
    AVStream* audio = nullptr;
    AVRational audio_in_time_base{0, 1};
    std::int64_t audio_start = 0;  // audio_start_s in the input's time base
    std::int64_t next_pts = 0;
    fs::path temp;
    bool finished = false;

    ~Impl() {
        if (out && out->pb) avio_closep(&out->pb);
        avformat_free_context(out);
        std::error_code ec;
        if (!finished && !temp.empty()) fs::remove(temp, ec);
    }
};

VideoWriter::VideoWriter(const fs::path& path, const VideoWriterOptions& o)
    : path_(path), impl_(std::make_unique<Impl>()) {
    ffmpeg::quiet_logs();
    const std::string name = path.string();
    const char* container = container_for(path);
    if (!container)
        throw Error(name, "unknown video extension '" + path.extension().string() + "' (use .mp4, .mov or .mkv)");
    const fs::path folder = path.has_parent_path() ? path.parent_path() : fs::path(".");
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) throw Error(name, "output folder " + folder.string() + " does not exist");
    if (o.width < 2 || o.height < 2 || o.fps_num <= 0 || o.fps_den <= 0)
        throw Error(name, "invalid video size or frame rate");
    Impl& m = *impl_;
    m.temp = folder / ("." + path.filename().string() + ".partial-" + std::to_string(::getpid()));
    if (avformat_alloc_output_context2(&m.out, nullptr, container, m.temp.c_str()) < 0 || !m.out)
        throw Error(name, "cannot set up the " + std::string(container) + " container");
    const AVCodec* codec = avcodec_find_encoder_by_name("libx264");
    if (!codec) codec = avcodec_find_encoder(AV_CODEC_ID_H264);
    if (!codec) throw Error(name, "this FFmpeg has no H.264 encoder");
    m.encoder.reset(avcodec_alloc_context3(codec));
    AVCodecContext* c = m.encoder.get();
    c->width = o.width;
    c->height = o.height;
    c->time_base = AVRational{o.fps_den, o.fps_num};
    c->framerate = AVRational{o.fps_num, o.fps_den};
    // 4:2:0 halves the chroma in both directions, which needs even sizes; odd ones keep 4:4:4.
    c->pix_fmt = (o.width % 2 == 0 && o.height % 2 == 0) ? AV_PIX_FMT_YUV420P : AV_PIX_FMT_YUV444P;
    c->thread_count = 0;
    if (m.out->oformat->flags & AVFMT_GLOBALHEADER) c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    av_opt_set(c->priv_data, "crf", std::to_string(o.crf).c_str(), 0);
    av_opt_set(c->priv_data, "preset", "fast", 0);
    if (int r = avcodec_open2(c, codec, nullptr); r < 0)
        throw Error(name, "cannot open the H.264 encoder (" + ffmpeg::error_text(r) + ")");
    m.video = avformat_new_stream(m.out, nullptr);
    avcodec_parameters_from_context(m.video->codecpar, c);
    m.video->time_base = c->time_base;
    m.video->avg_frame_rate = c->framerate;
    if (o.audio_from && o.audio_from->audio_stream() >= 0) {
        const auto* in_format = static_cast<const AVFormatContext*>(o.audio_from->format_context());
        const AVStream* in = in_format->streams[o.audio_from->audio_stream()];
        if (avformat_query_codec(m.out->oformat, in->codecpar->codec_id, FF_COMPLIANCE_NORMAL) == 1) {
            m.audio = avformat_new_stream(m.out, nullptr);
            avcodec_parameters_copy(m.audio->codecpar, in->codecpar);
            m.audio->codecpar->codec_tag = 0;
            m.audio->time_base = in->time_base;
            m.audio_in_time_base = in->time_base;
            m.audio_start = std::int64_t(std::llround(o.audio_start_s / av_q2d(in->time_base)));
        } else {
            audio_note_ = std::string("audio not copied: ") + avcodec_get_name(in->codecpar->codec_id) +
                          " cannot go into " + container;
        }
    }
    if (int r = avio_open(&m.out->pb, m.temp.c_str(), AVIO_FLAG_WRITE); r < 0)
        throw Error(name, "cannot write in " + folder.string() + " (" + ffmpeg::error_text(r) + ")");
    if (int r = avformat_write_header(m.out, nullptr); r < 0)
        throw Error(name, "cannot write the video header (" + ffmpeg::error_text(r) + ")");
    m.frame->format = c->pix_fmt;
    m.frame->width = o.width;
    m.frame->height = o.height;
    if (av_frame_get_buffer(m.frame.get(), 0) < 0) throw Error(name, "out of memory for a frame");
    m.scale.reset(sws_getContext(o.width, o.height, AV_PIX_FMT_RGB24, o.width, o.height, c->pix_fmt,
                                 SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INP, nullptr, nullptr, nullptr));
    if (!m.scale) throw Error(name, "cannot convert RGB to the encoder's format");
}

VideoWriter::~VideoWriter() = default;

std::int64_t VideoWriter::frames_written() const { return impl_->next_pts; }
int VideoWriter::width() const { return impl_->encoder->width; }
int VideoWriter::height() const { return impl_->encoder->height; }

namespace {

// Sends `frame` (nullptr: flush) and writes every packet the encoder returns.
void encode(AVFormatContext* out, AVCodecContext* c, AVStream* stream, AVFrame* frame, AVPacket* packet,
            const std::string& name) {
    if (int r = avcodec_send_frame(c, frame); r < 0)
        throw Error(name, "the encoder failed (" + ffmpeg::error_text(r) + ")");
    while (true) {
        const int r = avcodec_receive_packet(c, packet);
        if (r == AVERROR(EAGAIN) || r == AVERROR_EOF) return;
        if (r < 0) throw Error(name, "the encoder failed (" + ffmpeg::error_text(r) + ")");
        av_packet_rescale_ts(packet, c->time_base, stream->time_base);
        packet->stream_index = stream->index;
        if (int w = av_interleaved_write_frame(out, packet); w < 0)
            throw Error(name, "cannot write (" + ffmpeg::error_text(w) + ")");
    }
}

}  // namespace

void VideoWriter::write(const Image& picture) {
    Impl& m = *impl_;
    const std::string name = path_.string();
    if (m.finished) throw Error(name, "the video is already finished");
    if (picture.width != m.encoder->width || picture.height != m.encoder->height)
        throw Error(name, "a frame of " + std::to_string(picture.width) + "x" + std::to_string(picture.height) +
                              " in a video of " + std::to_string(m.encoder->width) + "x" +
                              std::to_string(m.encoder->height));
    if (av_frame_make_writable(m.frame.get()) < 0) throw Error(name, "out of memory for a frame");
    const std::uint8_t* src[1] = {picture.pixels.data()};
    const int src_stride[1] = {int(picture.row_bytes())};
    sws_scale(m.scale.get(), src, src_stride, 0, picture.height, m.frame->data, m.frame->linesize);
    m.frame->pts = m.next_pts++;
    encode(m.out, m.encoder.get(), m.video, m.frame.get(), m.packet.get(), name);
}

void VideoWriter::copy_audio(const void* packet) {
    Impl& m = *impl_;
    if (!m.audio || m.finished) return;
    ffmpeg::Packet copy{av_packet_clone(static_cast<const AVPacket*>(packet))};
    if (!copy) return;
    if (m.audio_start != 0) {
        if (copy->pts != AV_NOPTS_VALUE && copy->pts < m.audio_start) return;
        if (copy->pts != AV_NOPTS_VALUE) copy->pts -= m.audio_start;
        if (copy->dts != AV_NOPTS_VALUE) copy->dts -= m.audio_start;
    }
    av_packet_rescale_ts(copy.get(), m.audio_in_time_base, m.audio->time_base);
    copy->stream_index = m.audio->index;
    copy->pos = -1;
    if (int w = av_interleaved_write_frame(m.out, copy.get()); w < 0)
        throw Error(path_.string(), "cannot write the audio (" + ffmpeg::error_text(w) + ")");
}

void VideoWriter::finish() {
    Impl& m = *impl_;
    const std::string name = path_.string();
    if (m.finished) return;
    encode(m.out, m.encoder.get(), m.video, nullptr, m.packet.get(), name);
    if (int r = av_write_trailer(m.out); r < 0)
        throw Error(name, "cannot finish the file (" + ffmpeg::error_text(r) + ")");
    if (int r = avio_closep(&m.out->pb); r < 0)
        throw Error(name, "cannot close the file (" + ffmpeg::error_text(r) + ")");
    std::error_code ec;
    fs::rename(m.temp, path_, ec);
    if (ec) throw Error(name, "cannot move the finished video into place: " + ec.message());
    m.finished = true;
}

}  // namespace nt
