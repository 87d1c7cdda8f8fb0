#pragma once
// What --list-models (and the viewer's model lists) say about each model file: its size, the
// format it came from, and whether it loads (the network is built from it, so a file that would
// fail at the first run is named with its reason now).
#include <cstdint>
#include <string>

#include "nets/model_library.h"

namespace nt {

struct ModelReport {
    std::uintmax_t bytes = 0;
    std::string format;   // "converted from .pth", "converted from ONNX", "TorchScript", ...
    std::string detail;   // e.g. the VGG-19's preprocessing, a segmentation model's class count
    std::string problem;  // why it does not load; empty when it does (or was not tried)
};

// `load`: build the network to see that it loads (seconds for a large TorchScript file);
// otherwise only the size and, for .safetensors, the metadata are read.
ModelReport check_model(const ModelEntry& entry, bool load);

// "6.4 MB, converted from .pth, loads" (or "..., will not load: <reason>").
std::string report_text(const ModelReport& report);

}  // namespace nt
