#pragma once
// The registry's entries for the feed-forward neural methods (fast_style, adain, torchscript;
// gatys is nets/gatys.h). Like every method they do their work in Method::run, with the
// models and caches of RunContext::models (nets/neural_stylizer.h) and the model named by
// RunContext::model; without models run() throws nt::Error.
#include <ATen/Tensor.h>

#include <memory>
#include <vector>

#include "methods/method.h"

namespace nt {

// The most style pictures AdaIN mixes in one run (MethodInfo::max_styles).
inline constexpr int kMaxAdainStyles = 16;

std::unique_ptr<Method> make_fast_style_method();
std::unique_ptr<Method> make_adain_method();
std::unique_ptr<Method> make_torchscript_method();

// What the neural methods' run() share (neural_methods.cpp):
// context.models, or nt::Error naming the method when the caller gave none.
NeuralStylizer& models_for(const MethodInfo& info, const RunContext& context);
// Checks the content picture and returns the number format the run computes in (the models'
// setting when the method follows_precision, else float32), noted as the models' last_precision.
c10::ScalarType begin_network_run(const MethodInfo& info, NeuralStylizer& models, const at::Tensor& content);
// The run's style (when defined) and then context.extra_styles.
std::vector<at::Tensor> all_styles(const at::Tensor& style, const RunContext& context);

}  // namespace nt
