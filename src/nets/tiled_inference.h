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
#include <c10/core/Device.h>

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "base/cancel.h"
#include "image/image.h"
#include "methods/tile_network.h"

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
// The working picture ([1, C, H, W] float) at thumbnail_size: antialiased, along its rows first,
// then along its columns, so that thumbnail_of(Image) can shrink a picture strip by strip to the
// same values.
at::Tensor thumbnail_of(const at::Tensor& picture);
// thumbnail_of(image_to_tensor(picture, device)), bit for bit, without the picture ever being
// whole in float: converted and shrunk along its rows a strip at a time.
at::Tensor thumbnail_of(const Image& picture, c10::Device device);

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

// The tiles of an h x w picture, row by row. Throws nt::Error for invalid settings.
std::vector<TileRect> plan_tiles(std::int64_t h, std::int64_t w, const TileSettings& settings);

// The largest input window any tile of plan_tiles has (for memory estimates), per side.
std::int64_t max_tile_input_side(const TileSettings& settings);

// Where run_tiled_rows reads a tile's input: the [1, C, in_h, in_w] float window of `rect`, on the
// device the blend is accumulated on.
using TileSource = std::function<at::Tensor(const TileRect& rect)>;
// Where it hands the finished rows: rows [y0, y0 + rows.size(2)) of the blended result, float32
// [1, C', n, W], top to bottom, every row once. The tensor is only valid during the call.
using RowSink = std::function<void(std::int64_t y0, const at::Tensor& rows)>;

// Runs `net` on every tile of an h x w picture, row of tiles by row of tiles, and blends the
// results: a picture is streamed through the network without being held whole, in float, on
// either side. Only one row of tiles' output is held (plus the feather it shares with the next).
// `net` gets the window from `source` and the tile's rect (TileNetwork). `on_tile(done, total)` is
// called after each tile; `cancel` is checked before each.
void run_tiled_rows(std::int64_t h, std::int64_t w, const TileSettings& settings, const TileSource& source,
                    const TileNetwork& net, const RowSink& sink, const CancelToken& cancel = {},
                    const std::function<void(int, int)>& on_tile = {});

// run_tiled_rows over `input` ([1, C, H, W]): returns float32 [1, C', H, W] on input's device.
at::Tensor run_tiled(const at::Tensor& input, const TileSettings& settings, const TileNetwork& net,
                     const CancelToken& cancel = {}, const std::function<void(int, int)>& on_tile = {});

}  // namespace nt
