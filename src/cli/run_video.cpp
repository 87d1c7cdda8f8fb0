#include "cli/run_video.h"

#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <vector>

extern "C" {
#include <libavcodec/packet.h>
}

#include "cli/run_common.h"
#include "cli/step_progress.h"
#include "base/error.h"
#include "imageio/load_image.h"
#include "image/sizing.h"
#include "video/temporal_consistency.h"
#include "video/video_reader.h"
#include "video/video_writer.h"
#include "stylize/memory_budget.h"
#include "stylize/registry.h"

namespace nt {

namespace fs = std::filesystem;

namespace {

constexpr const char* kDefaultVideoOutput = "stylized_output.mp4";

// Ctrl+C or a kill during a clip: the loop stops at the next frame and the writer's destructor
// removes its temporary file (a signal would otherwise end the process with it left behind).
volatile std::sig_atomic_t g_interrupted = 0;
extern "C" void on_interrupt(int) { g_interrupted = 1; }

class InterruptGuard {
public:
    InterruptGuard() {
        g_interrupted = 0;
        old_int_ = std::signal(SIGINT, on_interrupt);
        old_term_ = std::signal(SIGTERM, on_interrupt);
    }
    ~InterruptGuard() {
        std::signal(SIGINT, old_int_);
        std::signal(SIGTERM, old_term_);
    }
    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;

private:
    void (*old_int_)(int);
    void (*old_term_)(int);
};

// Audio packets met before the writer exists (it is made once the first frame's size is known).
class AudioQueue {
public:
    void take(const void* packet) {
        if (writer_) writer_->copy_audio(packet);
        else if (AVPacket* copy = av_packet_clone(static_cast<const AVPacket*>(packet))) held_.push_back(copy);
    }
    void attach(VideoWriter& writer) {
        writer_ = &writer;
        for (AVPacket*& p : held_) {
            writer.copy_audio(p);
            av_packet_free(&p);
        }
        held_.clear();
    }
    ~AudioQueue() {
        for (AVPacket*& p : held_) av_packet_free(&p);
    }

private:
    VideoWriter* writer_ = nullptr;
    std::vector<AVPacket*> held_;
};

}  // namespace

const MethodInfo& video_method(const StylizeOptions& options) {
    const MethodInfo& info = method_by_name(options.method).info();
    if (info.iterative)
        throw UsageError("--method " + info.name, "is iterative (seconds to minutes a frame): not for video");
    return info;
}

int run_video(const CliOptions& o, StylizeOptions options, NeuralStylizer* neural, std::ostream& out,
              std::ostream& err) {
    const MethodInfo& info = video_method(options);
    const fs::path output = o.output ? fs::path(*o.output) : fs::path(kDefaultVideoOutput);
    if (!o.size_given) options.size = parse_size_spec("long:512");
    const auto start = std::chrono::steady_clock::now();
    Image style = o.style.empty() ? Image() : load_image(o.style);
    VideoReader reader(o.content);
    const VideoInfo& in = reader.info();
    // Every frame is planned within what the decoder and the encoder leave of the budget.
    const Size2 input{in.width, in.height};
    if (options.memory_budget == 0) options.memory_budget = default_memory_budget();
    options.memory_budget =
        video_frame_budget(options.memory_budget, input, working_size(options.size, input), o.content);
    AudioQueue audio;
    reader.set_audio_sink([&audio](const void* packet) { audio.take(packet); });
    const bool terminal = &err == &std::cerr && isatty(STDERR_FILENO);
    StepProgress progress(err, terminal, o.quiet, {}, output.stem().string(), 0, 0);
    std::unique_ptr<VideoWriter> writer;
    const InterruptGuard interrupt;
    // The content's statistics averaged over the frames (methods/temporal_stats.h).
    TemporalStats temporal(o.stats_time_constant);
    if (info.content_statistics) options.temporal = &temporal;
    // Every result pulled towards the last one along the input's motion (--temporal; 0: off).
    std::optional<TemporalConsistency> consistency;
    if (o.temporal_strength > 0) {
        consistency.emplace(o.temporal_strength);
        set_flow_threads(1);  // on this thread, after the frame: a pool gained nothing (docs/TEMPORAL.md)
    }
    const std::int64_t total = in.frames > 0 ? in.frames : std::int64_t(in.duration_s * in.fps() + 0.5);
    while (std::optional<VideoFrame> frame = reader.read()) {
        // The style at the size the method takes it once, not once a frame (stylize keeps a
        // picture that already has the size as it is).
        if (!writer && !style.empty())
            style = style_for_method(info, style,
                                     working_size(options.size, {frame->picture.width, frame->picture.height}));
        if (g_interrupted) throw Error(output.string(), "interrupted: nothing written");
        temporal.next_frame(frame->picture, frame->time_s);
        Image result = stylize(frame->picture, style, options, neural);
        if (consistency) result = consistency->filter(frame->picture, result, std::uint64_t(frame->index));
        if (!writer) {
            VideoWriterOptions w;
            w.width = result.width;
            w.height = result.height;
            w.fps_num = in.fps_num;
            w.fps_den = in.fps_den;
            w.audio_from = &reader;
            writer = std::make_unique<VideoWriter>(output, w);
            audio.attach(*writer);
        }
        writer->write(result);
        StepReport report;
        report.step = int(frame->index + 1);
        report.total = int(std::max<std::int64_t>(total, frame->index + 1));
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        char stage[48];
        std::snprintf(stage, sizeof stage, "frames, %.1f fps", double(report.step) / std::max(seconds, 1e-9));
        report.stage = stage;
        progress(report);
    }
    if (!writer) throw Error(o.content, "has no frames");
    writer->finish();
    if (!o.quiet) {
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        char line[160];
        std::snprintf(line, sizeof line, " (%lld frames of %dx%d at %.3g fps, %s, %.1f s)",
                      static_cast<long long>(writer->frames_written()), writer->width(), writer->height(), in.fps(),
                      info.name.c_str(), seconds);
        out << "wrote " << output.string() << line;
        if (consistency)  // its first frame is a restart too, not a cut
            out << ", temporal " << o.temporal_strength << " (cuts: " << consistency->resets() - 1 << ")";
        if (in.has_audio) out << (writer->audio_note().empty() ? ", audio copied" : ", " + writer->audio_note());
        out << "\n";
    }
    return kExitOk;
}

}  // namespace nt
