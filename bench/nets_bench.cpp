// Milliseconds per frame of the neural methods as the CLI and the viewer's worker run them
// (Method::run with a NeuralStylizer's models: the real path, casts and crops included), at 256x256 and 512x512, on the CPU
// three ways (the modules layer by layer in fp32 NCHW, as plain PyTorch runs them; the fused
// channels-last path in fp32; the fused path in bf16 where the CPU has native bf16) and, where
// available, on CUDA in fp16.
// AdaIN three ways: nothing cached (a new content and a new style), the style's statistics cached
// (a new content), and both cached (dragging alpha: the decoder alone).
// Published reference: AdaIN 65 ms at 512x512 on a Pascal Titan X, style encoding excluded.
// The weights are random (timings do not depend on values), written once to a temp folder.
#include <benchmark/benchmark.h>

#include <ATen/ATen.h>
#include <torch/nn/module.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <tuple>
#include <utility>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/device.h"
#include "imageio/load_image.h"
#include "image/resize.h"
#include "image/tensor_convert.h"
#include "nets/adain_net.h"
#include "nets/fused_cnn.h"
#include "nets/neural_stylizer.h"
#include "nets/precision.h"
#include "nets/transformer_net.h"
#include "nets/safetensors.h"
#include "stylize/registry.h"

namespace {

namespace fs = std::filesystem;

std::map<std::string, at::Tensor> state_of(const torch::nn::Module& m) {
    std::map<std::string, at::Tensor> t;
    for (const auto& p : m.named_parameters()) t[p.key()] = p.value().detach();
    return t;
}

const fs::path& models_dir() {
    static const fs::path dir = [] {
        const fs::path d = fs::temp_directory_path() / "nt_nets_bench_models";
        fs::create_directories(d / "fast_style");
        fs::create_directories(d / "adain");
        nt::save_safetensors(d / "fast_style" / "random.safetensors", state_of(*nt::TransformerNet()));
        nt::save_safetensors(d / "adain" / "vgg_encoder.safetensors", state_of(*nt::VggEncoder()));
        nt::save_safetensors(d / "adain" / "decoder.safetensors", state_of(*nt::AdainDecoder()));
        return d;
    }();
    return dir;
}

enum class Cache { None, Style, Both };

// How the networks run: the rows of one benchmark.
struct Path {
    const char* name;
    bool cuda;
    bool fused;
    nt::Precision precision;
};

// A method's run as the CLI and the viewer make it, with its models.
struct Setup {
    std::unique_ptr<nt::NeuralStylizer> neural;
    const nt::Method* method = nullptr;
    at::Tensor content, style;
    nt::ParamValues params;
    nt::RunContext context;
    at::Tensor run() const { return method->run(content, style, params, context); }
};

Setup make_setup(benchmark::State& state, const std::string& method, const Path& path) {
    const int side = int(state.range(0));
    nt::NeuralOptions options;
    options.precision = path.precision;
    options.fused_cpu = path.fused;
    Setup s;
    s.neural = std::make_unique<nt::NeuralStylizer>(nt::scan_models(models_dir()), options);
    const c10::Device device = path.cuda ? c10::Device(c10::kCUDA) : c10::Device(c10::kCPU);
    at::manual_seed(1);
    s.method = &nt::method_by_name(method);
    s.params = nt::default_params(s.method->info());
    s.content = at::rand({1, 3, side, side}).to(device);
    s.style = at::rand({1, 3, side, side}).to(device);
    s.context.models = s.neural.get();
    s.context.model = "random";
    s.run();  // loads the weights, warms up the allocator
    return s;
}

// The convolutions' work: 2 x (multiply-adds) of every layer of `net` for an h x w input.
double conv_flops(const nt::FusedCnn& net, std::int64_t h, std::int64_t w, int input_pad) {
    double flops = 0;
    h += 2 * input_pad, w += 2 * input_pad;
    for (const nt::FusedConv& layer : net.layers()) {
        const std::int64_t k = layer.weight.size(2), s = layer.stride;
        h = (h - k) / s + 1, w = (w - k) / s + 1;
        flops += 2.0 * double(h * w) * double(layer.weight.size(0) * layer.weight.size(1) * k * k);
        if (layer.after) std::tie(h, w) = nt::padded_size(h, w, *layer.after);
    }
    return flops;
}

// The conv rate this process gets on the hardware, GFLOP/s: a 128 -> 128 3x3 convolution at
// 128x128 (TransformerNet's residual blocks) in the path's dtype and layout, median of 9.
double conv_rate(const Path& path) {
    static std::map<std::string, double> rates;
    auto [it, fresh] = rates.emplace(path.name, 0.0);
    if (!fresh) return it->second;
    at::InferenceMode inference;
    const c10::ScalarType dtype = nt::network_dtype(path.precision, c10::Device(c10::kCPU));
    const auto layout = path.fused ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous;
    const at::Tensor x = at::rand({1, 128, 130, 130}).to(dtype).contiguous(layout);
    const at::Tensor wt = at::rand({128, 128, 3, 3}).to(dtype).contiguous(layout);
    std::vector<double> ms;
    for (int i = 0; i < 12; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        benchmark::DoNotOptimize(at::conv2d(x, wt).data_ptr());
        if (i >= 3) ms.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    it->second = 2.0 * 128 * 128 * 128 * 128 * 9 / ms[ms.size() / 2] / 1e9;
    return it->second;
}

// The floor beside each row: the network's conv work at the measured conv rate.
void report_floor(benchmark::State& state, const Path& path, double flops) {
    state.counters["GFLOP"] = flops / 1e9;
    if (path.cuda) return;
    const double rate = conv_rate(path);
    state.counters["conv_GFLOPs"] = rate;
    state.counters["floor_ms"] = flops / (rate * 1e9) * 1e3;
}

// Reading one value back waits for the device to finish the frame (no CUDA runtime call needed).
void finish(const at::Tensor& out) { benchmark::DoNotOptimize(out.reshape(-1)[0].item<float>()); }

void BM_FastStyle(benchmark::State& state, Path path) {
    at::InferenceMode inference;
    Setup s = make_setup(state, "fast_style", path);
    for (auto _ : state) {
        finish(s.run());
    }
    const std::int64_t side = state.range(0);
    report_floor(state, path, conv_flops(nt::fuse_transformer_net(*nt::TransformerNet(), at::kFloat), side, side, 4));
}

void BM_Adain(benchmark::State& state, Cache cache, Path path) {
    at::InferenceMode inference;
    Setup s = make_setup(state, "adain", path);
    const at::Tensor content = s.content, style = s.style;
    for (auto _ : state) {
        // New tensors are new pictures to the caches (they are keyed by tensor).
        if (cache != Cache::Both) s.content = content.clone();
        if (cache == Cache::None) s.style = style.clone();
        finish(s.run());
        if (cache == Cache::None) s.neural->clear_caches();
    }
    const std::int64_t side = state.range(0), features = (side + 7) / 8;
    const double encode = conv_flops(nt::fuse_sequential(*nt::VggEncoder(), at::kFloat), side, side, 0);
    const double decode = conv_flops(nt::fuse_sequential(*nt::AdainDecoder(), at::kFloat), features, features, 1);
    report_floor(state, path, decode + (cache == Cache::Both ? 0 : encode) + (cache == Cache::None ? encode : 0));
}

at::Tensor bundled(const std::string& name, int side) {
    const nt::Image img = nt::load_image(std::string(NT_ASSETS_DIR) + "/" + name);
    return nt::image_to_tensor(nt::resize_bilinear_antialias(img, side, side));
}

// How far bf16 results are from float32 ones on the bundled photo and painting at 512x512. The
// weights are random, so the pictures mean nothing and most of a clamped output would be black:
// the differences are taken on the networks' raw outputs, in levels of their own range (max - min
// of the float32 output read as 255 levels): mean, max, and the share beyond 2 levels.
enum class Network { FastStyle, Adain };

void BM_Bf16Levels(benchmark::State& state, Network network) {
    at::InferenceMode inference;
    at::manual_seed(3);
    const at::Tensor content = bundled("content.jpg", 512), style = bundled("style.jpg", 512);
    const nt::TransformerNet net = nt::load_transformer_net(models_dir() / "fast_style" / "random.safetensors");
    const nt::VggEncoder encoder = nt::load_vgg_encoder(models_dir() / "adain" / "vgg_encoder.safetensors");
    const nt::AdainDecoder decoder = nt::load_adain_decoder(models_dir() / "adain" / "decoder.safetensors");
    auto raw = [&](c10::ScalarType dtype) {
        if (network == Network::FastStyle)
            return nt::fuse_transformer_net(*net, dtype).forward(content * 255.0).to(at::kFloat);
        const nt::FusedCnn enc = nt::fuse_sequential(*encoder, dtype);
        const nt::FusedCnn dec = nt::fuse_sequential(*decoder, dtype);
        const at::Tensor fc = enc.forward(content).to(at::kFloat), fs = enc.forward(style).to(at::kFloat);
        return dec.forward(nt::adain(fc, nt::feature_stats(fc), nt::feature_stats(fs)).to(dtype)).to(at::kFloat);
    };
    at::Tensor a, b;
    for (auto _ : state) {
        a = raw(at::kFloat);
        b = raw(at::kBFloat16);
    }
    const double range = (a.max() - a.min()).item<double>();
    const at::Tensor levels = (b - a).abs() / range * 255.0;
    state.counters["mean_levels"] = levels.mean().item<double>();
    state.counters["max_levels"] = levels.max().item<double>();
    state.counters["beyond_2_levels"] = (levels > 2.0).to(at::kFloat).mean().item<double>();
}

void args(benchmark::internal::Benchmark* b) {
    b->Arg(256)->Arg(512)->ArgName("side")->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0);
}

// The bf16 rows exist only where the CPU has native bf16, the CUDA rows only where a GPU is.
const bool registered = [] {
    nt::reuse_freed_memory();  // as the CLI and the viewer do
    nt::use_all_cpu_cores();
    std::vector<Path> paths{{"/cpu_modules_fp32", false, false, nt::Precision::Fp32},
                            {"/cpu_fused_fp32", false, true, nt::Precision::Fp32}};
    if (nt::cpu_bf16_support().any()) paths.push_back({"/cpu_fused_bf16", false, true, nt::Precision::Bf16});
    if (nt::cuda_available()) paths.push_back({"/cuda_fp16", true, false, nt::Precision::Auto});
    if (nt::cpu_bf16_support().any())
        for (const auto& [name, network] :
             {std::pair{"fast_style", Network::FastStyle}, std::pair{"adain", Network::Adain}})
            benchmark::RegisterBenchmark((std::string("BM_Bf16Levels/") + name).c_str(), BM_Bf16Levels, network)
                ->Iterations(1)
                ->Unit(benchmark::kMillisecond);
    for (const Path& p : paths) {
        const std::string dev = p.name;
        benchmark::RegisterBenchmark(("BM_FastStyle" + dev).c_str(), BM_FastStyle, p)->Apply(args);
        benchmark::RegisterBenchmark(("BM_AdainUncached" + dev).c_str(), BM_Adain, Cache::None, p)->Apply(args);
        benchmark::RegisterBenchmark(("BM_AdainStyleCached" + dev).c_str(), BM_Adain, Cache::Style, p)->Apply(args);
        benchmark::RegisterBenchmark(("BM_AdainAlphaDrag" + dev).c_str(), BM_Adain, Cache::Both, p)->Apply(args);
    }
    return true;
}();

}  // namespace
