#pragma once
// The method registry: every stylization method declares its name, its parameters (with ranges
// and defaults) and whether it needs a model file. The viewer builds its controls from these
// declarations and the CLI its options, so a new method brings its own controls everywhere.
#include <ATen/Tensor.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace nt {

struct ParamSpec {
    std::string name;         // key for --param name=value and settings files, e.g. "alpha"
    std::string label;        // shown in the viewer, e.g. "Style strength"
    std::string description;  // one sentence for --list-methods and tooltips
    double min_value = 0.0;
    double max_value = 1.0;
    double default_value = 0.0;
};

struct MethodInfo {
    std::string name;         // "blend"
    std::string label;        // "Blend"
    std::string description;  // one sentence
    std::vector<ParamSpec> params;
    bool needs_model = false;
    // A parameter that only mixes the content with the method's result at 1 (mix_by_strength in
    // strength.h): apply(p) == mix_by_strength(content, apply(p with it at 1), p's value), exactly.
    // Interactive callers cache the result at 1 and re-mix while it is dragged. Empty: none.
    std::string mix_param;
    // Whether the method reads the style picture; fast_style and torchscript carry their style in
    // the model, so the CLI and the viewer do not ask for one.
    bool uses_style = true;
};

// Parameter values by name; missing names take their defaults.
using ParamValues = std::map<std::string, double>;

class Method {
public:
    virtual ~Method() = default;
    virtual const MethodInfo& info() const = 0;
    // content and style: float [1, 3, H, W] in 0..1, same shape and device. Returns the same shape
    // on the same device. `params` has been validated (complete and in range).
    virtual at::Tensor apply(const at::Tensor& content, const at::Tensor& style, const ParamValues& params) const = 0;
};

// All methods, in the order the viewer lists them.
const std::vector<std::unique_ptr<Method>>& method_registry();
// nullptr when no method has that name.
const Method* find_method(const std::string& name);
// Throws nt::Error listing the known names when there is no such method.
const Method& method_by_name(const std::string& name);

// Every parameter at its default.
ParamValues default_params(const MethodInfo& info);
// `values` completed with defaults; throws nt::Error naming the parameter for unknown names and
// values outside [min, max] or NaN.
ParamValues resolve_params(const MethodInfo& info, const ParamValues& values);

}  // namespace nt
