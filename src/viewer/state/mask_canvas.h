#pragma once
// The paintable mask, without GL: one float per working pixel in 0..1 (1 = stylized, as in
// image/mask.h), edited with round brush dabs and strokes. Every edit gives it a new generation, so
// the pipeline notices a change by comparing one number instead of the pixels.
//
// A mask loaded from a picture keeps that picture until the first edit: at any working size its
// values are then exactly what the command line's --mask computes (nt::mask_to_tensor of the
// picture). An edited mask follows a working-size change by resampling its own values with the
// same core resize.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include <ATen/Tensor.h>
#include <c10/core/Device.h>

#include "image/image.h"

namespace nt::viewer {

struct BrushDab {
    float x = 0, y = 0;     // centre in working pixels (pixel i spans [i, i + 1))
    float radius = 16;      // working pixels
    float hardness = 0.8f;  // 0: soft from the centre out, 1: hard edge (antialiased over one pixel)
    bool erase = false;     // lower the mask instead of raising it
};

// The dab's coverage at distance `d` from its centre, 0..1. Painting keeps the larger of the old
// value and the coverage (erasing the smaller of the old value and 1 - coverage), so overlapping
// dabs along a stroke never build up: the result does not depend on the dab spacing.
float brush_coverage(float d, float radius, float hardness);

class MaskCanvas {
public:
    MaskCanvas();
    int width() const { return width_; }
    int height() const { return height_; }
    bool has_pixels() const { return width_ > 0 && height_ > 0; }
    // The picture loaded into the mask while it is unedited (a full-size export reads it at the
    // content's own size, as the CLI's --mask does); none once painted, cleared or inverted.
    const std::optional<Image>& loaded_picture() const { return source_; }
    // Changes with every edit, load and resize (unique across canvases); never 0.
    std::uint64_t generation() const { return generation_; }
    // Row-major, width * height values in 0..1.
    const std::vector<float>& values() const { return values_; }
    float at(int x, int y) const { return values_[static_cast<std::size_t>(y) * width_ + x]; }

    // Columns [x0, x1) and rows [y0, y1) of the mask.
    struct Box {
        int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
        bool empty() const { return x1 <= x0 || y1 <= y0; }
    };
    // The pixels that changed since the mask was at `generation`: an empty box when that is the
    // current generation, the bounding box of the brush dabs since then, or nothing when it is
    // not known (a load, clear, invert, undo or resize came between, or `generation` is older
    // than the edits remembered): then anything may have changed. The display sends only this
    // box of the mask texture after a stroke.
    std::optional<Box> changed_since(std::uint64_t generation) const;

    // A picture read as the core reads --mask pictures (grey levels, white = stylized); it is
    // resampled to the working size on the next fit_to().
    void load(Image picture);
    // Brings the mask to the working size: from the loaded picture while unedited, else by
    // resampling the current values; a mask without pixels starts empty (all 0). No-op when the
    // size already matches.
    void fit_to(int width, int height);

    // load(), clear() and invert() are one edit each: each can be undone.
    void clear();   // all 0: the content everywhere
    void invert();  // v -> 1 - v
    // Call before the first dab of a stroke: the stroke, however many dabs, is then one edit.
    void begin_stroke() { checkpoint(); }
    void paint_dab(const BrushDab& dab);
    // Dabs from `from` to `to` (the `to` dab included, `from` not: consecutive segments of one
    // stroke do not repeat their joints), spaced closely enough that a fast drag leaves no gaps.
    void stroke(const BrushDab& from, const BrushDab& to);

    // float [1, 1, height, width] in 0..1 on `device`: the values when the size matches, else the
    // loaded picture or the values resampled (nt::mask_to_tensor), all 0 for a mask without pixels.
    at::Tensor tensor(int width, int height, c10::Device device) const;

    // Grey picture of the mask (v * 255 rounded), for saving and resampling.
    Image to_image() const;

    // Undo and redo of whole edits (a stroke, a clear, an invert, a load). The history is
    // bounded: at most kMaxUndoSteps edits and kMaxUndoBytes of pixels, the oldest dropped first,
    // so undo never costs unbounded memory at large working sizes. Both return false when there
    // is nothing to undo / redo. A working-size change is not an edit: an undone mask of another
    // size is resampled by the next fit_to().
    bool undo();
    bool redo();
    bool can_undo() const { return !undo_.empty(); }
    bool can_redo() const { return !redo_.empty(); }
    static constexpr std::size_t kMaxUndoSteps = 64;
    static constexpr std::size_t kMaxUndoBytes = std::size_t(256) << 20;

private:
    struct Snapshot {
        int width = 0, height = 0;
        std::vector<float> values;
        std::optional<Image> source;
        std::size_t bytes() const;
    };
    void touch();                   // anything may have changed
    void touch(const Box& region);  // a brush dab changed pixels inside `region` only
    void checkpoint();              // the current pixels onto the undo stack; a new edit clears the redo stack
    Snapshot snapshot() const;
    void restore(Snapshot& s);  // takes its pixels
    bool step(std::deque<Snapshot>& from, std::deque<Snapshot>& to);
    static void trim(std::deque<Snapshot>& history);
    std::deque<Snapshot> undo_, redo_;  // most recent at the back

    int width_ = 0, height_ = 0;
    std::vector<float> values_;
    std::optional<Image> source_;  // the loaded picture, until the first edit
    std::uint64_t generation_;
    struct Edit {
        std::uint64_t generation;  // after the edit
        Box region;
    };
    std::deque<Edit> recent_edits_;  // the brush edits since edits_base_, oldest first
    std::uint64_t edits_base_;       // the generation before the first of them
    static constexpr std::size_t kRecentEdits = 256;
};

}  // namespace nt::viewer
