#include "methods/color_methods.h"

#include <utility>

#include "methods/blend.h"
#include "methods/color_transfer.h"
#include "methods/histogram_match.h"
#include "methods/strength.h"

namespace nt {

namespace {

using Transfer = at::Tensor (*)(const at::Tensor&, const at::Tensor&, double, TemporalStats*, const CancelToken&);

// A method that is one transfer function with a strength parameter, from the content's
// statistics (smoothed over a video's frames when the run brings them). run() also lets the
// transfer stop between its passes over the pixels when the caller cancels (a viewer job made stale).
class StrengthMethod final : public Method {
public:
    StrengthMethod(MethodInfo info, Transfer transfer) : info_(std::move(info)), transfer_(transfer) {
        info_.content_statistics = true;
    }
    const MethodInfo& info() const override { return info_; }
    at::Tensor apply(const at::Tensor& content, const at::Tensor& style, const ParamValues& params) const override {
        return transfer_(content, style, params.at("strength"), nullptr, CancelToken{});
    }
    at::Tensor run(const at::Tensor& content, const at::Tensor& style, const ParamValues& params,
                   const RunContext& context) const override {
        return transfer_(content, style, params.at("strength"), context.temporal, context.cancel);
    }

private:
    MethodInfo info_;
    Transfer transfer_;
};

class BlendMethod final : public Method {
public:
    const MethodInfo& info() const override {
        static const MethodInfo info = [] {
            MethodInfo i{
                "blend",
                "Blend",
                "The original workflow: a weighted average, (1 - alpha) * content + alpha * style.",
                {{"alpha", "Style strength", "Weight of the style picture: 0 keeps the content, 1 shows the style.",
                  0.0, 1.0, kDefaultAlpha}},
                false,
                ""};  // alpha weighs the style itself, it does not mix with a cached result
            i.fixed_point_rgba8 = true;
            i.style_pixel_aligned = true;  // a weighted average of the two pictures, pixel by pixel
            return i;
        }();
        return info;
    }
    at::Tensor apply(const at::Tensor& content, const at::Tensor& style, const ParamValues& params) const override {
        return blend(content, style, params.at("alpha"));
    }
};

}  // namespace

std::unique_ptr<Method> make_blend_method() { return std::make_unique<BlendMethod>(); }

std::unique_ptr<Method> make_reinhard_method() {
    return std::make_unique<StrengthMethod>(
        MethodInfo{"reinhard",
                   "Colour transfer (Reinhard)",
                   "Reinhard et al. 2001: the style's mean and spread of each lαβ colour channel.",
                   {strength_param()},
                   false,
                   "strength"},
        &reinhard_transfer);
}

std::unique_ptr<Method> make_monge_kantorovich_method() {
    return std::make_unique<StrengthMethod>(
        MethodInfo{"monge_kantorovich",
                   "Colour transfer (Monge-Kantorovich)",
                   "Pitié and Kokaram 2007: the linear map that gives the content the style's RGB mean and full "
                   "colour covariance.",
                   {strength_param()},
                   false,
                   "strength"},
        &monge_kantorovich_transfer);
}

std::unique_ptr<Method> make_histogram_method() {
    return std::make_unique<StrengthMethod>(
        MethodInfo{"histogram",
                   "Histogram matching",
                   "Each RGB channel remapped so its histogram follows the style's.",
                   {strength_param()},
                   false,
                   "strength"},
        &histogram_match);
}

}  // namespace nt
