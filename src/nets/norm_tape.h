#pragma once
// Thumbnail instance normalisation (Chen et al., AAAI 2022, "Towards Ultra-Resolution Neural
// Style Transfer via Thumbnail Instance Normalization"; czczup/URST's ThumbInstanceNorm): a
// network whose instance norms take their statistics from the picture itself cannot be run on
// tiles, since every tile would normalise itself and the tiles would disagree (seams, per-tile
// colour casts). So the network runs once on a thumbnail of the whole picture while a tape
// records every instance norm's mean and variance, in layer order; then each tile runs with the
// tape replaying them, so every tile is normalised as the whole picture is.
#include <ATen/Tensor.h>

#include <cstddef>
#include <functional>
#include <vector>

namespace nt {

// One instance norm's statistics: float32 [C] each; the variance is the biased one (as
// InstanceNorm2d normalises with).
struct NormStats {
    at::Tensor mean;
    at::Tensor var;
};

class NormTape {
public:
    enum class Mode { Record, Replay };

    Mode mode() const { return mode_; }
    // Recording starts empty; replay starts again from the first layer (call it before each tile).
    void record() {
        mode_ = Mode::Record;
        stats_.clear();
        cursor_ = 0;
    }
    void replay() {
        mode_ = Mode::Replay;
        cursor_ = 0;
    }
    // The statistics for the next instance norm: Record calls `compute` and keeps its result;
    // Replay returns the next recorded ones without calling it. Throws nt::Error when a replay
    // asks for more layers than were recorded, or for another channel count (a different network).
    NormStats next(std::size_t channels, const std::function<NormStats()>& compute);
    std::size_t size() const { return stats_.size(); }

private:
    Mode mode_ = Mode::Record;
    std::vector<NormStats> stats_;
    std::size_t cursor_ = 0;
};

// The instance norm of x [1, C, H, W] (any float dtype and layout) with an affine weight and bias
// [C], eps as InstanceNorm2d's, its statistics from `tape` (which computes them from x in float32
// while recording). Returns x's dtype.
at::Tensor taped_instance_norm(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias, double eps,
                               NormTape& tape);

}  // namespace nt
