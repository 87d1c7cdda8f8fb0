// A video's frames as pictures: `neuraltransfer clip.mp4 STYLE -o frames/` writes every stylized
// frame as frames/clip_NNNNNN.jpg (from 000001, as `ffmpeg -i clip.mp4 clip_%06d.jpg` names them;
// --format picks the format), each atomically. A shard takes a contiguous range of the frames
// (cli/shard.h); --skip-existing and --report work as in a batch of pictures (docs/BATCH.md).
#include <cstdio>
#include <limits>
#include <optional>

#include "cli/batch_report.h"
#include "cli/run_common.h"
#include "base/error.h"
#include "imageio/load_image.h"
#include "imageio/save_image.h"
#include "image/sizing.h"
#include "video/temporal_consistency.h"
#include "video/video_reader.h"

namespace nt {

namespace fs = std::filesystem;

namespace {

std::string frame_name(const std::string& stem, std::int64_t number, ImageFormat format) {
    char digits[24];
    std::snprintf(digits, sizeof digits, "_%06lld", static_cast<long long>(number));
    return stem + digits + extension_for(format);
}

// The frames this process writes. The container's frame count (or duration x rate) splits them;
// the last shard also takes any frames beyond it, and a whole run has no end.
ItemRange frame_range(const VideoInfo& in, const Shard& shard, const std::string& video, std::int64_t& total) {
    total = in.frames > 0 ? in.frames : std::int64_t(in.duration_s * in.fps() + 0.5);
    constexpr std::int64_t kNoEnd = std::numeric_limits<std::int64_t>::max();
    if (shard.count == 1) return {0, kNoEnd};
    if (total <= 0) throw Error(video, "states neither its frame count nor its duration: it cannot be split in shards");
    ItemRange range = shard_range(total, shard);
    if (shard.index == shard.count - 1) range.end = kNoEnd;
    return range;
}

// The report line of frame `index` (from 0) written as `output`.
ReportItem frame_item(const CliOptions& o, const fs::path& output, std::int64_t index) {
    ReportItem item;
    item.index = index;
    item.frame = index + 1;
    item.input = o.content;
    item.style = o.style;
    item.output = output.string();
    return item;
}

}  // namespace

int run_video_frames(const CliOptions& o, StylizeOptions options, const Shard& shard, NeuralStylizer* neural,
                     std::ostream& out, std::ostream& err) {
    const MethodInfo& info = video_method(options);
    const fs::path folder = *o.output;
    if (!o.size_given) options.size = parse_size_spec("long:512");
    Image style = o.style.empty() ? Image() : load_image(o.style);
    VideoReader reader(o.content);
    std::int64_t total = 0;
    const ItemRange range = frame_range(reader.info(), shard, o.content, total);
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (!fs::is_directory(folder, ec)) throw Error(folder.string(), "cannot create the frames folder");
    // Running statistics (methods/temporal_stats.h) and --temporal (each result pulled towards
    // the last output) depend on every earlier frame: frames before the range, and existing ones,
    // are stylized too (not written) so that each frame comes out exactly as in a whole run.
    // Without either, such frames are only decoded.
    TemporalStats temporal(o.stats_time_constant);
    if (info.content_statistics) options.temporal = &temporal;
    std::optional<TemporalConsistency> consistency;
    if (o.temporal_strength > 0) {
        consistency.emplace(o.temporal_strength);
        set_flow_threads(1);  // as run_video: a pool gained nothing on this thread (docs/TEMPORAL.md)
    }
    const bool needs_history = (info.content_statistics && o.stats_time_constant > 0) || consistency;
    const auto stylize_frame = [&](const VideoFrame& frame) {
        Image result = stylize(frame.picture, style, options, neural);
        if (consistency) result = consistency->filter(frame.picture, result, std::uint64_t(frame.index));
        return result;
    };
    const std::string stem = fs::path(o.content).stem().string();
    BatchTally tally(o, shard, total, plan_fingerprint({o.content, std::to_string(total), folder.string()}));
    std::int64_t seen = 0;
    bool style_sized = style.empty();
    while (std::optional<VideoFrame> frame = reader.read()) {
        if (frame->index >= range.end) break;
        const bool mine = range.contains(frame->index);
        seen += mine;
        ReportItem item = frame_item(o, folder / frame_name(stem, frame->index + 1, o.batch_format), frame->index);
        const bool done = mine && o.skip_existing && fs::is_regular_file(item.output, ec);
        if (done) {
            item.status = "skipped";
            tally.finish_item(item);
        }
        if ((!mine || done) && !needs_history) continue;
        if (!style_sized) {  // the style at the size the method takes it once, as run_video does
            style = style_for_method(info, style,
                                     working_size(options.size, {frame->picture.width, frame->picture.height}));
            style_sized = true;
        }
        if (info.content_statistics) temporal.next_frame(frame->picture, frame->time_s);
        if (!mine || done) {
            stylize_frame(*frame);  // for the running statistics and the last output only
            continue;
        }
        tally.start_item();
        const auto start = std::chrono::steady_clock::now();
        try {
            const Image result = stylize_frame(*frame);
            save_image(result, item.output, o.save);
            item.status = "ok";
            item.width = result.width;
            item.height = result.height;
            if (!o.quiet)
                err << "[frame " << *item.frame << "] -> " << item.output << " (" << int(ms_since(start) + 0.5)
                    << " ms)\n";
        } catch (const Error& e) {
            item.status = "error";
            item.error = e.what();
            report_error(err, "[frame " + std::to_string(*item.frame) + "] failed: " + item.error);
        }
        tally.finish_item(item);
    }
    if (!o.quiet) {
        out << "wrote " << tally.written() << " of " << seen << " frames to " << folder.string()
            << tally.notes({range.begin, range.begin + seen}, total);
        if (consistency)  // its first frame is a restart too, not a cut
            out << ", temporal " << o.temporal_strength << " (cuts: " << consistency->resets() - 1 << ")";
        out << '\n';
    }
    return tally.failed() ? kExitFailed : kExitOk;
}

}  // namespace nt
