#include "viewer/video/video_recorder.h"

#include <cmath>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

extern "C" {
#include <libavcodec/packet.h>
#include <libavutil/avutil.h>
}

#include "video/video_writer.h"

namespace nt::viewer {

namespace {

// Results queued beyond this wait for an encoder that fell behind: newer ones are left out
// (the gap is filled by repeating the last picture written, so the length stays right).
constexpr std::size_t kMaxQueuedFrames = 32;
// A source time jumping further than this (a camera's clock reset) is not filled with repeats.
constexpr double kMaxGapS = 10.0;

struct PacketFree {
    void operator()(AVPacket* p) const { av_packet_free(&p); }
};

}  // namespace

struct VideoRecorder::Item {
    Image picture;  // empty for audio
    double time_s = 0.0;
    std::unique_ptr<AVPacket, PacketFree> audio;
};

// The recorder thread's own state: the writer exists from the first frame (its size).
struct VideoRecorder::RecordingState {
    std::unique_ptr<VideoWriter> writer;
    double start_s = 0.0;
    std::int64_t next_index = 0;
    Image last;
    std::vector<std::unique_ptr<AVPacket, PacketFree>> early_audio;  // before the first frame
    std::int64_t last_audio_dts = INT64_MIN;
};

VideoRecorder::VideoRecorder(std::filesystem::path path, int fps_num, int fps_den, const VideoReader* audio_from)
    : path_(std::move(path)), fps_num_(fps_num > 0 ? fps_num : 30), fps_den_(fps_num > 0 && fps_den > 0 ? fps_den : 1),
      audio_from_(audio_from) {
    status_.recording = true;
    thread_ = std::thread([this] { run(); });
}

VideoRecorder::~VideoRecorder() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (status_.recording) abandon_ = true;  // never stopped: nothing was asked to be kept
        stopping_ = true;
    }
    changed_.notify_all();
    thread_.join();
}

void VideoRecorder::add_frame(Image picture, double time_s) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!status_.recording) return;
    ++status_.results;
    std::size_t frames = 0;
    for (const Item& i : queue_) frames += i.picture.empty() ? 0 : 1;
    if (frames >= kMaxQueuedFrames) return;
    Item item;
    item.picture = std::move(picture);
    item.time_s = time_s;
    queue_.push_back(std::move(item));
    changed_.notify_all();
}

void VideoRecorder::add_audio(const void* packet) {
    std::unique_ptr<AVPacket, PacketFree> copy(av_packet_clone(static_cast<const AVPacket*>(packet)));
    if (!copy) return;
    std::lock_guard<std::mutex> lock(mutex_);
    if (!status_.recording || !audio_from_) return;
    Item item;
    item.audio = std::move(copy);
    queue_.push_back(std::move(item));
    changed_.notify_all();
}

void VideoRecorder::stop() {
    std::lock_guard<std::mutex> lock(mutex_);
    status_.recording = false;
    stopping_ = true;
    changed_.notify_all();
}

RecorderStatus VideoRecorder::status() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return status_;
}

// One queued item into the file: the writer is made at the first frame (its size); audio
// before it waits, and audio going back in time is left out.
void VideoRecorder::write(Item& item, RecordingState& rec) {
    if (item.picture.empty()) {
        if (!rec.writer) {
            rec.early_audio.push_back(std::move(item.audio));
            return;
        }
        // Audio that goes back (the source looped before the recording heard of it) would make
        // the muxer fail: left out.
        const std::int64_t dts = item.audio->dts != AV_NOPTS_VALUE ? item.audio->dts : item.audio->pts;
        if (dts != AV_NOPTS_VALUE && dts <= rec.last_audio_dts) return;
        rec.writer->copy_audio(item.audio.get());
        if (dts != AV_NOPTS_VALUE) rec.last_audio_dts = dts;
        return;
    }
    if (!rec.writer) {
        VideoWriterOptions o;
        o.width = item.picture.width;
        o.height = item.picture.height;
        o.fps_num = fps_num_;
        o.fps_den = fps_den_;
        o.audio_from = audio_from_;
        o.audio_start_s = item.time_s;
        rec.writer = std::make_unique<VideoWriter>(path_, o);
        rec.start_s = item.time_s;
        std::vector<std::unique_ptr<AVPacket, PacketFree>> early = std::move(rec.early_audio);
        for (auto& p : early) {
            Item audio;
            audio.audio = std::move(p);
            write(audio, rec);
        }
    }
    const double fps = double(fps_num_) / fps_den_;
    const auto index = std::int64_t(std::llround((item.time_s - rec.start_s) * fps));
    if (index < rec.next_index) return;  // older than what is written
    if (index - rec.next_index > std::int64_t(kMaxGapS * fps)) rec.next_index = index;
    for (; rec.next_index < index; ++rec.next_index) rec.writer->write(rec.last);
    rec.writer->write(item.picture);
    ++rec.next_index;
    rec.last = std::move(item.picture);
}

void VideoRecorder::run() {
    RecordingState rec;
    std::unique_lock<std::mutex> lock(mutex_);
    std::string error;
    while (true) {
        changed_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (abandon_) break;
        if (queue_.empty()) break;  // stopping, all written
        Item item = std::move(queue_.front());
        queue_.pop_front();
        lock.unlock();
        try {
            if (error.empty()) write(item, rec);
        } catch (const std::exception& e) {
            error = e.what();
            rec.writer.reset();  // its temporary file goes with it
        }
        lock.lock();
        status_.error = error;
        if (rec.writer) {
            status_.frames = rec.writer->frames_written();
            status_.length_s = double(status_.frames) * fps_den_ / fps_num_;
        }
        if (!error.empty()) status_.recording = false;
    }
    if (abandon_) return;  // the writer's destructor removes the temporary file
    lock.unlock();
    try {
        if (rec.writer) rec.writer->finish();
        else if (error.empty()) error = "nothing was recorded (no result arrived)";
    } catch (const std::exception& e) {
        error = e.what();
    }
    lock.lock();
    status_.error = error;
    if (rec.writer) status_.audio_note = rec.writer->audio_note();
    status_.finished = true;
}

}  // namespace nt::viewer
