#pragma once
// The neural methods' tile networks (neural_stylizer_tiled.cpp): the same networks, for one tile
// at a time (nets/tiled_inference.h), every tile normalised with statistics taken once from a
// thumbnail of the whole picture, for pictures too big for the memory budget or a forced --tile.
// Each is Method::tile_network of its method; run() with a tile is run_tiled over it.
#include <ATen/Tensor.h>

#include <vector>

#include "methods/method.h"
#include "nets/neural_stylizer.h"

namespace nt {

class ScriptModel;
struct FeatureStats;

// Fast style for one tile, at strength 1: its instance norms replay the statistics of the
// network's pass over `thumbnail`, which this call makes.
TileNetwork fast_style_tile_network(const at::Tensor& thumbnail, const NeuralStylizer::Network& net,
                                    const CancelToken& cancel);
// A TorchScript model for one tile, at strength 1 (an opaque module: no thumbnail statistics).
TileNetwork torchscript_tile_network(ScriptModel& model, c10::ScalarType dtype);
// AdaIN for one tile, with the content statistics of `thumbnail` (per region of context.mask,
// which stays whole: the tile reads its window) and its temporal smoothing; one weight per style
// statistic. Keeps a reference to `context`.
TileNetwork adain_tile_network(const at::Tensor& thumbnail, const RunContext& context,
                               const NeuralStylizer::Network& encoder, const NeuralStylizer::Network& decoder,
                               const std::vector<FeatureStats>& style_stats, const std::vector<double>& weights,
                               double alpha);

}  // namespace nt
