// Video flicker (issue 19), with and without the temporal smoothing of content statistics
// (methods/temporal_stats.h): 2 s at 25 fps of the bundled photo, still, with a piece of
// the bundled painting coming and going at random at its left edge (a passer-by at the edge of
// a hand-held shot). The counter is the still pixels' mean change from frame to frame in 8-bit
// levels (nt::still_flicker), over the right two thirds of the picture. Not a speed: the
// benchmark time is the clip's stylization, for the cost of smoothing (none to speak of).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <string>
#include <vector>

#include "imageio/load_image.h"
#include "methods/temporal_stats.h"
#include "image/resize.h"
#include "stylize/stylize.h"

namespace {

struct Clip {
    std::vector<nt::Image> frames;
    nt::Image style;
};

const Clip& clip() {
    static const Clip c = [] {
        Clip out;
        const nt::Image photo = nt::resize_bilinear_antialias(nt::load_image(NT_ASSETS_DIR "/content.jpg"), 512, 384);
        out.style = nt::load_image(NT_ASSETS_DIR "/style.jpg");
        const nt::Image piece = nt::resize_bilinear_antialias(out.style, 128, 384);
        std::uint32_t seed = 7;
        for (int i = 0; i < 50; ++i) {
            seed = seed * 1664525u + 1013904223u;
            const int visible = int(seed >> 25);  // 0 .. 127 columns of the piece
            nt::Image f = photo;
            for (int y = 0; y < 384; ++y)
                std::copy(piece.at(128 - visible, y), piece.at(128 - visible, y) + 3 * visible, f.at(0, y));
            out.frames.push_back(std::move(f));
        }
        return out;
    }();
    return c;
}

nt::Image right_part(const nt::Image& f) {
    const int from = f.width / 3;
    nt::Image out(f.width - from, f.height);
    for (int y = 0; y < f.height; ++y) std::copy(f.at(from, y), f.at(from, y) + out.row_bytes(), out.row(y));
    return out;
}

void BM_StillFlicker(benchmark::State& state, const std::string& method) {
    const bool smooth = state.range(0) != 0;
    const Clip& c = clip();
    nt::StylizeOptions o;
    o.method = method;
    o.size = nt::parse_size_spec("original");
    o.device = nt::DeviceChoice::Cpu;
    double flicker = 0;
    for (auto _ : state) {
        nt::TemporalStats temporal(smooth ? nt::kDefaultStatsTimeConstant : 0.0);
        o.temporal = &temporal;
        std::vector<nt::Image> in, out;
        for (std::size_t i = 0; i < c.frames.size(); ++i) {
            temporal.next_frame(c.frames[i], double(i) / 25.0);
            out.push_back(right_part(nt::stylize(c.frames[i], c.style, o)));
            in.push_back(right_part(c.frames[i]));
        }
        flicker = nt::still_flicker(in, out);
    }
    state.counters["flicker_levels"] = flicker;
}

const bool registered = [] {
    for (const char* m : {"reinhard", "monge_kantorovich", "histogram"})
        benchmark::RegisterBenchmark((std::string("BM_StillFlicker/") + m).c_str(), BM_StillFlicker, m)
            ->ArgName("smooth")
            ->Arg(0)
            ->Arg(1)
            ->Unit(benchmark::kMillisecond)
            ->Iterations(1);
    return true;
}();

}  // namespace
