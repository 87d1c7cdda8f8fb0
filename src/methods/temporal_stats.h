#pragma once
// Running averages of a video's content statistics, so that methods whose result depends on
// statistics of the whole content frame (Reinhard's and Monge-Kantorovich's means and spreads,
// histogram matching's CDF, AdaIN's feature means and deviations; MethodInfo::content_statistics)
// do not flicker: a person walking into the picture, a car passing or sensor noise moves those
// statistics a little every frame, and with them the colour of every pixel, also the ones that
// did not change. Each statistic is replaced by an exponential moving average over time,
//     avg_t = avg_{t-1} + w (now_t - avg_{t-1}),   w = 1 - exp(-dt / time_constant),
// with dt the time between the frames stylized (so the smoothing lasts the same whatever the
// frame rate, and a viewer dropping frames gets a larger w). It restarts at a cut (the frame's
// 8x8 thumbnail differs from the last one by more than kCutLevels on average: a new shot must
// not be tinted by the last one for a second), and after a seek or a loop (time going back).
// The style's statistics are fixed and are not smoothed.
#include <ATen/Tensor.h>

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "image/image.h"

namespace nt {

inline constexpr double kDefaultStatsTimeConstant = 0.5;  // seconds
inline constexpr double kCutLevels = 24.0;                // mean thumbnail change, 8-bit levels

class TemporalStats {
public:
    // time_constant_s <= 0: no smoothing (every frame's own statistics).
    explicit TemporalStats(double time_constant_s = kDefaultStatsTimeConstant);

    // The frame about to be stylized. The same time again (the frame stylized once more, with
    // other settings) keeps the averages as they were before it, so that re-stylizing a paused
    // frame gives the same result every time.
    void next_frame(const Image& content, double time_s);
    // This frame's value of a statistic -> its running average (the same shape, type and device).
    at::Tensor smooth(const std::string& key, const at::Tensor& now);

    double time_constant() const;
    // From the next frame on (a change restarts the averages).
    void set_time_constant(double seconds);
    int restarts() const;  // cuts, seeks and loops seen (the first frame included)

private:
    struct Entry {
        at::Tensor before;  // the average up to the previous frame (undefined: none)
        at::Tensor after;   // including this frame
    };
    mutable std::mutex mutex_;
    double time_constant_;
    double weight_ = 1.0;  // of this frame
    std::optional<double> time_s_;
    std::vector<float> thumbnail_;
    std::map<std::string, Entry> entries_;
    int restarts_ = 0;
};

// The flicker of a stylized clip where its content stands still: the mean absolute change of
// the result between consecutive frames, in 8-bit levels, over the pixels whose content changed
// by at most `still_levels` in every channel. Frames are the same size. 0 for fewer than two.
double still_flicker(const std::vector<Image>& content, const std::vector<Image>& result, int still_levels = 2);

}  // namespace nt
