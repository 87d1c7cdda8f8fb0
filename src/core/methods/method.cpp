#include "core/methods/method.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "core/error.h"
#include "core/methods/blend.h"
#include "core/methods/color_methods.h"
#include "core/nets/gatys.h"
#include "core/nets/neural_methods.h"
#include "core/synthesis/patch_distribution.h"
#include "core/synthesis/patch_synthesis.h"

namespace nt {

namespace {

class BlendMethod final : public Method {
public:
    const MethodInfo& info() const override {
        static const MethodInfo info = [] {
            MethodInfo i{
                "blend",
                "Blend",
                "The original workflow: a weighted average, (1 - alpha) * content + alpha * style.",
                {{"alpha", "Style strength", "Weight of the style picture: 0 keeps the content, 1 shows the style.",
                  0.0, 1.0, kDefaultAlpha}},
                false,
                ""};  // alpha weighs the style itself, it does not mix with a cached result
            i.fixed_point_rgba8 = true;
            i.style_pixel_aligned = true;  // a weighted average of the two pictures, pixel by pixel
            return i;
        }();
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
    methods.push_back(make_patch_synthesis_method());
    methods.push_back(make_patch_distribution_method());
    methods.push_back(make_fast_style_method());
    methods.push_back(make_adain_method());
    methods.push_back(make_torchscript_method());
    methods.push_back(make_gatys_method());
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

const Method& method_for_model(const std::string& name_or_path) {
    const std::string ext = std::filesystem::path(name_or_path).extension().string();
    const Method* first = nullptr;
    for (const auto& m : method_registry()) {
        const std::optional<ModelKind>& kind = m->info().model_kind;
        if (!kind) continue;
        if (ext == model_kind_extension(*kind)) return *m;
        if (!first) first = m.get();
    }
    if (!first) throw Error("--model " + name_or_path, "no method reads model files");
    return *first;
}

std::string param_value_text(const ParamSpec& spec, double value) {
    const auto index = static_cast<std::size_t>(value);
    if (!spec.choices.empty() && value >= 0 && index < spec.choices.size() && double(index) == value)
        return spec.choices[index];
    std::ostringstream os;
    os << value;
    return os.str();
}

double parse_param_value(const ParamSpec& spec, const std::string& text) {
    for (std::size_t i = 0; i < spec.choices.size(); ++i)
        if (spec.choices[i] == text) return double(i);
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size()) {
        std::string expected = "a number";
        if (!spec.choices.empty()) {
            expected = "one of";
            for (const std::string& c : spec.choices) expected += " " + c;
        }
        throw Error("--param " + spec.name + "=" + text, "expected " + expected);
    }
    return v;
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
        if ((spec->integer || !spec->choices.empty()) && value != std::floor(value))
            throw Error(subject.str(), spec->label + " must be a whole number");
        out[name] = value;
    }
    return out;
}

}  // namespace nt
