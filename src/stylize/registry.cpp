#include "stylize/registry.h"

#include <filesystem>

#include "base/error.h"
#include "methods/color_methods.h"
#include "nets/gatys.h"
#include "nets/neural_methods.h"
#include "synthesis/patch_distribution.h"
#include "synthesis/patch_synthesis.h"

namespace nt {

namespace {

std::vector<std::unique_ptr<Method>> make_registry() {
    std::vector<std::unique_ptr<Method>> methods;
    methods.push_back(make_blend_method());
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

}  // namespace nt
