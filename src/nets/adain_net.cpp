#include "nets/adain_net.h"

#include <cmath>
#include <sstream>
#include <string>

#include <ATen/ATen.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/padding.h>
#include <torch/nn/modules/pooling.h>
#include <torch/nn/modules/upsampling.h>

#include "base/error.h"
#include "nets/load_weights.h"
#include "nets/safetensors.h"

namespace nt {

namespace {

constexpr double kStatsEps = 1e-5;     // calc_mean_std's eps, added to the variance
constexpr int kEncoderLastLayer = 30;  // relu4_1 in vgg_normalised

torch::nn::ReflectionPad2d pad1() { return torch::nn::ReflectionPad2d(torch::nn::ReflectionPad2dOptions(1)); }

torch::nn::Conv2d conv(int in_channels, int out_channels, int kernel = 3) {
    return torch::nn::Conv2d(torch::nn::Conv2dOptions(in_channels, out_channels, kernel));
}

// In place: it always follows a conv, whose output nothing else holds (and whose backward does
// not need it), so this saves one allocation per layer.
torch::nn::ReLU relu() { return torch::nn::ReLU(torch::nn::ReLUOptions(/*inplace=*/true)); }

torch::nn::MaxPool2d max_pool() {
    return torch::nn::MaxPool2d(torch::nn::MaxPool2dOptions(2).stride(2).ceil_mode(true));
}

// nn.Upsample(scale_factor=2, mode='nearest'): output floor(2 * size), source index floor(i / 2).
torch::nn::Upsample upsample() {
    return torch::nn::Upsample(
        torch::nn::UpsampleOptions().scale_factor(std::vector<double>{2.0, 2.0}).mode(torch::kNearest));
}

// Registers the Sequential's layers directly on `owner` under their indices, so the state_dict
// names are "0.weight", "2.weight", ... as nn.Sequential writes them (not "layers.0.weight").
void register_layers(torch::nn::Module& owner, const torch::nn::Sequential& layers) {
    for (const auto& child : layers->named_children()) owner.register_module(child.key(), child.value());
}

at::Tensor run_layers(torch::nn::SequentialImpl& layers, const at::Tensor& x, const CancelToken& cancel) {
    at::Tensor y = x;
    for (auto& layer : layers) {
        cancel.check();
        y = layer.forward(y);
    }
    return y;
}

// channels < 0: any number of channels.
void check_input(const at::Tensor& x, int64_t channels, const char* what) {
    if (!x.defined() || x.dim() != 4 || (channels >= 0 && x.size(1) != channels))
        throw Error(what, "input must be [N, " + (channels >= 0 ? std::to_string(channels) : std::string("C")) +
                              ", H, W], got " +
                              (x.defined() ? shape_text(x.sizes()) : std::string("an undefined tensor")));
}

void check_min_size(const at::Tensor& x, int64_t min_size, const char* what) {
    if (x.size(2) < min_size || x.size(3) < min_size)
        throw Error(what, "input of " + std::to_string(x.size(3)) + "x" + std::to_string(x.size(2)) +
                              " is too small (at least " + std::to_string(min_size) + "x" + std::to_string(min_size) +
                              " needed)");
}

bool is_reduced_float(at::ScalarType t) { return t == at::kHalf || t == at::kBFloat16; }

}  // namespace

VggEncoderImpl::VggEncoderImpl() {
    layers_ = torch::nn::Sequential(conv(3, 3, 1),                    // 0: preprocessing
                                    pad1(), conv(3, 64), relu(),      // 1-3: relu1_1
                                    pad1(), conv(64, 64), relu(),     // 4-6: relu1_2
                                    max_pool(),                       // 7
                                    pad1(), conv(64, 128), relu(),    // 8-10: relu2_1
                                    pad1(), conv(128, 128), relu(),   // 11-13: relu2_2
                                    max_pool(),                       // 14
                                    pad1(), conv(128, 256), relu(),   // 15-17: relu3_1
                                    pad1(), conv(256, 256), relu(),   // 18-20: relu3_2
                                    pad1(), conv(256, 256), relu(),   // 21-23: relu3_3
                                    pad1(), conv(256, 256), relu(),   // 24-26: relu3_4
                                    max_pool(),                       // 27
                                    pad1(), conv(256, 512), relu());  // 28-30: relu4_1
    register_layers(*this, layers_);
}

at::Tensor VggEncoderImpl::forward(const at::Tensor& x, const CancelToken& cancel) {
    check_input(x, 3, "VGG encoder");
    // The last stage (after three halvings) pads by 1 by reflection: it needs 2 pixels.
    check_min_size(x, 9, "VGG encoder");
    return run_layers(*layers_, x, cancel);
}

AdainDecoderImpl::AdainDecoderImpl() {
    layers_ = torch::nn::Sequential(pad1(), conv(512, 256), relu(),  // 0-2
                                    upsample(),                      // 3
                                    pad1(), conv(256, 256), relu(),  // 4-6
                                    pad1(), conv(256, 256), relu(),  // 7-9
                                    pad1(), conv(256, 256), relu(),  // 10-12
                                    pad1(), conv(256, 128), relu(),  // 13-15
                                    upsample(),                      // 16
                                    pad1(), conv(128, 128), relu(),  // 17-19
                                    pad1(), conv(128, 64), relu(),   // 20-22
                                    upsample(),                      // 23
                                    pad1(), conv(64, 64), relu(),    // 24-26
                                    pad1(), conv(64, 3));            // 27-28
    register_layers(*this, layers_);
}

at::Tensor AdainDecoderImpl::forward(const at::Tensor& features, const CancelToken& cancel) {
    check_input(features, 512, "AdaIN decoder");
    check_min_size(features, 2, "AdaIN decoder");
    return run_layers(*layers_, features, cancel);
}

FeatureStats feature_stats(const at::Tensor& features, const at::Tensor& mask) {
    check_input(features, -1, "feature_stats");
    // Half and bfloat16 statistics are accumulated in float32 and returned in the input's dtype.
    const at::Tensor f = is_reduced_float(features.scalar_type()) ? features.to(at::kFloat) : features;
    const std::vector<int64_t> spatial{2, 3};

    auto [var, mean] = at::var_mean(f, spatial, /*unbiased=*/true, /*keepdim=*/true);
    if (mask.defined()) {
        if (mask.dim() != 4 || mask.size(1) != 1 || (mask.size(0) != 1 && mask.size(0) != f.size(0)) ||
            mask.size(2) != f.size(2) || mask.size(3) != f.size(3))
            throw Error("feature_stats", "mask must be [1, 1, " + std::to_string(f.size(2)) + ", " +
                                             std::to_string(f.size(3)) + "] like the features, got " +
                                             shape_text(mask.sizes()));
        const at::Tensor w = mask.to(f.options());
        const at::Tensor w_sum = w.sum(spatial, /*keepdim=*/true);  // [N|1, 1, 1, 1]
        const at::Tensor w_mean = (f * w).sum(spatial, /*keepdim=*/true).div_(w_sum);
        // sum w (x - m)^2 / (sum w - 1): for a 0/1 mask, the unbiased variance of the selected
        // positions, exactly what the reference computes on them.
        const at::Tensor w_var = (f - w_mean).square_().mul_(w).sum(spatial, /*keepdim=*/true).div_(w_sum - 1.0);
        // A mask of total weight <= 1 (empty, or a single position) has no variance: the
        // statistics of the whole feature map stand in for it (no host synchronisation needed).
        const at::Tensor usable = w_sum > 1.0;
        mean = at::where(usable, w_mean, mean);
        var = at::where(usable, w_var, var);
    }
    at::Tensor std = var.add_(kStatsEps).sqrt_();
    if (f.scalar_type() != features.scalar_type()) {
        mean = mean.to(features.scalar_type());
        std = std.to(features.scalar_type());
    }
    return {mean, std};
}

at::Tensor adain(const at::Tensor& content_features, const FeatureStats& content, const FeatureStats& style) {
    check_input(content_features, -1, "adain");
    for (const at::Tensor* t : {&content.mean, &content.std, &style.mean, &style.std})
        if (!t->defined() || t->dim() != 4 || t->size(1) != content_features.size(1) || t->size(2) != 1 ||
            t->size(3) != 1)
            throw Error("adain", "statistics must be [N, " + std::to_string(content_features.size(1)) +
                                     ", 1, 1], got " +
                                     (t->defined() ? shape_text(t->sizes()) : std::string("undefined")));
    // (x - mc) / sc * ss + ms  ==  x * scale + shift with scale = ss / sc, shift = ms - mc * scale:
    // one pass over the features instead of four.
    const at::Tensor scale = style.std / content.std;
    const at::Tensor shift = style.mean - content.mean * scale;
    const auto opts = content_features.options();
    return at::addcmul(shift.to(opts), content_features, scale.to(opts));
}

FeatureStats content_feature_stats(const at::Tensor& features, const at::Tensor& mask, TemporalStats* temporal,
                                   const std::string& key) {
    FeatureStats stats = feature_stats(features, mask);
    if (temporal) {
        stats.mean = temporal->smooth(key + ".mean", stats.mean);
        stats.std = temporal->smooth(key + ".std", stats.std);
    }
    return stats;
}

FeatureStats mix_style_stats(const std::vector<FeatureStats>& styles, const std::vector<double>& weights) {
    if (styles.empty()) throw Error("style mix", "no styles given");
    if (styles.size() != weights.size())
        throw Error("style mix",
                    std::to_string(styles.size()) + " styles but " + std::to_string(weights.size()) + " weights");
    double total = 0.0;
    for (double w : weights) {
        if (!std::isfinite(w) || w < 0.0)
            throw Error("style mix", "weights must be finite and >= 0, got " + std::to_string(w));
        total += w;
    }
    if (!(total > 0.0)) throw Error("style mix", "all weights are zero");

    // sum_i w_i * adain(x, style_i) = x * sum_i w_i s_i / sc + ...: AdaIN is affine in the style's
    // statistics, so mixing the statistics with the normalised weights gives the reference's
    // mix of AdaIN results in a single pass.
    FeatureStats mixed;
    for (std::size_t i = 0; i < styles.size(); ++i) {
        if (!styles[i].mean.defined() || !styles[i].std.defined())
            throw Error("style mix", "style " + std::to_string(i + 1) + " has no statistics");
        const double w = weights[i] / total;
        if (w == 0.0) continue;
        const at::Tensor m = styles[i].mean * w;
        const at::Tensor s = styles[i].std * w;
        mixed.mean = mixed.mean.defined() ? mixed.mean.add_(m) : m;
        mixed.std = mixed.std.defined() ? mixed.std.add_(s) : s;
    }
    return mixed;
}

at::Tensor adain_mix(const at::Tensor& content_features, const std::vector<FeatureStats>& styles,
                     const std::vector<double>& weights, TemporalStats* temporal) {
    const FeatureStats mixed = mix_style_stats(styles, weights);
    return adain(content_features, content_feature_stats(content_features, at::Tensor(), temporal, "adain"), mixed);
}

AdainContentStats adain_content_stats(const at::Tensor& features, const at::Tensor& mask, std::size_t style_count,
                                      TemporalStats* temporal) {
    AdainContentStats stats;
    if (!mask.defined()) {
        stats.white = content_feature_stats(features, at::Tensor(), temporal, "adain");
        return stats;
    }
    stats.white = content_feature_stats(features, mask, temporal, "adain.white");
    if (style_count > 1) stats.black = content_feature_stats(features, 1.0 - mask, temporal, "adain.black");
    return stats;
}

at::Tensor adain_target(const at::Tensor& features, const at::Tensor& mask, const AdainContentStats& content,
                        const std::vector<FeatureStats>& styles, const std::vector<double>& weights, double alpha) {
    at::Tensor target;
    if (mask.defined()) {
        const at::Tensor fg = adain(features, content.white, styles.at(0));
        const at::Tensor bg = styles.size() > 1 ? adain(features, content.black, styles[1]) : features;
        target = at::lerp(bg, fg, mask);
    } else {
        target = adain(features, content.white, mix_style_stats(styles, weights));
    }
    return alpha >= 1.0 ? target : at::lerp(features, target, alpha);
}

VggEncoder load_vgg_encoder(const std::filesystem::path& path) {
    // The converter keeps the whole vgg_normalised (Gatys needs relu5_1): AdaIN uses its first
    // 31 layers, so keys of later layers are left out; everything else is checked as usual.
    SafetensorsFile file = read_safetensors(path);
    for (auto it = file.tensors.begin(); it != file.tensors.end();) {
        const std::string& key = it->first;
        const std::size_t dot = key.find('.');
        const bool numbered =
            dot != std::string::npos && dot > 0 && dot <= 3 && key.find_first_not_of("0123456789") == dot;
        it = numbered && std::stoi(key.substr(0, dot)) > kEncoderLastLayer ? file.tensors.erase(it) : std::next(it);
    }
    VggEncoder net;
    load_weights(*net, file, path.string());
    net->eval();
    return net;
}

AdainDecoder load_adain_decoder(const std::filesystem::path& path) { return load_network<AdainDecoder>(path); }

}  // namespace nt
