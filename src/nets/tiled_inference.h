#pragma once
// Tiled inference: a picture-to-picture network run over overlapping tiles, so that its memory
// is bounded by the tile, not the picture. Each tile is the network's input over its output
// region plus a margin of real picture on every side (the network's own reflection padding is
// used only at the picture's borders, as in the untiled run), and the outputs of neighbouring
// tiles are blended across each border with a linear feather whose weights sum to 1 exactly.
// Tile origins are multiples of `align` (8: the stride of AdaIN's encoder, 4 for fast style), so
// the networks' downsampling grids line up with the untiled run's.
//
// Networks with instance norms or content statistics need the whole picture's statistics in
// every tile: the caller takes them from a thumbnail first (nets/norm_tape.h).
#include <ATen/Tensor.h>

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "base/cancel.h"

namespace nt {

struct TileSettings {
    int tile = 1024;   // the side of a tile's own region (before margin and feather), a multiple of align
    int margin = 64;   // real-picture context each side, beyond the feather, dropped after the network
    int feather = 32;  // the width of the blend across each border (even, < tile)
    int align = 8;
};

// The thumbnail whose statistics every tile uses: the working picture scaled to this long side
// (URST's default), or the picture itself when it is smaller.
inline constexpr int kThumbnailSide = 1024;
// The tiles that the preflight tries, largest first, when it chooses the size itself.
inline constexpr int kAutoTileSides[] = {2048, 1536, 1024, 768, 512, 384, 256};
// The smallest tile --tile accepts.
inline constexpr int kMinTileSide = 32;

// The settings the networks run with: tiles of `tile` pixels, a margin of 64 and a feather of 32
// (for tiles under 64 pixels: a margin of the tile and a feather of half of it), aligned to 8
// (AdaIN's encoder stride; fast style needs 4).
TileSettings network_tile_settings(int tile);

// The thumbnail size for a picture of h x w (h x w itself when its long side is <= kThumbnailSide).
std::pair<std::int64_t, std::int64_t> thumbnail_size(std::int64_t h, std::int64_t w);

// One tile: the input window on the picture and, inside it, the region whose output is kept.
struct TileRect {
    std::int64_t in_y0 = 0, in_x0 = 0, in_h = 0, in_w = 0;      // the network's input window
    std::int64_t out_y0 = 0, out_x0 = 0, out_h = 0, out_w = 0;  // the kept region (picture coordinates)
};

// The tiles of an h x w picture, row by row. Throws nt::Error for invalid settings.
std::vector<TileRect> plan_tiles(std::int64_t h, std::int64_t w, const TileSettings& settings);

// The largest input window any tile of plan_tiles has (for memory estimates), per side.
std::int64_t max_tile_input_side(const TileSettings& settings);

// Runs `net` on every tile of `input` ([1, C, H, W]) and blends the results: `net` gets the tile's
// input window (a [1, C, in_h, in_w] view, any layout) and its rect, and returns a float
// [1, C', in_h, in_w] picture for that window on any device. Returns float32 [1, C', H, W] on
// input's device. `on_tile(done, total)` is called after each tile; `cancel` is checked before each.
using TileNetwork = std::function<at::Tensor(const at::Tensor& window, const TileRect& rect)>;
at::Tensor run_tiled(const at::Tensor& input, const TileSettings& settings, const TileNetwork& net,
                     const CancelToken& cancel = {}, const std::function<void(int, int)>& on_tile = {});

}  // namespace nt
