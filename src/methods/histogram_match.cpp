#include "methods/histogram_match.h"

#include <ATen/ATen.h>

#include <vector>

#include "methods/strength.h"

namespace nt {

namespace {

// Bin j covers [(j - 0.5) w, (j + 0.5) w) with w a quarter level: 8-bit level k sits in the
// middle of bin 4k.
constexpr double kBinWidth = 1.0 / (255.0 * kBinsPerLevel);
constexpr double kFirstEdge = -0.5 * kBinWidth;
constexpr double kLastEdge = kFirstEdge + kHistogramBins * kBinWidth;

// Where each value of a [3, N] tensor falls, in bin units: 0 .. kHistogramBins.
at::Tensor bin_position(const at::Tensor& pixels) {
    return (pixels * (1.0 / kBinWidth)).add_(-kFirstEdge / kBinWidth).clamp_(0.0, double(kHistogramBins));
}

// The bin of each position, as float (for the fraction) or int64 (for indexing).
at::Tensor bin_floor(const at::Tensor& position) { return position.floor().clamp_max_(kHistogramBins - 1); }
at::Tensor bin_index(const at::Tensor& position) { return bin_floor(position).to(at::kLong); }

// Per channel, the CDF at the kHistogramBins + 1 bin edges, [3, B + 1], from 0 to 1. Counting by
// scatter_add (in double, exact for any picture size) is several times faster than three histc
// calls on the CPU, and needs no host synchronisation on CUDA (bincount does).
at::Tensor cdf_at_edges(const at::Tensor& index) {
    const at::Tensor ones = at::ones({1, 1}, index.options().dtype(at::kDouble)).expand(index.sizes());
    const at::Tensor counts = at::zeros({3, kHistogramBins}, ones.options()).scatter_add_(1, index, ones);
    const at::Tensor cumulative = counts.cumsum(1);
    const at::Tensor total = cumulative.narrow(1, kHistogramBins - 1, 1);
    return at::constant_pad_nd(cumulative / total, {1, 0}, 0.0);
}

}  // namespace

namespace {

// The style value at each quantile q of `quantiles` ([3, M]) on the style's piecewise-linear CDF.
// Where the CDF is flat (empty bins) any value of the flat stretch is an inverse: `from_above`
// picks its end (the limit from larger q), otherwise its start (the limit from smaller q).
at::Tensor inverse_cdf(const at::Tensor& cdf, const at::Tensor& quantiles, bool from_above) {
    const at::Tensor bin =
        (at::searchsorted(cdf, quantiles, /*out_int32=*/false, /*right=*/from_above) - 1).clamp(0, kHistogramBins - 1);
    const at::Tensor low = cdf.gather(1, bin), high = cdf.gather(1, bin + 1);
    const at::Tensor within = ((quantiles - low) / (high - low).clamp_min(1e-12)).clamp(0.0, 1.0);
    return (bin.to(at::kDouble) + within) * kBinWidth + kFirstEdge;
}

}  // namespace

namespace {

at::Tensor match_table(const at::Tensor& content_index, const at::Tensor& style_index,
                       TemporalStats* temporal = nullptr) {
    at::Tensor cdf_c = cdf_at_edges(content_index);
    const at::Tensor cdf_s = cdf_at_edges(style_index);
    if (temporal) cdf_c = temporal->smooth("histogram.cdf", cdf_c);
    // Content bin j holds the quantiles cdf_c[j] .. cdf_c[j + 1]; its pixels map between the
    // style values there, taking flat stretches of the style's CDF from the inside.
    const at::Tensor low = inverse_cdf(cdf_s, cdf_c.narrow(1, 0, kHistogramBins).contiguous(), /*from_above=*/true);
    const at::Tensor high = inverse_cdf(cdf_s, cdf_c.narrow(1, 1, kHistogramBins).contiguous(), /*from_above=*/false);
    return at::stack({low, high}, 2);
}

}  // namespace

at::Tensor histogram_match_table(const at::Tensor& content, const at::Tensor& style) {
    return match_table(bin_index(bin_position(content.reshape({3, -1}))),
                       bin_index(bin_position(style.reshape({3, -1}))))
        .to(content.scalar_type());
}

at::Tensor histogram_match(const at::Tensor& content, const at::Tensor& style, double strength, TemporalStats* temporal,
                           const CancelToken& cancel) {
    check_method_inputs("histogram", content, style);
    if (strength <= 0.0) return content.clone();
    // The content's bins serve twice: for its histogram and for the lookup.
    at::Tensor position = bin_position(content.reshape({3, -1}));
    const at::Tensor floor = bin_floor(position);
    const at::Tensor i = floor.to(at::kLong);
    cancel.check();
    const at::Tensor style_bins = bin_index(bin_position(style.reshape({3, -1})));
    cancel.check();
    const at::Tensor table = match_table(i, style_bins, temporal).to(content.scalar_type());
    cancel.check();
    const at::Tensor frac = position.sub_(floor);  // how far into its bin, where the content's CDF is linear
    const at::Tensor matched = at::lerp(table.select(2, 0).gather(1, i), table.select(2, 1).gather(1, i), frac);
    cancel.check();
    return mix_by_strength(content, matched.view(content.sizes()), strength);
}

}  // namespace nt
