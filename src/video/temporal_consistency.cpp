#include "video/temporal_consistency.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <utility>

#include "base/error.h"
#include "video/optical_flow.h"

namespace nt {

namespace {

// A pixel whose warped grey input differs from the input by more than this is not trusted
// (a flow error, a reflection, a light switched on).
constexpr double kPhotometricLevels = 20.0;
// A cut: fewer reliable pixels than this, or a larger mean input change after warping.
constexpr double kMinReliableFraction = 0.3;
constexpr double kCutLevels = 30.0;

void check(const char* what, int width, int height, int channels, const void* data) {
    if (width <= 0 || height <= 0 || !data || (channels != 1 && channels != 3 && channels != 4))
        throw Error(std::string("temporal consistency: ") + what, "empty, or not 1, 3 or 4 channels");
}

// out = p + s M (warped - p), in 8 bits: M the mask (0..255), s256 the strength in 1/256ths.
void blend(cv::Mat& out, const cv::Mat& warped, const cv::Mat& mask, int s256) {
    const int channels = out.channels(), colour = std::min(channels, 3);
    for (int y = 0; y < out.rows; ++y) {
        std::uint8_t* o = out.ptr<std::uint8_t>(y);
        const std::uint8_t* w = warped.ptr<std::uint8_t>(y);
        const std::uint8_t* m = mask.ptr<std::uint8_t>(y);
        for (int x = 0; x < out.cols; ++x, o += channels, w += channels) {
            const int weight = (int(m[x]) * s256 + 127) / 255;  // 0..256
            if (weight == 0) continue;
            for (int c = 0; c < colour; ++c) o[c] = std::uint8_t((o[c] * (256 - weight) + w[c] * weight + 128) >> 8);
        }
    }
}

}  // namespace

void set_flow_threads(int threads) { cv::setNumThreads(threads > 0 ? threads : -1); }

struct TemporalConsistency::State {
    struct Frame {
        std::uint64_t id = 0;
        cv::Mat grey;    // the input, grey at the flow size
        cv::Mat output;  // what filter() gave for it
    };
    // The ultrafast preset stops at a quarter of the (already halved) frames: on a 640x480 pan its
    // warp missed by 4.4 levels on average; one level finer, 1.15, for about the same time.
    flow::DenseFlow dis{cv::DISOpticalFlow::PRESET_ULTRAFAST, 1};
    std::optional<Frame> last;    // the last frame filtered
    std::optional<Frame> before;  // the one before it: what a new frame is blended with
    std::uint64_t look = 0;
};

TemporalConsistency::TemporalConsistency(double strength)
    : strength_(std::clamp(strength, 0.0, 1.0)), state_(std::make_unique<State>()) {}

TemporalConsistency::~TemporalConsistency() = default;

TemporalReport TemporalConsistency::filter(PixelsView input, MutablePixels result, std::uint64_t frame,
                                           std::uint64_t look) {
    check("input", input.width, input.height, input.channels, input.data);
    check("result", result.width, result.height, result.channels, result.data);
    const std::lock_guard lock(mutex_);
    State& st = *state_;
    cv::Mat out(result.height, result.width, CV_8UC(result.channels), result.data);
    // The flow at the result's proportions: a stretched result has its input stretched the same way.
    const cv::Mat grey = flow::grey_at(input, flow::flow_size(result.width, result.height, kFlowLongSide));
    if (!(st.last && st.last->id == frame)) st.before = std::move(st.last);
    const State::Frame* prev = st.before ? &*st.before : nullptr;
    TemporalReport report;
    report.reset = !prev || look != st.look || prev->output.size() != out.size() || prev->output.type() != out.type() ||
                   prev->grey.size() != grey.size();
    if (!report.reset) {
        const cv::Mat backward = st.dis(grey, prev->grey);
        const cv::Mat forward = st.dis(prev->grey, grey);
        const flow::SampleMaps maps = flow::sample_maps(backward);
        const flow::Reliability r = flow::reliability(backward, maps, forward, grey, prev->grey, kPhotometricLevels);
        report.reset = r.fraction < kMinReliableFraction || r.mean_change > kCutLevels;
        if (!report.reset && strength_ > 0) {
            report.reliable_fraction = r.fraction;
            // Soft edges: a hard mask would draw the outline of every occlusion into the result.
            cv::Mat soft, mask;
            cv::blur(r.mask, soft, cv::Size(5, 5));
            cv::resize(soft, mask, out.size(), 0, 0, cv::INTER_LINEAR);
            const cv::Mat warped = flow::remap(prev->output, flow::resize_maps(maps, out.size()));
            blend(out, warped, mask, int(std::lround(strength_ * 256)));
        }
    }
    if (report.reset) ++resets_;
    st.last = State::Frame{frame, grey, out.clone()};
    st.look = look;
    return report;
}

Image TemporalConsistency::filter(const Image& input, const Image& result, std::uint64_t frame) {
    Image out = result;
    filter(PixelsView{input.pixels.data(), input.width, input.height, 3},
           MutablePixels{out.pixels.data(), out.width, out.height, 3}, frame);
    return out;
}

double TemporalConsistency::strength() const {
    const std::lock_guard lock(mutex_);
    return strength_;
}

void TemporalConsistency::set_strength(double strength) {
    const std::lock_guard lock(mutex_);
    strength_ = std::clamp(strength, 0.0, 1.0);
}

void TemporalConsistency::reset() {
    const std::lock_guard lock(mutex_);
    state_->last.reset();
    state_->before.reset();
}

int TemporalConsistency::resets() const {
    const std::lock_guard lock(mutex_);
    return resets_;
}

}  // namespace nt
