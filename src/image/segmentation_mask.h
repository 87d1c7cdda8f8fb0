#pragma once
// Masks from a segmentation model (the seed's DeepLabV3 direction): "style the background but
// not the person" without painting. The model (a TorchScript module and a sidecar naming its
// classes, nets/script_model.h) gives class probabilities; the mask is the sum of the chosen
// classes' probabilities, so its edges are as soft as the model is unsure (not a hard argmax),
// inverted if asked, then feathered like any mask (image/mask.h).
#include <ATen/Tensor.h>

#include <string>
#include <vector>

namespace nt {

// Each name of `wanted` as an index into `classes`: a class name, or its index as a number.
// Throws nt::Error naming the unknown entry and listing the classes.
std::vector<int> class_indices(const std::vector<std::string>& classes, const std::vector<std::string>& wanted);

// probabilities [1, C, H, W] (summing to 1 over C) -> [1, 1, H, W] in 0..1: the chosen classes'
// total, or 1 minus it when `invert`.
at::Tensor class_mask(const at::Tensor& probabilities, const std::vector<int>& classes, bool invert = false);

// The share of the picture each class takes (the mean of its probability), [C] as doubles: what
// the viewer lists, for the classes present.
std::vector<double> class_shares(const at::Tensor& probabilities);

}  // namespace nt
