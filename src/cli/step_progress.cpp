#include "cli/step_progress.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cstdio>
#include <utility>

#include "imageio/save_image.h"
#include "image/tensor_convert.h"
#include "image/tensor_resize.h"

namespace nt {

StepProgress::StepProgress(std::ostream& err, bool redraw, bool quiet, std::filesystem::path steps_dir,
                           std::string stem, int width, int height, int save_every, double after_seconds)
    : err_(err), redraw_(redraw), quiet_(quiet), steps_dir_(std::move(steps_dir)), stem_(std::move(stem)),
      width_(width), height_(height), save_every_(std::max(1, save_every)), after_seconds_(after_seconds) {}

std::string StepProgress::line(const StepReport& r, double elapsed_s) {
    constexpr int kBar = 20;
    const int filled = r.total > 0 ? r.step * kBar / r.total : 0;
    std::string bar = "[" + std::string(std::size_t(filled), '#') + std::string(std::size_t(kBar - filled), ' ') + "]";
    char text[64];
    const double left = r.step > 0 ? elapsed_s * double(r.total - r.step) / double(r.step) : 0.0;
    if (r.step < r.total) std::snprintf(text, sizeof text, "  %.1f s, ~%.0f s left", elapsed_s, left);
    else std::snprintf(text, sizeof text, "  %.1f s", elapsed_s);
    std::string values;
    for (const auto& [name, value] : r.values) {
        char v[48];
        std::snprintf(v, sizeof v, "%s%s %.4g", values.empty() ? "  " : " ", name.c_str(), value);
        values += v;
        if (values.size() > 40) break;  // the first few: the line must fit a terminal
    }
    return bar + " " + std::to_string(r.step) + "/" + std::to_string(r.total) + " " + r.stage + values + text;
}

void StepProgress::save(const StepReport& r) const {
    const at::Tensor picture = resize_tensor(r.estimate, height_, width_);  // coarse levels are smaller
    char name[32];
    std::snprintf(name, sizeof name, "_step_%03d.png", r.step);
    save_image(tensor_to_image(picture.clamp(0.0, 1.0)), steps_dir_ / (stem_ + name), SaveOptions{});
}

void StepProgress::operator()(const StepReport& r) {
    if (!steps_dir_.empty() && (r.step % save_every_ == 0 || r.step == r.total)) save(r);
    if (quiet_) return;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    if (elapsed < after_seconds_ && !drawn_ && last_decile_ < 0) return;
    const bool last = r.step >= r.total;
    if (redraw_) {
        err_ << '\r' << line(r, elapsed) << "\x1b[K" << (last ? "\n" : "") << std::flush;
        drawn_ = !last;
        return;
    }
    const int decile = r.total > 0 ? r.step * 10 / r.total : 10;
    if (decile == last_decile_ && !last) return;
    last_decile_ = decile;
    err_ << line(r, elapsed) << '\n';
}

}  // namespace nt
