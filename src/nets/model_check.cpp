#include "nets/model_check.h"

#include <cstdio>
#include <filesystem>
#include <sstream>

#include "base/error.h"
#include "nets/adain_net.h"
#include "nets/script_model.h"
#include "nets/transformer_net.h"
#include "nets/vgg19.h"
#include "nets/safetensors.h"

namespace nt {

namespace {

std::string format_of(const SafetensorsFile& file) {
    const auto it = file.metadata.find("format");
    if (it == file.metadata.end()) return "safetensors";
    if (it->second == "pt") return "converted from .pth";
    if (it->second == "onnx") return "converted from ONNX";
    return "safetensors (" + it->second + ")";
}

std::string vgg_detail(VggLayout layout) {
    switch (layout) {
        case VggLayout::Torchvision: return "torchvision preprocessing (RGB 0..1, ImageNet mean and std)";
        case VggLayout::Caffe: return "caffe preprocessing (BGR 0..255 minus the Caffe mean)";
        case VggLayout::Normalised: break;
    }
    return "normalised VGG (AdaIN's vgg_normalised: RGB 0..1, reflection padding)";
}

// Fills what loading `entry` tells; throws what loading throws.
void inspect(const ModelEntry& entry, bool load, ModelReport& r) {
    if (entry.kind == ModelKind::TorchScript || entry.kind == ModelKind::Segmentation) {
        r.format = "TorchScript";
        if (!load) return;
        const ScriptModel model(entry.path);
        const std::size_t classes = model.sidecar().classes.size();
        if (entry.kind == ModelKind::Segmentation && classes == 0)
            throw Error(entry.path.string(), "its sidecar names no \"classes\"");
        if (entry.kind == ModelKind::TorchScript && classes > 0)
            throw Error(entry.path.string(),
                        "a segmentation model (its sidecar names classes): put it in segmentation/");
        r.detail = classes ? std::to_string(classes) + " classes" : model.sidecar().label;
        return;
    }
    const SafetensorsFile file = read_safetensors(entry.path);
    r.format = format_of(file);
    if (entry.kind == ModelKind::Vgg19) r.detail = vgg_detail(detect_vgg_layout(file, entry.path.string()));
    if (!load) return;
    if (entry.kind == ModelKind::Vgg19) load_vgg19(entry.path);
    else load_transformer_net(entry.path);
}

}  // namespace

ModelReport check_model(const ModelEntry& entry, bool load) {
    ModelReport r;
    std::error_code ec;
    r.bytes = std::filesystem::file_size(entry.path, ec);
    try {
        inspect(entry, load, r);
    } catch (const std::exception& e) {
        r.problem = e.what();
    }
    return r;
}

std::string report_text(const ModelReport& r) {
    char size[32];
    std::snprintf(size, sizeof size, "%.1f MB", double(r.bytes) / 1e6);
    std::string text = std::string(size) + ", " + (r.format.empty() ? "unknown format" : r.format);
    if (!r.detail.empty()) text += ", " + r.detail;
    text += r.problem.empty() ? ", loads" : ", will not load: " + r.problem;
    return text;
}

}  // namespace nt
