#include "methods/temporal_stats.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace nt {

namespace {

constexpr int kThumb = 8;

// Mean of each of the 8x8 blocks of the picture, per channel, in levels.
std::vector<float> thumbnail(const Image& picture) {
    std::vector<double> sums(kThumb * kThumb * 3, 0.0);
    std::vector<int> counts(kThumb * kThumb, 0);
    for (int y = 0; y < picture.height; ++y) {
        const int by = y * kThumb / picture.height;
        const std::uint8_t* row = picture.row(y);
        for (int x = 0; x < picture.width; ++x) {
            const int b = by * kThumb + x * kThumb / picture.width;
            for (int c = 0; c < 3; ++c) sums[std::size_t(b) * 3 + std::size_t(c)] += row[3 * x + c];
            ++counts[std::size_t(b)];
        }
    }
    std::vector<float> out(sums.size());
    for (std::size_t i = 0; i < sums.size(); ++i) out[i] = float(sums[i] / std::max(1, counts[i / 3]));
    return out;
}

double mean_abs_difference(const std::vector<float>& a, const std::vector<float>& b) {
    double sum = 0;
    for (std::size_t i = 0; i < a.size(); ++i) sum += std::abs(double(a[i]) - double(b[i]));
    return a.empty() ? 0.0 : sum / double(a.size());
}

}  // namespace

TemporalStats::TemporalStats(double time_constant_s) : time_constant_(time_constant_s) {}

void TemporalStats::next_frame(const Image& content, double time_s) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (time_s_ && time_s == *time_s_) return;
    std::vector<float> thumb = content.empty() ? std::vector<float>() : thumbnail(content);
    const bool restart = time_constant_ <= 0 || !time_s_ || time_s < *time_s_ || thumb.size() != thumbnail_.size() ||
                         mean_abs_difference(thumb, thumbnail_) > kCutLevels;
    if (restart) {
        entries_.clear();
        weight_ = 1.0;
        ++restarts_;
    } else {
        weight_ = 1.0 - std::exp(-std::min(time_s - *time_s_, 1.0) / time_constant_);
        for (auto& [key, e] : entries_) e.before = e.after;
    }
    time_s_ = time_s;
    thumbnail_ = std::move(thumb);
}

at::Tensor TemporalStats::smooth(const std::string& key, const at::Tensor& now) {
    std::lock_guard<std::mutex> lock(mutex_);
    Entry& e = entries_[key];
    const bool usable = e.before.defined() && e.before.sizes() == now.sizes() &&
                        e.before.scalar_type() == now.scalar_type() && e.before.device() == now.device();
    e.after = usable && weight_ < 1.0 ? at::lerp(e.before, now, weight_) : now;
    return e.after;
}

double TemporalStats::time_constant() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return time_constant_;
}

void TemporalStats::set_time_constant(double seconds) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (seconds == time_constant_) return;
    time_constant_ = seconds;
    time_s_.reset();  // restart at the next frame
}

int TemporalStats::restarts() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return restarts_;
}

double still_flicker(const std::vector<Image>& content, const std::vector<Image>& result, int still_levels) {
    double sum = 0;
    std::int64_t count = 0;
    for (std::size_t t = 1; t < std::min(content.size(), result.size()); ++t) {
        const Image &c0 = content[t - 1], &c1 = content[t], &r0 = result[t - 1], &r1 = result[t];
        for (std::size_t p = 0; p + 2 < c1.pixels.size(); p += 3) {
            bool still = true;
            for (int c = 0; c < 3; ++c)
                still = still && std::abs(int(c1.pixels[p + c]) - int(c0.pixels[p + c])) <= still_levels;
            if (!still) continue;
            for (int c = 0; c < 3; ++c) sum += std::abs(int(r1.pixels[p + c]) - int(r0.pixels[p + c]));
            count += 3;
        }
    }
    return count > 0 ? sum / double(count) : 0.0;
}

}  // namespace nt
