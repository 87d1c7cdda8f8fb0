// Temporal consistency (video/temporal_consistency.h, issue 29).
//
// BM_TemporalCost: the added cost a frame at 640x480, the flow included (grey, half size, DIS
// forward and backward, the reliability, the warp and the blend), with OpenCV's pool at 1 and 2
// threads. Medians of the repetitions.
//
// BM_TemporalQuality/METHOD/CLIP: every frame of a clip stylized on its own (the command line's
// path: stylize() per frame, with --smooth-stats 0 so that every frame has its own content
// statistics), then filtered at strength S/100. Counters: the warping error (temporal_metrics.h)
// of the per-frame results and of the filtered ones, their ratio, and the SSIM of the filtered
// frames to the per-frame ones (mean and worst). The clips: every .mp4 in $NT_TEMPORAL_CLIPS
// (bench/make_temporal_clips.sh makes them from photos), else a pan made here over the bundled
// photo. No fast style or AdaIN rows: there are no trained weights here, and the random-weight
// networks the tests use give a black picture on these clips (nothing to flicker). Patch synthesis takes seconds a frame: its first kPatchFrames frames at a
// long side of 320. $NT_TEMPORAL_SAVE=DIR writes frame kSavedFrame of each row, per-frame and
// filtered, as PNG.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "bench/peak_memory.h"
#include "imageio/load_image.h"
#include "imageio/save_image.h"
#include "methods/temporal_stats.h"
#include "image/resize.h"
#include "stylize/stylize.h"
#include "video/temporal_consistency.h"
#include "video/temporal_metrics.h"
#include "video/video_reader.h"

namespace {

namespace fs = std::filesystem;
constexpr int kPatchFrames = 16;
constexpr int kSavedFrame = 12;

struct Clip {
    std::string name;
    std::vector<nt::Image> frames;
    double fps = 25;
};

// A pan over the bundled photo, 640x480, 40 frames, 3 pixels a frame to the right.
Clip made_pan() {
    Clip c{"pan_content", {}, 25};
    const nt::Image photo = nt::resize_bilinear_antialias(nt::load_image(NT_ASSETS_DIR "/content.jpg"), 800, 600);
    for (int i = 0; i < 40; ++i) {
        nt::Image f(640, 480);
        for (int y = 0; y < 480; ++y)
            std::copy(photo.at(3 * i, y + 40), photo.at(3 * i, y + 40) + f.row_bytes(), f.row(y));
        c.frames.push_back(std::move(f));
    }
    return c;
}

const std::vector<Clip>& clips() {
    static const std::vector<Clip> all = [] {
        std::vector<Clip> out;
        const char* dir = std::getenv("NT_TEMPORAL_CLIPS");
        if (!dir) return std::vector<Clip>{made_pan()};
        std::vector<fs::path> paths;
        for (const auto& e : fs::directory_iterator(dir))
            if (e.path().extension() == ".mp4") paths.push_back(e.path());
        std::sort(paths.begin(), paths.end());
        for (const fs::path& p : paths) {
            nt::VideoReader reader(p);
            Clip c{p.stem().string(), {}, reader.info().fps()};
            while (auto f = reader.read()) c.frames.push_back(std::move(f->picture));
            out.push_back(std::move(c));
        }
        return out;
    }();
    return all;
}

// The per-frame results of a clip, each stylized on its own (as the command line does).
std::vector<nt::Image> per_frame(const Clip& clip, const std::string& method, std::vector<nt::Image>& inputs) {
    nt::StylizeOptions o;
    o.method = method;
    o.device = nt::DeviceChoice::Cpu;
    // An iterative method (patch synthesis) takes seconds a frame: a few frames, smaller.
    const bool slow = nt::method_by_name(method).info().iterative;
    o.size = nt::parse_size_spec(slow ? "long:320" : "original");
    // Truly per frame: no smoothing of the content's statistics either (--smooth-stats 0).
    nt::TemporalStats temporal(0.0);
    o.temporal = &temporal;
    const std::size_t count = slow ? std::min<std::size_t>(kPatchFrames, clip.frames.size()) : clip.frames.size();
    const nt::Size2 size = nt::working_size(o.size, {clip.frames[0].width, clip.frames[0].height});
    const nt::Image style =
        nt::resize_bilinear_antialias(nt::load_image(NT_ASSETS_DIR "/style.jpg"), size.width, size.height);
    std::vector<nt::Image> out;
    for (std::size_t i = 0; i < count; ++i) {
        temporal.next_frame(clip.frames[i], double(i) / clip.fps);
        out.push_back(nt::stylize(clip.frames[i], style, o));
        inputs.push_back(clip.frames[i]);
    }
    return out;
}

void save_pair(const std::string& row, const nt::Image& raw, const nt::Image& filtered) {
    const char* dir = std::getenv("NT_TEMPORAL_SAVE");
    if (!dir) return;
    fs::create_directories(dir);
    nt::save_image(raw, fs::path(dir) / (row + "_per_frame.png"));
    nt::save_image(filtered, fs::path(dir) / (row + "_temporal.png"));
}

void BM_TemporalQuality(benchmark::State& state, const std::string& method, std::size_t clip_index) {
    const Clip& clip = clips().at(clip_index);
    const double strength = double(state.range(0)) / 100.0;
    std::vector<nt::Image> inputs;
    const std::vector<nt::Image> raw = per_frame(clip, method, inputs);
    double raw_error = 0, filtered_error = 0, ssim_sum = 0, ssim_worst = 1;
    int resets = 0;
    for (auto _ : state) {
        nt::TemporalConsistency tc(strength);
        nt::WarpingError raw_w, filtered_w;
        ssim_sum = 0;
        ssim_worst = 1;
        for (std::size_t i = 0; i < raw.size(); ++i) {
            const nt::Image out = tc.filter(inputs[i], raw[i], i);
            raw_w.add(inputs[i], raw[i]);
            filtered_w.add(inputs[i], out);
            const double s = nt::ssim(out, raw[i]);
            ssim_sum += s;
            ssim_worst = std::min(ssim_worst, s);
            if (int(i) == kSavedFrame) save_pair(method + "_" + clip.name, raw[i], out);
        }
        raw_error = raw_w.mean();
        filtered_error = filtered_w.mean();
        resets = tc.resets();
    }
    state.counters["frames"] = double(raw.size());
    state.counters["warp_raw"] = raw_error;
    state.counters["warp_temporal"] = filtered_error;
    state.counters["ratio"] = raw_error > 0 ? filtered_error / raw_error : 0.0;
    state.counters["ssim_mean"] = ssim_sum / double(raw.size());
    state.counters["ssim_worst"] = ssim_worst;
    state.counters["restarts"] = resets;
}

void BM_TemporalCost(benchmark::State& state) {
    nt::set_flow_threads(int(state.range(0)));
    const Clip& clip = clips().front();
    std::vector<nt::Image> frames;
    for (std::size_t i = 0; i < std::min<std::size_t>(clip.frames.size(), 30); ++i)
        frames.push_back(nt::resize_bilinear_antialias(clip.frames[i], 640, 480));
    nt::TemporalConsistency tc;
    nt::bench::reset_peak_memory();
    std::uint64_t frame = 0;
    for (auto _ : state) {
        const nt::Image& f = frames[frame % frames.size()];
        benchmark::DoNotOptimize(tc.filter(f, f, frame++).pixels.data());
    }
    nt::set_flow_threads(0);
    state.counters["peak_MiB"] = nt::bench::peak_memory_mib();
}

const bool registered = [] {
    benchmark::RegisterBenchmark("BM_TemporalCost/640x480", BM_TemporalCost)
        ->ArgName("cv_threads")
        ->Arg(1)
        ->Arg(2)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->Repetitions(5)
        ->ReportAggregatesOnly(true);
    for (std::size_t c = 0; c < clips().size(); ++c)
        for (const char* m : {"reinhard", "patch_synthesis"})
            benchmark::RegisterBenchmark(("BM_TemporalQuality/" + std::string(m) + "/" + clips()[c].name).c_str(),
                                         BM_TemporalQuality, m, c)
                ->ArgName("strength")
                ->Arg(80)
                ->Unit(benchmark::kMillisecond)
                ->Iterations(1);
    return true;
}();

}  // namespace
