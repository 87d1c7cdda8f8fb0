#include "methods/method.h"

#include <cmath>
#include <cstdlib>
#include <sstream>

#include "base/error.h"

namespace nt {

TileNetwork Method::tile_network(const at::Tensor&, const at::Tensor&, const ParamValues&, const RunContext&) const {
    throw Error(info().name, "does not run on tiles (the networks do)");
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
