#pragma once
// Arbitrary style transfer with adaptive instance normalisation (Huang and Belongie 2017), the
// networks of naoto0804/pytorch-AdaIN with their state_dict names ("0.weight", "2.weight", ... as
// nn.Sequential numbers them), so converted checkpoints load unchanged.
//
// Encoder: the normalised VGG-19 up to relu4_1, i.e. the first 31 layers of vgg_normalised:
//   a leading 1x1 conv 3->3 (it does the preprocessing: RGB 0..1 to the Caffe VGG's input),
//   then (ReflectionPad 1, 3x3 conv, ReLU) blocks with ceil-mode 2x2 max pooling between stages:
//   64, 64 | 128, 128 | 256 x4 | 512 (relu4_1). Input RGB in 0..1.
// Decoder: the mirror, 512->256, upsample, 256 x3, 256->128, upsample, 128, 128->64, upsample,
//   64, 64->3, with nearest 2x upsampling and reflection padding; no activation after the last
//   conv. Output RGB nominally 0..1, unclamped.
#include <filesystem>
#include <string>
#include <vector>

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/pimpl.h>

#include "base/cancel.h"
#include "methods/temporal_stats.h"

namespace nt {

class VggEncoderImpl : public torch::nn::Module {
public:
    VggEncoderImpl();
    // x: [N, 3, H, W] in 0..1, H, W >= 9, any float dtype/device/memory format the module has.
    // Returns relu4_1 features [N, 512, ceil(H/8), ceil(W/8)] (ceil-mode pooling). Checks `cancel`
    // before every layer; throws nt::Error for a wrong shape or a picture too small.
    at::Tensor forward(const at::Tensor& x, const CancelToken& cancel = CancelToken());

private:
    torch::nn::Sequential layers_{nullptr};  // registered as the module itself: keys "0.weight", ...
};
TORCH_MODULE(VggEncoder);

class AdainDecoderImpl : public torch::nn::Module {
public:
    AdainDecoderImpl();
    // features [N, 512, h, w], h, w >= 2 -> RGB [N, 3, 8h, 8w]: for features of an H x W picture
    // that is 8 * ceil(H/8) >= H rows; the picture is the top-left H x W (the caller crops).
    at::Tensor forward(const at::Tensor& features, const CancelToken& cancel = CancelToken());

private:
    torch::nn::Sequential layers_{nullptr};
};
TORCH_MODULE(AdainDecoder);

// Per-channel mean and standard deviation of features [N, C, h, w] (N is 1 in practice), as the
// reference's calc_mean_std computes them: unbiased variance plus eps 1e-5, then sqrt. With a mask
// [1, 1, h, w] (or [N, 1, h, w]) in 0..1, on the features' grid, the moments are weighted by it:
//   mean = sum(w x) / sum(w),  var = sum(w (x - mean)^2) / (sum(w) - 1),
// so a hard 0/1 mask gives exactly the statistics of the selected positions. Where sum(w) <= 1
// (an empty mask, or a single position: no variance to speak of) the unmasked statistics of the
// whole map are returned instead; this is decided on the device, without a host sync.
// Half/bfloat16 features are reduced in float32; mean and std come back in the features' dtype.
// Throws nt::Error for a non-4-D input or a mask of the wrong shape.
struct FeatureStats {
    at::Tensor mean;  // [1, C, 1, 1]
    at::Tensor std;   // [1, C, 1, 1]
};
FeatureStats feature_stats(const at::Tensor& features, const at::Tensor& mask = at::Tensor());
// feature_stats of a video frame's content features, smoothed over the video when `temporal` is
// given (methods/temporal_stats.h; `key` names the region: "adain", "adain.black", ...).
FeatureStats content_feature_stats(const at::Tensor& features, const at::Tensor& mask, TemporalStats* temporal,
                                   const std::string& key);

// (content - content.mean) / content.std * style.std + style.mean, per channel (computed as one
// fused content * scale + shift; the result has the content's dtype and device).
at::Tensor adain(const at::Tensor& content_features, const FeatureStats& content, const FeatureStats& style);

// The style target for several styles: the AdaIN results for each style, mixed with `weights`
// (normalised to sum 1), as the reference's interpolation_weights do. AdaIN is affine in the
// style statistics, so this mixes the statistics and runs one AdaIN (same result, one pass).
// Throws nt::Error for no styles, a count mismatch, negative/non-finite or all-zero weights.
// `temporal`: as content_feature_stats.
at::Tensor adain_mix(const at::Tensor& content_features, const std::vector<FeatureStats>& styles,
                     const std::vector<double>& weights, TemporalStats* temporal = nullptr);

// The style statistics of a mix: each style's, weighted by `weights` normalised to sum 1 (AdaIN is
// affine in them, so this is the reference's mix of AdaIN results). Throws nt::Error as adain_mix.
FeatureStats mix_style_stats(const std::vector<FeatureStats>& styles, const std::vector<double>& weights);

// The content statistics an AdaIN run normalises with: of the whole picture, or with a mask
// ([1, 1, h, w] on the features' grid) of its white region and, when an extra style paints the
// black region, of that one. Smoothed over a video by `temporal` (keys "adain", "adain.white",
// "adain.black"). Taken once from a thumbnail, they let every tile of a big picture be
// normalised as the whole picture is (URST's thumbnail AdaIN).
struct AdainContentStats {
    FeatureStats white;  // the whole picture's without a mask
    FeatureStats black;  // undefined unless a mask and two styles
};
AdainContentStats adain_content_stats(const at::Tensor& features, const at::Tensor& mask, std::size_t style_count,
                                      TemporalStats* temporal);

// The decoder's input for content features [1, 512, h, w] (float32): AdaIN with `content`'s
// statistics and the styles' (mixed by `weights` without a mask; with one, styles[0] where it is
// white and styles[1], or the content's own features, where it is black), then mixed with the
// features by alpha. `mask` on the features' grid or undefined.
at::Tensor adain_target(const at::Tensor& features, const at::Tensor& mask, const AdainContentStats& content,
                        const std::vector<FeatureStats>& styles, const std::vector<double>& weights, double alpha);

// Loaders: an encoder from a converted vgg_normalised (the keys of its first 31 layers; those of
// later layers, which Gatys uses, are ignored) and a decoder from decoder.safetensors; eval mode,
// CPU. Throw nt::Error naming the file.
VggEncoder load_vgg_encoder(const std::filesystem::path& path);
AdainDecoder load_adain_decoder(const std::filesystem::path& path);

}  // namespace nt
