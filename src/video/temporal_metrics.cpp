#include "video/temporal_metrics.h"

#include <opencv2/imgproc.hpp>

#include <optional>

#include "base/error.h"
#include "video/optical_flow.h"

namespace nt {

namespace {

cv::Mat as_mat(const Image& picture) {
    return cv::Mat(picture.height, picture.width, CV_8UC3, const_cast<std::uint8_t*>(picture.pixels.data()));
}

}  // namespace

struct WarpingError::Impl {
    flow::DenseFlow dis{cv::DISOpticalFlow::PRESET_MEDIUM};
    std::optional<cv::Mat> grey;  // the last input, grey at the output's size
    cv::Mat output;               // the last output
};

WarpingError::WarpingError() : impl_(std::make_unique<Impl>()) {}
WarpingError::~WarpingError() = default;

double WarpingError::add(const Image& input, const Image& output) {
    if (input.empty() || output.empty()) throw Error("warping error", "an empty frame");
    const cv::Mat grey = flow::grey_at(PixelsView{input.pixels.data(), input.width, input.height, 3},
                                       cv::Size(output.width, output.height));
    const cv::Mat out = as_mat(output).clone();
    double error = 0;
    if (impl_->grey && impl_->grey->size() == grey.size()) {
        const cv::Mat backward = impl_->dis(grey, *impl_->grey);
        const cv::Mat forward = impl_->dis(*impl_->grey, grey);
        const flow::SampleMaps maps = flow::sample_maps(backward);
        const flow::Reliability r = flow::reliability(backward, maps, forward, grey, *impl_->grey, 0.0);
        const cv::Mat warped = flow::remap(impl_->output, maps);
        cv::Mat diff;
        cv::absdiff(out, warped, diff);
        const cv::Scalar per_channel = cv::mean(diff, r.mask);
        error = (per_channel[0] + per_channel[1] + per_channel[2]) / 3.0;
        sum_ += error;
        ++frames_;
    }
    impl_->grey = grey;
    impl_->output = out;
    return error;
}

double WarpingError::mean() const { return frames_ ? sum_ / frames_ : 0.0; }

double ssim(const Image& a, const Image& b) {
    if (a.width != b.width || a.height != b.height || a.empty()) throw Error("ssim", "pictures of different sizes");
    cv::Mat x, y;
    as_mat(a).convertTo(x, CV_32F);
    as_mat(b).convertTo(y, CV_32F);
    // Scalar::all: a plain number added to a 3-channel matrix would go to its first channel only.
    const cv::Scalar c1 = cv::Scalar::all((0.01 * 255) * (0.01 * 255)),
                     c2 = cv::Scalar::all((0.03 * 255) * (0.03 * 255));
    const auto smooth = [](const cv::Mat& m) {
        cv::Mat out;
        cv::GaussianBlur(m, out, cv::Size(11, 11), 1.5);
        return out;
    };
    const cv::Mat mx = smooth(x), my = smooth(y);
    const cv::Mat mxx = mx.mul(mx), myy = my.mul(my), mxy = mx.mul(my);
    const cv::Mat sxx = smooth(x.mul(x)) - mxx, syy = smooth(y.mul(y)) - myy, sxy = smooth(x.mul(y)) - mxy;
    cv::Mat a1, a2, b1, b2, map;
    cv::add(2 * mxy, c1, a1);
    cv::add(2 * sxy, c2, a2);
    cv::add(mxx + myy, c1, b1);
    cv::add(sxx + syy, c2, b2);
    cv::divide(a1.mul(a2), b1.mul(b2), map);
    const cv::Scalar m = cv::mean(map);
    return (m[0] + m[1] + m[2]) / 3.0;
}

}  // namespace nt
