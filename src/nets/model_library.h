#pragma once
// The models a user has: a folder scanned once (nothing is loaded until a model is used), laid
// out as docs/MODELS.md describes:
//   models/fast_style/<name>.safetensors      one feed-forward network per style (TransformerNet)
//   models/adain/vgg_encoder.safetensors      the AdaIN encoder (VGG-19 up to relu4_1)
//   models/adain/decoder.safetensors          and its decoder
//   models/torchscript/<name>.pt + <name>.json any image-to-image TorchScript module and its sidecar
//   models/vgg19/<name>.safetensors           a VGG-19 for Gatys' neural style (nets/vgg19.h)
//   models/segmentation/<name>.pt + .json     a TorchScript segmentation model and its sidecar naming
//                                             its classes (masks from classes: image/segmentation_mask.h)
// Which folder: --models DIR, else $NEURALTRANSFER_MODELS, else ./models, else the source tree's
// models/ (so a build run from anywhere finds the models next to the checkout).
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "methods/model_kind.h"

namespace nt {

struct ModelEntry {
    ModelKind kind = ModelKind::FastStyle;
    std::string name;            // the file stem: "candy"
    std::filesystem::path path;  // the .safetensors or .pt file
};

struct AdainFiles {
    std::filesystem::path encoder;
    std::filesystem::path decoder;
};

struct ModelLibrary {
    std::filesystem::path dir;            // the folder scanned (may not exist)
    std::vector<ModelEntry> fast_styles;  // sorted by name
    std::vector<ModelEntry> scripts;      // sorted by name; only those with a .json sidecar
    std::vector<ModelEntry> vgg19s;       // sorted by name
    std::vector<ModelEntry> segmenters;   // sorted by name; only those with a .json sidecar
    std::optional<AdainFiles> adain;      // both files present
    std::vector<std::string> notes;       // what was skipped and why, for --list-models and the viewer

    const std::vector<ModelEntry>& entries(ModelKind kind) const {
        switch (kind) {
            case ModelKind::FastStyle: return fast_styles;
            case ModelKind::TorchScript: return scripts;
            case ModelKind::Vgg19: return vgg19s;
            case ModelKind::Segmentation: break;
        }
        return segmenters;
    }
    // The entry of that kind with that name, or nullptr.
    const ModelEntry* find(ModelKind kind, const std::string& name) const {
        for (const ModelEntry& e : entries(kind))
            if (e.name == name) return &e;
        return nullptr;
    }
};

// Lists `dir` as above. Never throws: an unreadable folder, a .pt without its sidecar or half an
// AdaIN pair becomes a note.
ModelLibrary scan_models(const std::filesystem::path& dir);

// The folder used when none is given (see the top of this file); `explicit_dir` wins when not empty.
std::filesystem::path resolve_models_dir(const std::filesystem::path& explicit_dir = {});

// The model `name_or_path` of `kind`: a name in the library, or a path to a file (a .safetensors
// for fast style, a .pt with its .json for TorchScript). Throws nt::Error listing the names the
// library has when there is no such model.
ModelEntry find_model(const ModelLibrary& library, ModelKind kind, const std::string& name_or_path);

// The folder the AdaIN method needs; throws nt::Error explaining where the two files go.
const AdainFiles& require_adain(const ModelLibrary& library);

// The human-readable listing for --list-models.
std::string describe_models(const ModelLibrary& library);

}  // namespace nt
