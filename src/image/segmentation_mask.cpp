#include "image/segmentation_mask.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cstdlib>

#include "base/error.h"

namespace nt {

std::vector<int> class_indices(const std::vector<std::string>& classes, const std::vector<std::string>& wanted) {
    std::vector<int> out;
    for (const std::string& w : wanted) {
        int index = -1;
        const auto it = std::find(classes.begin(), classes.end(), w);
        if (it != classes.end()) index = int(it - classes.begin());
        else if (!w.empty() && w.find_first_not_of("0123456789") == std::string::npos && w.size() < 6 &&
                 std::atoi(w.c_str()) < int(classes.size()))
            index = std::atoi(w.c_str());
        if (index < 0) {
            std::string known;
            for (const std::string& c : classes) known += (known.empty() ? "" : ", ") + c;
            throw Error("--mask-classes " + w, "the segmentation model has no such class (" + known + ")");
        }
        if (std::find(out.begin(), out.end(), index) == out.end()) out.push_back(index);
    }
    if (out.empty()) throw Error("--mask-classes", "no class given");
    return out;
}

at::Tensor class_mask(const at::Tensor& probabilities, const std::vector<int>& classes, bool invert) {
    if (probabilities.dim() != 4 || probabilities.size(0) != 1) throw Error("class_mask: expects [1, C, H, W]");
    std::vector<std::int64_t> idx(classes.begin(), classes.end());
    for (std::int64_t i : idx)
        if (i < 0 || i >= probabilities.size(1))
            throw Error("class_mask: class " + std::to_string(i) + " out of range");
    const at::Tensor chosen =
        probabilities.index_select(1, at::tensor(idx, at::TensorOptions().dtype(at::kLong)).to(probabilities.device()));
    const at::Tensor m = chosen.sum(1, true).clamp(0.0, 1.0);
    return (invert ? 1.0 - m : m).contiguous();
}

std::vector<double> class_shares(const at::Tensor& probabilities) {
    const at::Tensor mean = probabilities.mean({0, 2, 3}).to(at::kCPU, at::kDouble).contiguous();
    return std::vector<double>(mean.data_ptr<double>(), mean.data_ptr<double>() + mean.numel());
}

}  // namespace nt
