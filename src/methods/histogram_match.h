#pragma once
// Histogram matching (specification) per RGB channel: each content channel is remapped so its
// cumulative distribution follows the style's. The CDFs come from histograms of
// kHistogramBins bins, a quarter of an 8-bit level wide and centred so every 8-bit level sits in
// the middle of one bin, taken as linear within each bin: an 8-bit level is mapped from its
// mid-rank, and continuous values interpolate. For each content bin the inverse of the style's
// CDF is taken at both ends of the quantile range the bin covers; pixels interpolate linearly
// between the two. Pure ATen (scatter_add, cumsum, searchsorted, gather): CPU or CUDA, no host round
// trip.
#include <ATen/Tensor.h>

#include "base/cancel.h"
#include "methods/temporal_stats.h"

namespace nt {

inline constexpr int kBinsPerLevel = 4;
inline constexpr int kHistogramBins = 255 * kBinsPerLevel + 1;

// content, style: float [1, 3, H, W] in 0..1, same shape and device. Values outside 0..1 count
// in the end bins. The result is the content moved `strength` (0..1) of the way to the matched
// picture, clamped to 0..1.
// With `temporal`, the content's CDF is its running average over a video (an average of CDFs is
// the CDF of the frames' pooled pixels). `cancel` is checked between the passes over the pixels
// (throws nt::Cancelled).
at::Tensor histogram_match(const at::Tensor& content, const at::Tensor& style, double strength = 1.0,
                           TemporalStats* temporal = nullptr, const CancelToken& cancel = {});

// The per-channel lookup table [3, kHistogramBins, 2]: for content bin j, the style values at the
// lowest and highest quantile of the content in that bin (the bin spans (j -/+ 0.5) / 1020).
at::Tensor histogram_match_table(const at::Tensor& content, const at::Tensor& style);

}  // namespace nt
