#include "core/methods/method.h"

#include <cmath>
#include <sstream>

#include "core/error.h"
#include "core/methods/blend.h"
#include "core/methods/color_methods.h"
#include "core/nets/neural_stylizer.h"

namespace nt {

namespace {

class BlendMethod final : public Method {
public:
    const MethodInfo& info() const override {
        static const MethodInfo info{
            "blend",
            "Blend",
            "The original workflow: a weighted average, (1 - alpha) * content + alpha * style.",
            {{"alpha", "Style strength", "Weight of the style picture: 0 keeps the content, 1 shows the style.", 0.0,
              1.0, kDefaultAlpha}},
            false,
            ""};  // alpha weighs the style itself, it does not mix with a cached result
        return info;
    }
    at::Tensor apply(const at::Tensor& content, const at::Tensor& style, const ParamValues& params) const override {
        return blend(content, style, params.at("alpha"));
    }
};

std::vector<std::unique_ptr<Method>> make_registry() {
    std::vector<std::unique_ptr<Method>> methods;
    methods.push_back(std::make_unique<BlendMethod>());
    methods.push_back(make_reinhard_method());
    methods.push_back(make_monge_kantorovich_method());
    methods.push_back(make_histogram_method());
    methods.push_back(make_fast_style_method());
    methods.push_back(make_adain_method());
    methods.push_back(make_torchscript_method());
    return methods;
}

}  // namespace

const std::vector<std::unique_ptr<Method>>& method_registry() {
    static const std::vector<std::unique_ptr<Method>> registry = make_registry();
    return registry;
}

const Method* find_method(const std::string& name) {
    for (const auto& m : method_registry())
        if (m->info().name == name) return m.get();
    return nullptr;
}

const Method& method_by_name(const std::string& name) {
    if (const Method* m = find_method(name)) return *m;
    std::string known;
    for (const auto& m : method_registry()) known += (known.empty() ? "" : ", ") + m->info().name;
    throw Error("--method " + name, "unknown method (known: " + known + ")");
}

ParamValues default_params(const MethodInfo& info) {
    ParamValues values;
    for (const ParamSpec& p : info.params) values[p.name] = p.default_value;
    return values;
}

ParamValues resolve_params(const MethodInfo& info, const ParamValues& values) {
    ParamValues out = default_params(info);
    for (const auto& [name, value] : values) {
        const ParamSpec* spec = nullptr;
        for (const ParamSpec& p : info.params)
            if (p.name == name) spec = &p;
        std::ostringstream subject;
        subject << "--" << name << " " << value;
        if (!spec) throw Error("--param " + name, "method " + info.name + " has no parameter named " + name);
        if (std::isnan(value) || value < spec->min_value || value > spec->max_value) {
            std::ostringstream range;
            range << spec->label << " must be a number between " << spec->min_value << " and " << spec->max_value;
            throw Error(subject.str(), range.str());
        }
        out[name] = value;
    }
    return out;
}

}  // namespace nt
