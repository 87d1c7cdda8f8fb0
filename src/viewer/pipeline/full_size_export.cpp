#include "viewer/pipeline/full_size_export.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <new>

#include "base/cancel.h"
#include "base/error.h"
#include "image/mask.h"

namespace nt::viewer {
namespace {

// The mask as the export reads it: the loaded picture while unedited (the CLI's --mask file), else
// the painted values at the working size (scaled up by the core with the picture); an empty canvas
// is black: the content everywhere, as on the preview.
Image mask_picture(const MaskCanvas& mask) {
    if (mask.loaded_picture()) return *mask.loaded_picture();
    if (mask.has_pixels()) return mask.to_image();
    return Image(1, 1);
}

// The feather is given in working pixels: the same blur at the content's own size is that many
// times more of its pixels (by area, so a squashed working size counts both sides).
double full_size_feather(double feather_px, Size2 working, Size2 full) {
    const double scale = std::sqrt(double(full.width) * full.height / (double(working.width) * working.height));
    return std::min(feather_px * scale, kMaxFeatherPx);
}

}  // namespace

FullSizeRequest full_size_request(const ViewerState& state, const std::filesystem::path& models_dir) {
    if (!state.content.loaded()) throw Error("Export full size", "no content picture is loaded");
    const ControlValues& c = state.controls;
    const MethodInfo& info = current_method_info(c);
    if (info.uses_style && !state.style.loaded()) throw Error("Export full size", info.name + " needs a style picture");
    FullSizeRequest r;
    r.content = state.content.image;
    if (info.uses_style) r.style = state.style.image;
    r.size = {r.content.width, r.content.height};
    StylizeOptions& o = r.options;
    o.method = c.method;
    o.params = current_params(c);
    o.size = SizeSpec{SizeSpec::Mode::Original, 0, 0};
    o.device = c.device;
    o.precision = c.precision;
    o.preserve_colors = c.preserve_colors;
    o.model = current_model(c);
    o.models_dir = models_dir;
    if (state.uses_extra_style()) {
        o.extra_styles.push_back(state.extra_style.image);
        // With a mask AdaIN's extra style paints its black region (as on the preview); otherwise they mix.
        if (!state.mask_enabled || !info.extra_style_fills_mask)
            o.style_weights = {1.0 - c.extra_style_weight, c.extra_style_weight};
    }
    if (state.mask_enabled) {
        const Size2 working = working_size(size_spec(c), r.size);  // beyond the limits: throws
        o.mask = mask_picture(state.mask);
        o.feather_px = full_size_feather(c.feather_px, working, r.size);
    }
    return r;
}

FullSizeExport::FullSizeExport(std::function<void()> wake) : wake_(std::move(wake)) {}

FullSizeExport::~FullSizeExport() {
    cancel_ = true;
    if (thread_.joinable()) thread_.join();  // a stuck run: the viewer's quit watchdog ends the process
}

bool FullSizeExport::start(FullSizeRequest request, Writer write) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (status_.running) return false;
    if (thread_.joinable()) thread_.join();  // the last export's thread has ended (running is false)
    cancel_ = false;
    outcome_.reset();
    status_ = FullSizeStatus{};
    status_.running = true;
    status_.size = request.size;
    status_.method = request.options.method;
    started_ = std::chrono::steady_clock::now();
    thread_ = std::thread([this, r = std::move(request), w = std::move(write)]() mutable { run(std::move(r), w); });
    return true;
}

void FullSizeExport::cancel() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!status_.running) return;
    cancel_ = true;
    status_.cancelling = true;
}

bool FullSizeExport::running() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return status_.running;
}

bool FullSizeExport::has_outcome() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return outcome_.has_value();
}

FullSizeStatus FullSizeExport::status() const {
    std::lock_guard<std::mutex> lock(mutex_);
    FullSizeStatus s = status_;
    if (s.running) s.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    return s;
}

std::optional<FullSizeOutcome> FullSizeExport::take() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::optional<FullSizeOutcome> out;
    out.swap(outcome_);
    return out;
}

// On the export thread: the core's stylize at the content's own size, then the writer, unless
// cancelled. Every failure, memory included, becomes the outcome's message.
void FullSizeExport::run(FullSizeRequest request, const Writer& write) {
    FullSizeOutcome outcome;
    outcome.size = request.size;
    outcome.method = request.options.method;
    const CancelToken cancel(&cancel_);
    auto on_step = [this](const StepReport& report) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            status_.step = report.step;
            status_.total = report.total;
            status_.stage = report.stage;
        }
        if (wake_) wake_();
    };
    try {
        Image result = stylize(request.content, request.style, request.options, nullptr, on_step, cancel);
        request = FullSizeRequest{};  // the inputs' memory back before the file is encoded
        cancel.check();               // a run that does not check (a colour method) ends here
        outcome.path = write(result);
        outcome.kind = FullSizeOutcome::Kind::Written;
    } catch (const Cancelled&) {
        outcome.kind = FullSizeOutcome::Kind::Cancelled;
    } catch (const std::bad_alloc&) {
        outcome.error =
            "out of memory at " + std::to_string(outcome.size.width) + " x " + std::to_string(outcome.size.height);
    } catch (const std::exception& e) {
        outcome.error = e.what();
    }
    finish(std::move(outcome));
}

void FullSizeExport::finish(FullSizeOutcome outcome) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
        outcome_ = std::move(outcome);
        status_.running = false;
        status_.cancelling = false;
    }
    if (wake_) wake_();
}

}  // namespace nt::viewer
