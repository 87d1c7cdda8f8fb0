#include "nets/norm_tape.h"

#include <ATen/ATen.h>

#include <string>

#include "base/error.h"

namespace nt {

NormStats NormTape::next(std::size_t channels, const std::function<NormStats()>& compute) {
    if (mode_ == Mode::Record) {
        stats_.push_back(compute());
        return stats_.back();
    }
    if (cursor_ >= stats_.size())
        throw Error("thumbnail statistics", "the tile's network has more instance norms (" +
                                                std::to_string(cursor_ + 1) + ") than the thumbnail's (" +
                                                std::to_string(stats_.size()) + ")");
    const NormStats& s = stats_[cursor_++];
    if (std::size_t(s.mean.numel()) != channels)
        throw Error("thumbnail statistics", "instance norm " + std::to_string(cursor_) + " has " +
                                                std::to_string(channels) + " channels, the thumbnail's " +
                                                std::to_string(s.mean.numel()));
    return s;
}

at::Tensor taped_instance_norm(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias, double eps,
                               NormTape& tape) {
    const NormStats s = tape.next(std::size_t(x.size(1)), [&] {
        const auto [var, mean] = at::var_mean(x.to(at::kFloat), {0, 2, 3}, /*unbiased=*/false);
        return NormStats{mean.contiguous(), var.contiguous()};
    });
    // (x - mean) / sqrt(var + eps) * weight + bias == x * scale + shift, per channel.
    const at::Tensor scale = weight.to(at::kFloat) * (s.var.to(weight.device()) + eps).rsqrt();
    const at::Tensor shift = bias.to(at::kFloat) - s.mean.to(weight.device()) * scale;
    const auto opts = x.options();
    return at::addcmul(shift.view({1, -1, 1, 1}).to(opts), x, scale.view({1, -1, 1, 1}).to(opts));
}

}  // namespace nt
