#include "nets/tiled_inference.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "base/error.h"
#include "image/tensor_convert.h"
#include "image/tensor_resize.h"
#include "nets/load_weights.h"

namespace nt {

namespace {

// One axis of the plan: the borders between tiles and, per tile, its windows.
struct Span {
    std::int64_t in0, in1, out0, out1;
};

// The borders b_1 .. b_{n-1} of a length-L axis: every `tile` pixels, except that a last tile
// shorter than the feather (or the alignment) joins the one before, so that every blend fits.
std::vector<std::int64_t> borders(std::int64_t length, const TileSettings& s) {
    std::vector<std::int64_t> b;
    for (std::int64_t x = s.tile; x < length; x += s.tile) b.push_back(x);
    const std::int64_t last_core = b.empty() ? length : length - b.back();
    if (!b.empty() && last_core < std::max(s.feather, s.align)) b.pop_back();
    return b;
}

std::vector<Span> spans(std::int64_t length, const TileSettings& s) {
    const std::vector<std::int64_t> b = borders(length, s);
    const std::int64_t half = s.feather / 2;
    std::vector<Span> out;
    for (std::size_t k = 0; k <= b.size(); ++k) {
        Span sp;
        sp.out0 = k == 0 ? 0 : b[k - 1] - half;
        sp.out1 = k == b.size() ? length : b[k] + half;
        sp.in0 = std::max<std::int64_t>(0, sp.out0 - s.margin) / s.align * s.align;
        sp.in1 = std::min(length, sp.out1 + s.margin);
        out.push_back(sp);
    }
    return out;
}

// The blend weights of the tile covering [out0, out1) on one axis, float32 [out1 - out0]: a
// linear ramp up across the border before it and down across the border after it. Neighbours'
// ramps are mirror images, so the weights at any pixel sum to 1.
at::Tensor axis_weights(const Span& sp, std::int64_t length, const TileSettings& s) {
    const std::int64_t n = sp.out1 - sp.out0;
    at::Tensor w = at::ones({n}, at::kFloat);
    float* p = w.data_ptr<float>();
    const double f = s.feather;
    for (std::int64_t i = 0; i < n && f > 0; ++i) {
        const double x = double(sp.out0 + i) + 0.5;
        if (sp.out0 > 0) p[i] *= float(std::clamp((x - double(sp.out0)) / f, 0.0, 1.0));
        if (sp.out1 < length) p[i] *= float(1.0 - std::clamp((x - double(sp.out1 - s.feather)) / f, 0.0, 1.0));
    }
    return w;
}

void check_settings(const TileSettings& s) {
    if (s.align < 1 || s.tile < s.align || s.tile % s.align != 0)
        throw Error("--tile " + std::to_string(s.tile), "a tile must be a multiple of " + std::to_string(s.align) +
                                                            " pixels, at least " + std::to_string(s.align));
    if (s.feather < 0 || s.feather % 2 != 0 || s.feather >= s.tile)
        throw Error("tiling", "the feather must be even and narrower than a tile");
    if (s.margin < 0) throw Error("tiling", "the margin cannot be negative");
}

}  // namespace

TileSettings network_tile_settings(int tile) {
    TileSettings s;
    s.tile = tile;
    s.margin = std::min(64, tile);
    s.feather = std::min(32, tile / 2 / 2 * 2);
    return s;
}

std::pair<std::int64_t, std::int64_t> thumbnail_size(std::int64_t h, std::int64_t w) {
    const std::int64_t longest = std::max(h, w);
    if (longest <= kThumbnailSide) return {h, w};
    const double scale = double(kThumbnailSide) / double(longest);
    return {std::max<std::int64_t>(16, std::llround(double(h) * scale)),
            std::max<std::int64_t>(16, std::llround(double(w) * scale))};
}

at::Tensor thumbnail_of(const at::Tensor& picture) {
    const auto [h, w] = thumbnail_size(picture.size(2), picture.size(3));
    return resize_tensor(resize_tensor(picture, picture.size(2), w), h, w);
}

at::Tensor thumbnail_of(const Image& picture, c10::Device device) {
    const auto [h, w] = thumbnail_size(picture.height, picture.width);
    if (h == picture.height && w == picture.width) return image_to_tensor(picture, device);
    // Each row shrinks on its own, so strips give the whole pass's rows.
    constexpr std::int64_t kStripRows = 256;
    at::Tensor rows_shrunk;
    for (std::int64_t y0 = 0; y0 < picture.height; y0 += kStripRows) {
        const std::int64_t n = std::min<std::int64_t>(kStripRows, picture.height - y0);
        const at::Tensor strip = image_window_to_tensor(picture, y0, 0, n, picture.width, device);
        const at::Tensor shrunk = resize_tensor(strip, n, w);
        if (!rows_shrunk.defined()) rows_shrunk = at::empty({1, 3, picture.height, w}, shrunk.options());
        rows_shrunk.narrow(2, y0, n).copy_(shrunk);
    }
    return resize_tensor(rows_shrunk, h, w);
}

std::vector<TileRect> plan_tiles(std::int64_t h, std::int64_t w, const TileSettings& settings) {
    check_settings(settings);
    std::vector<TileRect> tiles;
    for (const Span& y : spans(h, settings))
        for (const Span& x : spans(w, settings))
            tiles.push_back(
                {y.in0, x.in0, y.in1 - y.in0, x.in1 - x.in0, y.out0, x.out0, y.out1 - y.out0, x.out1 - x.out0});
    return tiles;
}

std::int64_t max_tile_input_side(const TileSettings& s) {
    // The tile, a feather on each side, a margin on each side, the alignment's rounding; a last
    // tile may take up to one more feather or alignment step from the one it joined.
    return s.tile + 2 * s.feather + 2 * s.margin + 2 * s.align;
}

namespace {

at::Tensor checked_result(const at::Tensor& result, const TileRect& rect) {
    if (result.dim() != 4 || result.size(2) != rect.in_h || result.size(3) != rect.in_w)
        throw Error("tiled inference", "the network returned " + shape_text(result.sizes()) + " for a " +
                                           std::to_string(rect.in_w) + "x" + std::to_string(rect.in_h) + " tile");
    return result;
}

}  // namespace

void run_tiled_rows(std::int64_t h, std::int64_t w, const TileSettings& settings, const TileSource& source,
                    const TileNetwork& net, const RowSink& sink, const CancelToken& cancel,
                    const std::function<void(int, int)>& on_tile) {
    check_settings(settings);
    const std::vector<Span> ys = spans(h, settings), xs = spans(w, settings);
    const int total = int(ys.size() * xs.size());
    int done = 0;
    // The blend of the current row of tiles: rows [band_y0, band_y0 + band.size(2)) of the result.
    at::Tensor band;
    std::int64_t band_y0 = 0;
    for (std::size_t r = 0; r < ys.size(); ++r) {
        const Span& y = ys[r];
        at::Tensor next, wy;
        for (const Span& x : xs) {
            cancel.check();
            const TileRect rect{y.in0,  x.in0,  y.in1 - y.in0,   x.in1 - x.in0,
                                y.out0, x.out0, y.out1 - y.out0, x.out1 - x.out0};
            const at::Tensor window = source(rect);
            const at::Tensor result = checked_result(net(window, rect), rect);
            if (!next.defined()) {  // the row's first tile: its band and its weights down the rows
                next = at::zeros({1, result.size(1), rect.out_h, w}, window.options().dtype(at::kFloat));
                wy = axis_weights(y, h, settings).to(window.device()).view({1, 1, -1, 1});
                // The rows this row of tiles shares with the one above (the feather across their
                // border) start from the sums the row above left there.
                const std::int64_t shared = band.defined() ? band_y0 + band.size(2) - y.out0 : 0;
                if (shared > 0) next.narrow(2, 0, shared).copy_(band.narrow(2, y.out0 - band_y0, shared));
            }
            const at::Tensor kept = result.narrow(2, rect.out_y0 - rect.in_y0, rect.out_h)
                                        .narrow(3, rect.out_x0 - rect.in_x0, rect.out_w)
                                        .to(window.device(), at::kFloat);
            const at::Tensor wx = axis_weights(x, w, settings).to(window.device()).view({1, 1, 1, -1});
            next.narrow(3, rect.out_x0, rect.out_w).add_(kept * wy * wx);
            if (on_tile) on_tile(++done, total);
        }
        band = next;
        band_y0 = y.out0;
        // Rows above the next row of tiles' first are final.
        const std::int64_t final_end = r + 1 < ys.size() ? ys[r + 1].out0 : h;
        sink(band_y0, band.narrow(2, 0, final_end - band_y0));
    }
}

at::Tensor run_tiled(const at::Tensor& input, const TileSettings& settings, const TileNetwork& net,
                     const CancelToken& cancel, const std::function<void(int, int)>& on_tile) {
    const std::int64_t h = input.size(2), w = input.size(3);
    at::Tensor output;
    auto window = [&](const TileRect& r) { return input.narrow(2, r.in_y0, r.in_h).narrow(3, r.in_x0, r.in_w); };
    auto keep = [&](std::int64_t y0, const at::Tensor& rows) {
        if (!output.defined()) output = at::empty({1, rows.size(1), h, w}, input.options().dtype(at::kFloat));
        output.narrow(2, y0, rows.size(2)).copy_(rows);
    };
    run_tiled_rows(h, w, settings, window, net, keep, cancel, on_tile);
    return output;
}

}  // namespace nt
