// Temporal consistency (video/temporal_consistency.h): the flow and the warp on a picture
// moved by a known amount, the disoccluded region of a moving square, cuts, repeated frames, and
// the warping error of a flickering sequence (video/temporal_metrics.h). All pictures are
// made here.
#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "video/optical_flow.h"
#include "video/temporal_consistency.h"
#include "video/temporal_metrics.h"

namespace nt {
namespace {

// A smooth random texture (blurred noise), `width + margin` wide so that shifted windows of it
// are pictures of the same scene moving.
cv::Mat texture(int width, int height, unsigned seed, int blur = 5) {
    cv::Mat noise(height, width, CV_8UC3);
    std::mt19937 rng(seed);
    for (auto it = noise.begin<cv::Vec3b>(); it != noise.end<cv::Vec3b>(); ++it)
        *it = cv::Vec3b(std::uint8_t(rng()), std::uint8_t(rng()), std::uint8_t(rng()));
    cv::Mat out;
    cv::GaussianBlur(noise, out, cv::Size(0, 0), blur);
    cv::normalize(out, out, 10, 245, cv::NORM_MINMAX);
    return out;
}

Image to_image(const cv::Mat& m) {
    Image out(m.cols, m.rows);
    for (int y = 0; y < m.rows; ++y)
        std::copy(m.ptr<std::uint8_t>(y), m.ptr<std::uint8_t>(y) + out.row_bytes(), out.row(y));
    return out;
}

// The window of `scene` at (x, y): the camera moved by (-x, -y) relative to window (0, 0).
Image window(const cv::Mat& scene, int x, int y, int width, int height) {
    return to_image(scene(cv::Rect(x, y, width, height)).clone());
}

cv::Mat grey(const Image& picture) {
    return flow::grey_at(PixelsView{picture.pixels.data(), picture.width, picture.height, 3},
                         cv::Size(picture.width, picture.height));
}

double mean_levels(const Image& a, const Image& b) {
    double sum = 0;
    for (std::size_t i = 0; i < a.pixels.size(); ++i) sum += std::abs(int(a.pixels[i]) - int(b.pixels[i]));
    return sum / double(a.pixels.size());
}

// The picture with noise of +-amplitude levels, different every frame: a per-frame method's shimmer.
Image shimmer(const Image& picture, unsigned seed, int amplitude) {
    Image out = picture;
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> d(-amplitude, amplitude);
    for (std::uint8_t& v : out.pixels) v = std::uint8_t(std::clamp(int(v) + d(rng), 0, 255));
    return out;
}

// The flow at half size (its vectors halved with it).
cv::Mat half_size(const cv::Mat& flow) { return flow::resize_flow(flow, cv::Size(flow.cols / 2, flow.rows / 2)); }

// The content moves 3 right and 2 down from frame A to frame B: for each pixel of B the flow
// back to A is (-3, -2), and A warped along it is B.
TEST(OpticalFlow, AKnownTranslationGivesThatTranslation) {
    const cv::Mat scene = texture(200, 160, 1);
    const Image a = window(scene, 10, 10, 160, 120), b = window(scene, 7, 8, 160, 120);
    flow::DenseFlow dis;
    const cv::Mat backward = dis(grey(b), grey(a));
    const cv::Rect inner(20, 20, 120, 80);
    std::vector<float> dx, dy;
    for (int y = inner.y; y < inner.br().y; ++y)
        for (int x = inner.x; x < inner.br().x; ++x) {
            dx.push_back(backward.at<cv::Vec2f>(y, x)[0]);
            dy.push_back(backward.at<cv::Vec2f>(y, x)[1]);
        }
    std::nth_element(dx.begin(), dx.begin() + dx.size() / 2, dx.end());
    std::nth_element(dy.begin(), dy.begin() + dy.size() / 2, dy.end());
    EXPECT_NEAR(dx[dx.size() / 2], -3.0, 0.25);
    EXPECT_NEAR(dy[dy.size() / 2], -2.0, 0.25);
    const cv::Mat a_mat(a.height, a.width, CV_8UC3, const_cast<std::uint8_t*>(a.pixels.data()));
    const Image warped = to_image(flow::warp(a_mat, backward));
    cv::Mat diff;
    cv::absdiff(cv::Mat(b.height, b.width, CV_8UC3, const_cast<std::uint8_t*>(b.pixels.data()))(inner),
                cv::Mat(warped.height, warped.width, CV_8UC3, const_cast<std::uint8_t*>(warped.pixels.data()))(inner),
                diff);
    const cv::Scalar m = cv::mean(diff);
    EXPECT_LT((m[0] + m[1] + m[2]) / 3, 2.0);
    // Maps made at half size and brought to the full size sample where the full-size flow would.
    const flow::SampleMaps full = flow::resize_maps(flow::sample_maps(half_size(backward)), cv::Size(160, 120));
    EXPECT_NEAR(full.x.at<float>(60, 80), 80 - 3.0, 0.3);
    EXPECT_NEAR(full.y.at<float>(60, 80), 60 - 2.0, 0.3);
    // Resized with the picture, the vectors are resized too: twice as wide, as high.
    const cv::Mat wider = flow::resize_flow(backward, cv::Size(320, 120));
    EXPECT_NEAR(wider.at<cv::Vec2f>(60, 160)[0], 2 * backward.at<cv::Vec2f>(60, 80)[0], 0.3);
    EXPECT_NEAR(wider.at<cv::Vec2f>(60, 160)[1], backward.at<cv::Vec2f>(60, 80)[1], 0.3);
}

// A textured square moves 12 pixels right over a still background: the strip it uncovered was
// hidden in the frame before (disoccluded) and is marked unreliable; the still background is not.
TEST(OpticalFlow, TheDisoccludedRegionIsMarked) {
    const cv::Mat background = texture(160, 120, 2), square = texture(40, 40, 3, 2);
    cv::Mat before = background.clone(), now = background.clone();
    square.copyTo(before(cv::Rect(50, 40, 40, 40)));
    square.copyTo(now(cv::Rect(62, 40, 40, 40)));
    const cv::Mat gb = grey(to_image(before)), gn = grey(to_image(now));
    flow::DenseFlow dis;
    const cv::Mat backward = dis(gn, gb);
    const flow::Reliability r = flow::reliability(backward, flow::sample_maps(backward), dis(gb, gn), gn, gb, 20.0);
    const double uncovered = cv::mean(r.mask(cv::Rect(52, 44, 8, 32)))[0] / 255.0;
    const double still = cv::mean(r.mask(cv::Rect(4, 4, 40, 112)))[0] / 255.0;
    EXPECT_LT(uncovered, 0.3);
    EXPECT_GT(still, 0.9);
}

// A cut to another scene starts over: the result is the per-frame one, untouched.
TEST(TemporalConsistency, ACutResets) {
    const cv::Mat scene = texture(200, 160, 4), other = texture(200, 160, 5);
    TemporalConsistency tc(0.9);
    const Image a = window(scene, 10, 10, 160, 120), b = window(scene, 11, 10, 160, 120);
    (void)tc.filter(a, shimmer(a, 1, 20), 0);
    const Image b_result = shimmer(b, 2, 20);
    EXPECT_GT(mean_levels(tc.filter(b, b_result, 1), b_result), 2.0);  // blended: same scene
    const Image c = window(other, 10, 10, 160, 120), c_result = shimmer(c, 3, 20);
    EXPECT_EQ(tc.filter(c, c_result, 2).pixels, c_result.pixels);
    EXPECT_EQ(tc.resets(), 2);  // the first frame and the cut
}

// The warping error of a panning clip whose per-frame results shimmer drops to at most a third,
// and the filtered frames stay close to the per-frame ones (SSIM).
TEST(TemporalConsistency, TheWarpingErrorOfAFlickeringClipDrops) {
    const cv::Mat scene = texture(240, 160, 6);
    TemporalConsistency tc(kDefaultTemporalStrength);
    WarpingError raw, filtered;
    double worst_ssim = 1;
    for (int i = 0; i < 20; ++i) {
        const Image input = window(scene, 40 + (i % 2 ? 0 : 1) - i, 20, 160, 120);
        const Image per_frame = shimmer(input, unsigned(100 + i), 12);
        const Image out = tc.filter(input, per_frame, std::uint64_t(i));
        raw.add(input, per_frame);
        filtered.add(input, out);
        worst_ssim = std::min(worst_ssim, ssim(out, per_frame));
    }
    EXPECT_GT(raw.mean(), 3.0);
    EXPECT_LT(filtered.mean(), raw.mean() / 3.0) << "raw " << raw.mean() << " filtered " << filtered.mean();
    EXPECT_GT(worst_ssim, 0.5);
    EXPECT_EQ(tc.resets(), 1);
}

// The same frame again (a paused frame re-stylized) is blended with the frame before it, not
// with its own last output: doing it twice gives the same picture.
TEST(TemporalConsistency, AFrameGivenAgainGivesTheSameOutput) {
    const cv::Mat scene = texture(200, 160, 7);
    TemporalConsistency tc;
    const Image a = window(scene, 10, 10, 160, 120), b = window(scene, 12, 10, 160, 120);
    (void)tc.filter(a, shimmer(a, 1, 15), 0);
    const Image b_result = shimmer(b, 2, 15);
    const Image first = tc.filter(b, b_result, 1);
    EXPECT_EQ(tc.filter(b, b_result, 1).pixels, first.pixels);
    // Strength 0 passes the result through.
    tc.set_strength(0);
    EXPECT_EQ(tc.filter(b, b_result, 1).pixels, b_result.pixels);
}

// Another look (method or style) starts over, as a cut does; RGBA results keep their alpha.
TEST(TemporalConsistency, ANewLookResetsAndAlphaIsKept) {
    const cv::Mat scene = texture(200, 160, 8);
    TemporalConsistency tc;
    const Image a = window(scene, 10, 10, 160, 120), b = window(scene, 11, 10, 160, 120);
    std::vector<std::uint8_t> rgba(std::size_t(160) * 120 * 4, 77);
    const Image a_result = shimmer(a, 1, 15);
    for (std::size_t i = 0; i < std::size_t(160) * 120; ++i)
        std::copy(a_result.pixels.begin() + 3 * i, a_result.pixels.begin() + 3 * i + 3, rgba.begin() + 4 * i);
    (void)tc.filter(PixelsView{a.pixels.data(), 160, 120, 3}, MutablePixels{rgba.data(), 160, 120, 4}, 0, 1);
    std::vector<std::uint8_t> next = rgba;
    for (std::size_t i = 0; i < next.size(); i += 4) next[i] = std::uint8_t(255 - next[i]);
    std::vector<std::uint8_t> same_look = next, new_look = next;
    EXPECT_FALSE(
        tc.filter(PixelsView{b.pixels.data(), 160, 120, 3}, MutablePixels{same_look.data(), 160, 120, 4}, 1, 1).reset);
    EXPECT_NE(same_look, next);
    EXPECT_TRUE(
        tc.filter(PixelsView{b.pixels.data(), 160, 120, 3}, MutablePixels{new_look.data(), 160, 120, 4}, 1, 2).reset);
    EXPECT_EQ(new_look, next);
    for (std::size_t i = 3; i < same_look.size(); i += 4) ASSERT_EQ(same_look[i], 77);
}

TEST(TemporalMetrics, SsimIsOneForTheSamePictureAndLowerForNoise) {
    const Image a = to_image(texture(64, 48, 9));
    EXPECT_NEAR(ssim(a, a), 1.0, 1e-6);
    EXPECT_LT(ssim(a, shimmer(a, 1, 40)), 0.9);
}

}  // namespace
}  // namespace nt
