#pragma once
// Dense optical flow and its reliability, for the temporal consistency (temporal_consistency.h)
// and its measure (temporal_metrics.h). Internal to nt_temporal and its tests: OpenCV types.
//
// Convention: flow(from, to) gives, for each pixel x of `from`, where it is in `to`:
// from(x) ~ to(x + flow(x)). So the backward flow b = flow(now, before) warps anything of the
// frame before onto the frame now: warp(before_picture, b)(x) = before_picture(x + b(x)).
#include <opencv2/core.hpp>
#include <opencv2/video/tracking.hpp>

#include "video/temporal_consistency.h"

namespace nt::flow {

// The size the flow is computed at: the picture's, brought down to `long_side` at most.
cv::Size flow_size(int width, int height, int long_side);
// The picture as 8-bit grey (Rec. 601 luma) at `size` (area-averaged when smaller).
cv::Mat grey_at(PixelsView picture, cv::Size size);

// OpenCV's DIS flow (Kroeger et al. 2016) with one of its presets, kept between frames;
// finest_scale >= 0 replaces the preset's finest pyramid level (0: the frames' own size).
class DenseFlow {
public:
    explicit DenseFlow(int preset = cv::DISOpticalFlow::PRESET_ULTRAFAST, int finest_scale = -1);
    // CV_32FC2 flow of two grey frames of the same size (see the convention above).
    cv::Mat operator()(const cv::Mat& from, const cv::Mat& to);

private:
    cv::Ptr<cv::DISOpticalFlow> dis_;
};

// Where each pixel samples from: x + flow(x), as the two CV_32F maps cv::remap takes.
struct SampleMaps {
    cv::Mat x, y;
};
SampleMaps sample_maps(const cv::Mat& flow);
// The maps of a flow at another size (the positions scaled with it, pixel centres kept): cheaper
// than resizing the flow and building the maps at the large size.
SampleMaps resize_maps(const SampleMaps& maps, cv::Size size);
// `picture` (any type) sampled at `maps` (at the output's size), bilinear, the border repeated.
cv::Mat remap(const cv::Mat& picture, const SampleMaps& maps);
// `picture` moved along `flow` (CV_32FC2 at its size): out(x) = picture(x + flow(x)).
cv::Mat warp(const cv::Mat& picture, const cv::Mat& flow);
// The flow at another size, its vectors scaled with it.
cv::Mat resize_flow(const cv::Mat& flow, cv::Size size);

struct Reliability {
    cv::Mat mask;            // CV_8U, 255 where the flow is reliable, 0 elsewhere
    double fraction = 0;     // of reliable pixels
    double mean_change = 0;  // mean |now - warp(before)| in grey levels over all pixels
};
// Where the backward flow of `now` (b: now -> before) can be trusted: the forward flow of
// `before` (f: before -> now) brings the pixel back where it started, |b + f(x + b)|^2 <=
// 0.01 (|b|^2 + |f|^2) + 0.5 (Sundaram et al. 2010), and, when max_levels > 0, the warped
// grey frame differs from the frame now by at most max_levels.
// `maps`: sample_maps(backward).
Reliability reliability(const cv::Mat& backward, const SampleMaps& maps, const cv::Mat& forward, const cv::Mat& now,
                        const cv::Mat& before, double max_levels);

}  // namespace nt::flow
