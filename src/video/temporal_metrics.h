#pragma once
// Measures of a stylized clip's temporal consistency, for the tests and bench/temporal_bench.cpp.
//
// The warping error (Lai et al. 2018, "Learning Blind Video Temporal Consistency"): how much an
// output frame differs from the previous output frame moved along the motion of the INPUT,
// over the pixels where that motion is reliable (forward-backward consistent, not disoccluded).
// Here as a mean absolute difference in 8-bit levels, averaged over the channels, and with a
// flow of its own (DIS at its "medium" preset, at the output's full size), not the fast
// half-size flow the filter uses, so that the filter is not graded by its own flow.
#include <memory>
#include <vector>

#include "image/image.h"

namespace nt {

class WarpingError {
public:
    WarpingError();
    ~WarpingError();
    WarpingError(const WarpingError&) = delete;
    WarpingError& operator=(const WarpingError&) = delete;
    // The next frame of the clip: its input (any size; brought to the output's) and its output.
    // Returns this frame's warping error (0 for the first frame).
    double add(const Image& input, const Image& output);
    double mean() const;  // over the frames after the first; 0 before two frames
    int frames() const { return frames_; }

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    double sum_ = 0;
    int frames_ = 0;
};

// The mean structural similarity (Wang et al. 2004: 11x11 Gaussian window, sigma 1.5, 8-bit
// constants) of two pictures of the same size, averaged over the three channels. 1: identical.
double ssim(const Image& a, const Image& b);

}  // namespace nt
