#include "video/optical_flow.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace nt::flow {

cv::Size flow_size(int width, int height, int long_side) {
    const int longest = std::max(width, height);
    if (longest <= long_side) return {width, height};
    const double scale = double(long_side) / double(longest);
    return {std::max(8, int(std::lround(width * scale))), std::max(8, int(std::lround(height * scale)))};
}

cv::Mat grey_at(PixelsView picture, cv::Size size) {
    const cv::Mat in(picture.height, picture.width, CV_8UC(picture.channels), const_cast<std::uint8_t*>(picture.data));
    cv::Mat grey;
    if (picture.channels == 1) grey = in;
    else cv::cvtColor(in, grey, picture.channels == 4 ? cv::COLOR_RGBA2GRAY : cv::COLOR_RGB2GRAY);
    if (grey.size() == size) return grey.data == picture.data ? grey.clone() : grey;
    cv::Mat out;
    cv::resize(grey, out, size, 0, 0, cv::INTER_AREA);
    return out;
}

DenseFlow::DenseFlow(int preset, int finest_scale) : dis_(cv::DISOpticalFlow::create(preset)) {
    if (finest_scale >= 0) dis_->setFinestScale(finest_scale);
}

cv::Mat DenseFlow::operator()(const cv::Mat& from, const cv::Mat& to) {
    cv::Mat flow;
    dis_->calc(from, to, flow);
    return flow;
}

SampleMaps sample_maps(const cv::Mat& flow) {
    SampleMaps m;
    m.x.create(flow.size(), CV_32F);
    m.y.create(flow.size(), CV_32F);
    for (int y = 0; y < flow.rows; ++y) {
        const cv::Vec2f* f = flow.ptr<cv::Vec2f>(y);
        float* mx = m.x.ptr<float>(y);
        float* my = m.y.ptr<float>(y);
        for (int x = 0; x < flow.cols; ++x) {
            mx[x] = float(x) + f[x][0];
            my[x] = float(y) + f[x][1];
        }
    }
    return m;
}

SampleMaps resize_maps(const SampleMaps& maps, cv::Size size) {
    if (maps.x.size() == size) return maps;
    // A position p at the small size is (p + 0.5) * scale - 0.5 at the large one (pixel centres).
    const double sx = double(size.width) / maps.x.cols, sy = double(size.height) / maps.x.rows;
    SampleMaps out;
    cv::resize(maps.x, out.x, size, 0, 0, cv::INTER_LINEAR);
    cv::resize(maps.y, out.y, size, 0, 0, cv::INTER_LINEAR);
    out.x.convertTo(out.x, CV_32F, sx, 0.5 * sx - 0.5);
    out.y.convertTo(out.y, CV_32F, sy, 0.5 * sy - 0.5);
    return out;
}

cv::Mat remap(const cv::Mat& picture, const SampleMaps& maps) {
    cv::Mat out;
    cv::remap(picture, out, maps.x, maps.y, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    return out;
}

cv::Mat warp(const cv::Mat& picture, const cv::Mat& flow) { return remap(picture, sample_maps(flow)); }

cv::Mat resize_flow(const cv::Mat& flow, cv::Size size) {
    if (flow.size() == size) return flow;
    cv::Mat out;
    cv::resize(flow, out, size, 0, 0, cv::INTER_LINEAR);
    const float sx = float(size.width) / float(flow.cols), sy = float(size.height) / float(flow.rows);
    cv::multiply(out, cv::Scalar(sx, sy), out);
    return out;
}

Reliability reliability(const cv::Mat& backward, const SampleMaps& maps, const cv::Mat& forward, const cv::Mat& now,
                        const cv::Mat& before, double max_levels) {
    const cv::Mat forward_back = remap(forward, maps), before_warped = remap(before, maps);
    Reliability r;
    r.mask.create(backward.size(), CV_8U);
    std::int64_t reliable = 0, change = 0;
    const float w = float(backward.cols - 1), h = float(backward.rows - 1);
    for (int y = 0; y < backward.rows; ++y) {
        const cv::Vec2f* b = backward.ptr<cv::Vec2f>(y);
        const cv::Vec2f* f = forward_back.ptr<cv::Vec2f>(y);
        const std::uint8_t* a = now.ptr<std::uint8_t>(y);
        const std::uint8_t* p = before_warped.ptr<std::uint8_t>(y);
        const float* mx = maps.x.ptr<float>(y);
        const float* my = maps.y.ptr<float>(y);
        std::uint8_t* m = r.mask.ptr<std::uint8_t>(y);
        for (int x = 0; x < backward.cols; ++x) {
            const float dx = b[x][0] + f[x][0], dy = b[x][1] + f[x][1];
            const float norms = b[x].dot(b[x]) + f[x].dot(f[x]);
            const int diff = std::abs(int(a[x]) - int(p[x]));
            change += diff;
            // A pixel that came from outside the frame before was not visible there.
            const bool inside = mx[x] >= 0 && my[x] >= 0 && mx[x] <= w && my[x] <= h;
            const bool ok =
                inside && dx * dx + dy * dy <= 0.01f * norms + 0.5f && (max_levels <= 0 || diff <= max_levels);
            m[x] = ok ? 255 : 0;
            reliable += ok;
        }
    }
    const double pixels = double(backward.total());
    r.fraction = double(reliable) / pixels;
    r.mean_change = double(change) / pixels;
    return r;
}

}  // namespace nt::flow
