#pragma once
// How much of a stylized picture is the style copied: a dense nearest-neighbour field (NNF) from
// every small patch of the result (stride 1) to every patch of the style (stride 1), then
//   - the usage histogram of the style's patches: the largest share one style patch takes, the
//     fraction of style patches used at all, and the entropy of the usage;
//   - the coherent copied regions: connected regions (4-neighbours) where the NNF is a pure
//     translation, NNF(p + d) = NNF(p) + d. A region is a piece of the style pasted whole; a
//     picture rebuilt from the style's strokes, not its objects, has only small ones.
// Only detailed style patches (standard deviation of their values at least kCopyMinDetail) join
// regions: a flat patch or a smooth gradient of the painting pasted whole is not recognisable,
// and smooth areas of a result map coherently onto smooth areas of the style by chance.
// The measure only reads pictures, so it judges any method's output (patch synthesis, patch
// distribution, G'MIC's stylize) the same way. The search is exact up to the PCA projection of the
// style's patches (kCopyPcaEnergy of their variance, at most kCopyPcaMaxDims dimensions), on the
// CPU.
#include <ATen/Tensor.h>

#include <cstdint>

namespace nt {

inline constexpr std::int64_t kCopyPatch = 7;
inline constexpr double kCopyPcaEnergy = 0.99;
inline constexpr std::int64_t kCopyPcaMaxDims = 32;
inline constexpr double kCopyMinDetail = 0.05;

struct CopyMeasure {
    std::int64_t result_patches = 0, style_patches = 0;
    double max_patch_share = 0.0;       // the most-used style patch's share of the result's patches
    double used_fraction = 0.0;         // distinct style patches used / style patches
    double entropy_bits = 0.0;          // of the usage distribution
    double entropy_ratio = 0.0;         // entropy / log2(min(result patches, style patches)): 1 is even use
    double largest_region_share = 0.0;  // the largest coherent region, as a share of the result's patches
    double mean_region_share = 0.0;     // pixel-weighted mean: the region a random patch lies in, as a share
    double mean_region_patches = 0.0;   // the plain mean size of the regions, in patches (singletons included)
    std::int64_t regions = 0;
};

// The NNF [H - p + 1, W - p + 1, 3] (int64: the style patch's row and column, and 1 where that
// patch is detailed, else 0) of `result` into `style` (float [1, 3, H, W] and [1, 3, Hs, Ws], any
// sizes with at least p pixels a side).
at::Tensor dense_nnf(const at::Tensor& result, const at::Tensor& style, std::int64_t patch = kCopyPatch);

// The measure from an NNF. `tolerance`: how far (pixels, each axis) NNF(p + d) may be from
// NNF(p) + d and still count as the same translation (0: exact); NNF(p + d) = NNF(p), one
// style patch repeated, never counts.
CopyMeasure measure_nnf(const at::Tensor& nnf, std::int64_t style_rows, std::int64_t style_cols,
                        std::int64_t tolerance = 0);

// dense_nnf then measure_nnf.
CopyMeasure measure_copying(const at::Tensor& result, const at::Tensor& style, std::int64_t patch = kCopyPatch,
                            std::int64_t tolerance = 0);

}  // namespace nt
