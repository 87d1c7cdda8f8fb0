#include "nets/load_weights.h"

#include <set>
#include <sstream>
#include <utility>
#include <vector>

#include <ATen/ATen.h>
#include <torch/csrc/autograd/grad_mode.h>

#include "base/error.h"

namespace nt {

namespace {

// The module's state_dict entries, in registration order (undefined tensors, e.g. the running
// stats an InstanceNorm without track_running_stats registers as placeholders, are not part of
// it, just as PyTorch's state_dict leaves out None buffers).
std::vector<std::pair<std::string, at::Tensor>> state_entries(const torch::nn::Module& module) {
    std::vector<std::pair<std::string, at::Tensor>> entries;
    for (const auto& item : module.named_parameters(/*recurse=*/true))
        if (item.value().defined()) entries.emplace_back(item.key(), item.value());
    for (const auto& item : module.named_buffers(/*recurse=*/true))
        if (item.value().defined()) entries.emplace_back(item.key(), item.value());
    return entries;
}

}  // namespace

std::vector<std::string> state_dict_keys(const torch::nn::Module& module) {
    std::vector<std::string> keys;
    for (auto& [key, tensor] : state_entries(module)) keys.push_back(key);
    return keys;
}

std::string shape_text(at::IntArrayRef sizes) {
    std::ostringstream out;
    out << '[';
    for (std::size_t i = 0; i < sizes.size(); ++i) out << (i ? ", " : "") << sizes[i];
    out << ']';
    return out.str();
}

void load_weights(torch::nn::Module& module, const SafetensorsFile& file, const std::string& name) {
    const auto entries = state_entries(module);
    std::set<std::string> expected;
    for (const auto& [key, tensor] : entries) expected.insert(key);
    check_keys(file, expected, name);

    // Validate and convert everything before touching the module, so a bad file leaves it as is.
    std::vector<at::Tensor> converted;
    converted.reserve(entries.size());
    for (const auto& [key, target] : entries) {
        const at::Tensor& source = file.tensors.at(key);
        if (source.sizes() != target.sizes())
            throw Error(name, key + ": shape " + shape_text(target.sizes()) + " expected, file has " +
                                  shape_text(source.sizes()));
        const at::ScalarType stype = source.scalar_type();
        if (stype != at::kHalf && stype != at::kBFloat16 && stype != at::kFloat && stype != at::kDouble)
            throw Error(name, key + ": dtype " + std::string(c10::toString(stype)) +
                                  " is not a floating-point type (F16, BF16, F32 or F64 expected)");
        // Converted on the CPU first: a value that only overflows in the module's dtype (1e300
        // in an F64 file loaded into a float module) is caught as well.
        at::Tensor value = source.to(target.scalar_type());
        if (!at::isfinite(value).all().item<bool>()) {
            if (!at::isfinite(source).all().item<bool>())
                throw Error(name, key + ": non-finite values (NaN or infinity)");
            throw Error(name, key + ": values out of range for " + std::string(c10::toString(target.scalar_type())));
        }
        converted.push_back(std::move(value));
    }

    torch::NoGradGuard no_grad;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        at::Tensor target = entries[i].second;  // shares the module's storage
        target.copy_(converted[i]);
    }
}

}  // namespace nt
