#include "viewer/state/mask_canvas.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>

#include "image/mask.h"

namespace nt::viewer {

namespace {

std::uint64_t next_generation() {
    static std::atomic<std::uint64_t> counter{1};
    return ++counter;
}

// The core's own reading of a mask picture (luma, resized with the project's resize), on the CPU.
std::vector<float> values_of(const Image& picture, int width, int height) {
    at::InferenceMode inference;
    const at::Tensor t = mask_to_tensor(picture, width, height, c10::Device(c10::kCPU)).contiguous();
    const float* p = t.data_ptr<float>();
    return std::vector<float>(p, p + static_cast<std::size_t>(width) * height);
}

}  // namespace

float brush_coverage(float d, float radius, float hardness) {
    // The soft band is (1 - hardness) of the radius, at least one pixel wide and centred on the
    // rim for a hard brush, so even hard edges are antialiased.
    const float band = std::max((1.0f - std::clamp(hardness, 0.0f, 1.0f)) * radius, 1.0f);
    const float t = std::clamp((radius + 0.5f - d) / band, 0.0f, 1.0f);
    return t * t * (3.0f - 2.0f * t);  // smoothstep: no visible ring where the falloff starts
}

MaskCanvas::MaskCanvas() : generation_(next_generation()), edits_base_(generation_) {}

void MaskCanvas::touch() {
    generation_ = next_generation();
    recent_edits_.clear();
    edits_base_ = generation_;
}

void MaskCanvas::touch(const Box& region) {
    generation_ = next_generation();
    if (recent_edits_.size() == kRecentEdits) {
        edits_base_ = recent_edits_.front().generation;
        recent_edits_.pop_front();
    }
    recent_edits_.push_back({generation_, region});
}

std::optional<MaskCanvas::Box> MaskCanvas::changed_since(std::uint64_t generation) const {
    if (generation == generation_) return Box{};
    if (generation < edits_base_ || recent_edits_.empty()) return std::nullopt;
    bool known = generation == edits_base_;
    Box box{width_, height_, 0, 0};
    for (const Edit& e : recent_edits_) {
        if (e.generation == generation) known = true;
        if (e.generation <= generation) continue;
        box = {std::min(box.x0, e.region.x0), std::min(box.y0, e.region.y0), std::max(box.x1, e.region.x1),
               std::max(box.y1, e.region.y1)};
    }
    if (!known) return std::nullopt;
    return box;
}

void MaskCanvas::load(Image picture) {
    checkpoint();
    source_ = std::move(picture);
    width_ = height_ = 0;  // computed at the working size by fit_to()
    values_.clear();
    touch();
}

void MaskCanvas::fit_to(int width, int height) {
    if (width <= 0 || height <= 0 || (width == width_ && height == height_)) return;
    if (source_) values_ = values_of(*source_, width, height);
    else if (has_pixels()) values_ = values_of(to_image(), width, height);
    else values_.assign(static_cast<std::size_t>(width) * height, 0.0f);
    width_ = width;
    height_ = height;
    touch();
}

void MaskCanvas::clear() {
    checkpoint();
    source_.reset();
    std::fill(values_.begin(), values_.end(), 0.0f);
    touch();
}

void MaskCanvas::invert() {
    if (!has_pixels()) return;
    checkpoint();
    source_.reset();
    for (float& v : values_) v = 1.0f - v;
    touch();
}

std::size_t MaskCanvas::Snapshot::bytes() const {
    return values.size() * sizeof(float) + (source ? source->pixels.size() : 0);
}

MaskCanvas::Snapshot MaskCanvas::snapshot() const { return Snapshot{width_, height_, values_, source_}; }

void MaskCanvas::restore(Snapshot& s) {
    width_ = s.width;
    height_ = s.height;
    values_.swap(s.values);
    source_.swap(s.source);
    touch();
}

void MaskCanvas::trim(std::deque<Snapshot>& history) {
    std::size_t bytes = 0;
    for (const Snapshot& s : history) bytes += s.bytes();
    while (!history.empty() && (history.size() > kMaxUndoSteps || bytes > kMaxUndoBytes)) {
        bytes -= history.front().bytes();
        history.pop_front();
    }
}

void MaskCanvas::checkpoint() {
    undo_.push_back(snapshot());
    redo_.clear();
    trim(undo_);
}

bool MaskCanvas::undo() { return step(undo_, redo_); }
bool MaskCanvas::redo() { return step(redo_, undo_); }

// The newest state of `from` becomes the canvas; the canvas goes onto `to`.
bool MaskCanvas::step(std::deque<Snapshot>& from, std::deque<Snapshot>& to) {
    if (from.empty()) return false;
    to.push_back(snapshot());
    restore(from.back());
    from.pop_back();
    trim(to);
    return true;
}

void MaskCanvas::paint_dab(const BrushDab& dab) {
    if (!has_pixels() || !(dab.radius > 0)) return;
    const float reach = dab.radius + 1.0f;
    const int x0 = std::max(0, static_cast<int>(std::floor(dab.x - reach)));
    const int y0 = std::max(0, static_cast<int>(std::floor(dab.y - reach)));
    const int x1 = std::min(width_ - 1, static_cast<int>(std::ceil(dab.x + reach)));
    const int y1 = std::min(height_ - 1, static_cast<int>(std::ceil(dab.y + reach)));
    if (x0 > x1 || y0 > y1) return;  // entirely outside
    source_.reset();
    for (int y = y0; y <= y1; ++y) {
        float* row = values_.data() + static_cast<std::size_t>(y) * width_;
        const float dy = y + 0.5f - dab.y;
        for (int x = x0; x <= x1; ++x) {
            const float dx = x + 0.5f - dab.x;
            const float c = brush_coverage(std::sqrt(dx * dx + dy * dy), dab.radius, dab.hardness);
            if (c <= 0) continue;
            row[x] = dab.erase ? std::min(row[x], 1.0f - c) : std::max(row[x], c);
        }
    }
    touch(Box{x0, y0, x1 + 1, y1 + 1});
}

void MaskCanvas::stroke(const BrushDab& from, const BrushDab& to) {
    const float dx = to.x - from.x, dy = to.y - from.y;
    const float length = std::sqrt(dx * dx + dy * dy);
    if (!(length > 0)) return;  // the joint is painted already
    // A quarter radius apart: the union of the discs is within radius/128 of a swept disc.
    const float spacing = std::max(to.radius * 0.25f, 0.5f);
    const int steps = std::max(1, static_cast<int>(std::ceil(length / spacing)));
    for (int i = 1; i <= steps; ++i) {
        BrushDab d = to;
        const float t = static_cast<float>(i) / steps;
        d.x = from.x + dx * t;
        d.y = from.y + dy * t;
        paint_dab(d);
    }
}

at::Tensor MaskCanvas::tensor(int width, int height, c10::Device device) const {
    at::Tensor t;
    if (width == width_ && height == height_)
        t = at::from_blob(const_cast<float*>(values_.data()), {1, 1, height, width}, at::kFloat);
    else if (source_) return mask_to_tensor(*source_, width, height, device);
    else if (has_pixels()) return mask_to_tensor(to_image(), width, height, device);
    else return at::zeros({1, 1, height, width}, at::TensorOptions().dtype(at::kFloat).device(device));
    return t.to(device, at::kFloat, /*non_blocking=*/false, /*copy=*/true);  // never aliases the canvas
}

Image MaskCanvas::to_image() const {
    Image image(width_, height_);
    for (std::size_t i = 0; i < values_.size(); ++i) {
        const auto v = static_cast<std::uint8_t>(std::lround(std::clamp(values_[i], 0.0f, 1.0f) * 255.0f));
        std::memset(image.pixels.data() + 3 * i, v, 3);
    }
    return image;
}

}  // namespace nt::viewer
