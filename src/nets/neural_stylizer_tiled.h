#pragma once
// The neural methods' tiled runs (neural_stylizer_tiled.cpp): the same networks, tile by tile
// (nets/tiled_inference.h), for pictures too big for the memory budget or a forced --tile.
#include <ATen/Tensor.h>

#include <vector>

#include "methods/method.h"
#include "nets/neural_stylizer.h"

namespace nt {

class ScriptModel;
struct FeatureStats;

// Fast style in tiles of `tile`: float [1, 3, H, W] in 0..1, at strength 1.
at::Tensor fast_style_tiled(const at::Tensor& content, const NeuralStylizer::Network& net, int tile,
                            const CancelToken& cancel);
// A TorchScript model in tiles of `tile`, at strength 1.
at::Tensor torchscript_tiled(const at::Tensor& content, ScriptModel& model, c10::ScalarType dtype, int tile,
                             const CancelToken& cancel);
// AdaIN in tiles of context.tile, with context's mask, temporal statistics and cancellation; one
// weight per style statistic.
at::Tensor adain_tiled(const at::Tensor& content, const RunContext& context, const NeuralStylizer::Network& encoder,
                       const NeuralStylizer::Network& decoder, const std::vector<FeatureStats>& style_stats,
                       const std::vector<double>& weights, double alpha);

}  // namespace nt
