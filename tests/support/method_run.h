#pragma once
// A neural method's run as the tests write it: the method's name, its pictures and what its
// RunContext carries, in one struct that a test copies and edits, run by Method::run with the
// models and caches of a NeuralStylizer (RunContext::models), as nt::stylize and the viewer's
// worker run every method.
#include <ATen/Tensor.h>

#include <string>
#include <vector>

#include "methods/method.h"
#include "nets/neural_stylizer.h"

namespace nt::test {

struct NeuralRun {
    std::string method;
    std::string model;  // RunContext::model
    ParamValues params;
    at::Tensor content;
    std::vector<at::Tensor> styles;     // the run's style, then RunContext::extra_styles
    std::vector<double> style_weights;  // RunContext's
    at::Tensor mask;
    CancelToken cancel;
    int tile = 0;

    // The context run() gets, with `models`.
    RunContext context(NeuralStylizer& models) const {
        RunContext c;
        c.mask = mask;
        c.cancel = cancel;
        c.models = &models;
        c.model = model;
        if (styles.size() > 1) c.extra_styles.assign(styles.begin() + 1, styles.end());
        c.style_weights = style_weights;
        c.tile = tile;
        return c;
    }
    at::Tensor style() const { return styles.empty() ? at::Tensor() : styles[0]; }
};

// `method` on `content` with its parameters at their defaults.
inline NeuralRun neural_run(const std::string& method, const at::Tensor& content) {
    NeuralRun r;
    r.method = method;
    r.content = content;
    r.params = default_params(method_by_name(method).info());
    return r;
}

inline at::Tensor run(NeuralStylizer& models, const NeuralRun& r) {
    return method_by_name(r.method).run(r.content, r.style(), r.params, r.context(models));
}

inline int encoder_passes(NeuralStylizer& models, const NeuralRun& r) {
    return method_by_name(r.method).encoder_passes(r.content, r.style(), r.context(models));
}

}  // namespace nt::test
