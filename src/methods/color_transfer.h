#pragma once
// Colour transfer by statistics: the content keeps its structure and takes the style's colour
// distribution, summarised by its mean and spread. No model weights; pure ATen, CPU or CUDA.
#include <ATen/Tensor.h>

#include "base/cancel.h"
#include "methods/temporal_stats.h"

namespace nt {

// Reinhard, Ashikhmin, Gooch & Shirley 2001, "Color Transfer between Images": in Ruderman's lαβ
// space (image/color_space.h, as in the paper) each channel of the content is shifted and scaled
// to the style's mean and standard deviation. A channel whose deviation is below
// kReinhardMinStd is treated as having that deviation, so a flat content channel is not blown up.
inline constexpr double kReinhardMinStd = 1e-3;
// With `temporal`, the content's means and deviations are its running averages over a video.
at::Tensor reinhard_transfer(const at::Tensor& content, const at::Tensor& style, double strength = 1.0,
                             TemporalStats* temporal = nullptr, const CancelToken& cancel = {});

// Pitié & Kokaram 2007, "The linear Monge-Kantorovitch linear colour mapping for example-based
// colour transfer", in RGB: x -> T (x - μc) + μs with
//     T = Σc^{-1/2} (Σc^{1/2} Σs Σc^{1/2})^{1/2} Σc^{-1/2},
// the linear map with the least displacement that gives the content the style's full 3x3 colour
// covariance. Square roots come from symmetric eigen-decompositions in double precision;
// kMongeKantorovichRegularization is added to the diagonal of both covariances (a standard
// deviation of 0.01, about 2.5 levels of 8-bit) so near-grey pictures (rank-deficient covariance)
// do not amplify noise without bound.
inline constexpr double kMongeKantorovichRegularization = 1e-4;
// With `temporal`, the content's mean and covariance are its running averages over a video.
at::Tensor monge_kantorovich_transfer(const at::Tensor& content, const at::Tensor& style, double strength = 1.0,
                                      TemporalStats* temporal = nullptr, const CancelToken& cancel = {});

// The 3x3 matrix T above for two covariance matrices ([3, 3], any floating dtype), in double.
at::Tensor monge_kantorovich_matrix(const at::Tensor& cov_content, const at::Tensor& cov_style);

// Mean [3] and covariance [3, 3] (population, 1/N) of a [1, 3, H, W] picture's colours.
struct ColorStats {
    at::Tensor mean;
    at::Tensor covariance;
};
ColorStats color_stats(const at::Tensor& image);

// Both take content and style as float [1, 3, H, W] in 0..1, same shape and device (nt::Error
// otherwise), and `strength` in 0..1: the result is the content moved that far towards the full
// transfer, clamped to 0..1. `cancel` is checked between the passes over the pixels (a stale
// job in the viewer stops there, throwing nt::Cancelled).

}  // namespace nt
