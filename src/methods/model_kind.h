#pragma once
// The kinds of model file a method can need (MethodInfo::model_kind), with the folder of the
// models folder that holds each and the extension of its files (docs/MODELS.md). Here, below the
// networks, so that the method contract names a kind without knowing how models are loaded
// (nets/model_library.h scans the folders).
namespace nt {

enum class ModelKind { FastStyle, TorchScript, Vgg19, Segmentation };

// "fast_style", "torchscript", "vgg19", "segmentation".
inline const char* model_kind_folder(ModelKind kind) {
    switch (kind) {
        case ModelKind::FastStyle: return "fast_style";
        case ModelKind::TorchScript: return "torchscript";
        case ModelKind::Vgg19: return "vgg19";
        case ModelKind::Segmentation: break;
    }
    return "segmentation";
}

// ".pt" for TorchScript files (image and segmentation models), else ".safetensors".
inline const char* model_kind_extension(ModelKind kind) {
    return kind == ModelKind::TorchScript || kind == ModelKind::Segmentation ? ".pt" : ".safetensors";
}

}  // namespace nt
