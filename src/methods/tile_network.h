#pragma once
// One tile of a picture that a network runs on in pieces (nets/tiled_inference.h plans them):
// the window the network reads and, inside it, the region whose output is kept. Here, below the
// networks, because a Method that tiles hands out its per-tile network (Method::tile_network).
#include <ATen/Tensor.h>

#include <cstdint>
#include <functional>

namespace nt {

struct TileRect {
    std::int64_t in_y0 = 0, in_x0 = 0, in_h = 0, in_w = 0;      // the network's input window
    std::int64_t out_y0 = 0, out_x0 = 0, out_h = 0, out_w = 0;  // the kept region (picture coordinates)
};

// A network for one tile: gets the tile's input window (a float [1, C, in_h, in_w] picture in
// 0..1, any layout) and its rect, returns a float [1, C', in_h, in_w] picture for that window on
// any device.
using TileNetwork = std::function<at::Tensor(const at::Tensor& window, const TileRect& rect)>;

}  // namespace nt
