#pragma once
// The registry entries of the colour methods (no model weights): the original workflow's blend,
// Reinhard and Monge-Kantorovich colour transfer, and per-channel histogram matching. Each but the
// blend (whose alpha weighs the style itself) takes a "strength" 0..1, default 1.
#include <memory>

#include "methods/method.h"

namespace nt {

std::unique_ptr<Method> make_blend_method();
std::unique_ptr<Method> make_reinhard_method();
std::unique_ptr<Method> make_monge_kantorovich_method();
std::unique_ptr<Method> make_histogram_method();

}  // namespace nt
