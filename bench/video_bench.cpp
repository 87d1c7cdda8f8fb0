// Video: decode + stylize frames per second at 640x480 and 1280x720 (the working size is the
// clip's own), for the blend, a colour method, fast style and AdaIN (random weights, bf16 where
// the CPU has it; AdaIN's style statistics are taken once, its content encoded every frame), through the command line's path (VideoReader, then stylize() per frame with one
// NeuralStylizer). The encode is timed on its own. The clip (H.264, 24 frames) is made first.
#include <benchmark/benchmark.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include <ATen/ATen.h>
#include <torch/nn/module.h>

#include "base/device.h"
#include "nets/adain_net.h"
#include "nets/neural_stylizer.h"
#include "nets/transformer_net.h"
#include "stylize/stylize.h"
#include "video/video_reader.h"
#include "video/video_writer.h"
#include "nets/safetensors.h"

namespace {

namespace fs = std::filesystem;
constexpr int kFrames = 24;

nt::Image frame_picture(int w, int h, int i) {
    nt::Image f(w, h);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            std::uint8_t* p = f.at(x, y);
            p[0] = std::uint8_t(255 * x / (w - 1));
            p[1] = std::uint8_t(255 * y / (h - 1));
            p[2] = std::uint8_t(128 + 100 * std::sin((x + 4 * i) / 9.0));
        }
    return f;
}

const fs::path& folder() {
    static const fs::path dir = [] {
        const fs::path d = fs::temp_directory_path() / "nt_video_bench";
        fs::create_directories(d / "models" / "fast_style");
        fs::create_directories(d / "models" / "adain");
        auto save = [](const torch::nn::Module& m, const fs::path& path) {
            std::map<std::string, at::Tensor> state;
            for (const auto& p : m.named_parameters()) state[p.key()] = p.value().detach();
            nt::save_safetensors(path, state);
        };
        save(*nt::TransformerNet(), d / "models" / "fast_style" / "random.safetensors");
        save(*nt::VggEncoder(), d / "models" / "adain" / "vgg_encoder.safetensors");
        save(*nt::AdainDecoder(), d / "models" / "adain" / "decoder.safetensors");
        return d;
    }();
    return dir;
}

fs::path clip(int w, int h) {
    const fs::path path = folder() / ("clip_" + std::to_string(w) + "x" + std::to_string(h) + ".mp4");
    if (fs::exists(path)) return path;
    nt::VideoWriterOptions o;
    o.width = w;
    o.height = h;
    o.fps_num = 24;
    nt::VideoWriter writer(path, o);
    for (int i = 0; i < kFrames; ++i) writer.write(frame_picture(w, h, i));
    writer.finish();
    return path;
}

void BM_VideoDecodeStylize(benchmark::State& state, std::string method) {
    const int w = int(state.range(0)), h = int(state.range(1));
    const fs::path path = clip(w, h);
    nt::StylizeOptions o;
    o.method = method;
    o.size = nt::parse_size_spec("original");
    o.device = nt::DeviceChoice::Cpu;
    if (nt::method_by_name(method).info().model_kind) o.model = "random";  // the folder's one network
    nt::NeuralStylizer neural(nt::scan_models(folder() / "models"));
    const nt::Image style = frame_picture(w, h, 7);
    std::int64_t frames = 0;
    for (auto _ : state) {
        nt::VideoReader reader(path);
        while (std::optional<nt::VideoFrame> f = reader.read()) {
            benchmark::DoNotOptimize(nt::stylize(f->picture, style, o, &neural).pixels.data());
            ++frames;
        }
    }
    state.counters["fps"] = benchmark::Counter(double(frames), benchmark::Counter::kIsRate);
}

void BM_VideoEncode(benchmark::State& state) {
    const int w = int(state.range(0)), h = int(state.range(1));
    const nt::Image picture = frame_picture(w, h, 0);
    std::int64_t frames = 0;
    for (auto _ : state) {
        nt::VideoWriterOptions o;
        o.width = w;
        o.height = h;
        nt::VideoWriter writer(folder() / "encoded.mp4", o);
        for (int i = 0; i < kFrames; ++i) writer.write(picture);
        writer.finish();
        frames += kFrames;
    }
    state.counters["fps"] = benchmark::Counter(double(frames), benchmark::Counter::kIsRate);
}

void sizes(benchmark::internal::Benchmark* b) {
    b->Args({640, 480})
        ->Args({1280, 720})
        ->ArgNames({"w", "h"})
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->Iterations(2);
}

const bool registered = [] {
    nt::reuse_freed_memory();
    nt::use_all_cpu_cores();
    for (const char* m : {"blend", "reinhard", "fast_style", "adain"})
        benchmark::RegisterBenchmark((std::string("BM_VideoDecodeStylize/") + m).c_str(), BM_VideoDecodeStylize, m)
            ->Apply(sizes);
    benchmark::RegisterBenchmark("BM_VideoEncode", BM_VideoEncode)->Apply(sizes);
    return true;
}();

}  // namespace
