#pragma once
// Blind temporal consistency for any per-frame method (Bonneel et al. 2015, "Blind Video
// Temporal Consistency", simplified): a network or patch synthesis run frame by frame shimmers,
// because nothing ties a frame's result to the last one. Here each new result is pulled towards
// the previous OUTPUT, moved along the motion of the INPUT:
//
//     out_t = p_t + s * M * (warp(out_{t-1}) - p_t)
//
// with p_t the per-frame result, s the strength (0..1), warp() a bilinear remap along the dense
// optical flow from frame t back to frame t-1 (OpenCV's DIS flow on grey frames at about half
// size, which is what keeps it within a few ms at 640x480), and M the reliability of that flow:
// 1 where the forward and backward flows agree (Sundaram et al. 2010) and the warped input
// matches the input, fading to 0 in disoccluded regions (things that were not visible in the
// last frame) and where the flow is wrong. There the per-frame result is kept as it is, so
// nothing ghosts. A cut (a new shot: few reliable pixels, or a large input change after warping)
// starts over from the per-frame result.
//
// A frame given again under the same id (the viewer re-stylizing a paused frame with other
// settings) is blended with the output before it, not with its own last output, so that doing
// it again gives the same picture. Thread-safe: the viewer's worker filters while its UI thread
// changes the strength.
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>

#include "image/image.h"

namespace nt {

inline constexpr double kDefaultTemporalStrength = 0.8;
// The flow is computed on grey frames with this long side at most (640x480 -> 320x240).
inline constexpr int kFlowLongSide = 320;

// OpenCV's thread pool (the flow, the warp): `threads` workers for the whole process; 0: OpenCV's
// default (one per core). See docs/TEMPORAL.md for what was measured on two cores.
void set_flow_threads(int threads);

// Pixels in host memory, rows packed: 1 (grey), 3 (RGB) or 4 (RGBA, alpha ignored) channels.
struct PixelsView {
    const std::uint8_t* data = nullptr;
    int width = 0, height = 0, channels = 3;
};
struct MutablePixels {
    std::uint8_t* data = nullptr;
    int width = 0, height = 0, channels = 3;
};

// What one filtered frame did.
struct TemporalReport {
    bool reset = false;            // no previous output to blend with: a first frame, a cut, a new size
    double reliable_fraction = 0;  // of the pixels whose flow passed the checks (0 on a reset)
};

class TemporalConsistency {
public:
    explicit TemporalConsistency(double strength = kDefaultTemporalStrength);
    ~TemporalConsistency();
    TemporalConsistency(const TemporalConsistency&) = delete;
    TemporalConsistency& operator=(const TemporalConsistency&) = delete;

    // Makes `result` (the per-frame result of `input`, any size) consistent with the previous
    // output, in place. `input` is the frame as it came (any size, grey, RGB or RGBA); `frame`
    // identifies it (the same id again: see above). `look` names what produced the result (a
    // method and its style): a change starts over, as a cut does.
    TemporalReport filter(PixelsView input, MutablePixels result, std::uint64_t frame, std::uint64_t look = 0);
    Image filter(const Image& input, const Image& result, std::uint64_t frame);

    double strength() const;
    void set_strength(double strength);  // clamped to 0..1; 0 passes results through
    void reset();                        // the next frame starts over
    int resets() const;                  // first frames and cuts seen

private:
    struct State;
    mutable std::mutex mutex_;
    double strength_;
    int resets_ = 0;
    std::unique_ptr<State> state_;
};

}  // namespace nt
