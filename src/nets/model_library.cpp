#include "nets/model_library.h"

#include "nets/adain_net.h"
#include "nets/model_check.h"

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <system_error>

#include "base/error.h"
#include "base/version.h"

namespace nt {

namespace fs = std::filesystem;

namespace {

bool is_file(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

// Why a model path that exists cannot be read as a model file (a folder, or a link to a device
// such as /dev/zero, which would read forever); empty when it is a regular file or absent.
std::string not_a_file_reason(const fs::path& p) {
    std::error_code ec;
    const fs::file_status status = fs::status(p, ec);
    if (ec || !fs::exists(status) || fs::is_regular_file(status)) return {};
    std::string what = fs::is_directory(status) ? "is a folder" : "is not a regular file (a device, pipe or socket)";
    if (fs::is_symlink(fs::symlink_status(p, ec))) {
        const fs::path target = fs::read_symlink(p, ec);
        if (!ec) what += ": a link to " + target.string();
    }
    return what + ", not a model file";
}

// The regular files of `folder` with extension `ext`, sorted; problems become notes.
std::vector<fs::path> files_with_extension(const fs::path& folder, const std::string& ext,
                                           std::vector<std::string>& notes) {
    std::vector<fs::path> files;
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) return files;
    fs::directory_iterator it(folder, ec), end;
    if (ec) {
        notes.push_back(folder.string() + ": cannot list: " + ec.message());
        return files;
    }
    for (; it != end; it.increment(ec)) {
        if (ec) break;
        if (it->path().extension() != ext) continue;
        if (is_file(it->path())) files.push_back(it->path());
        else if (std::string why = not_a_file_reason(it->path()); !why.empty())
            notes.push_back(it->path().string() + ": skipped, " + why);
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::string names_of(const std::vector<ModelEntry>& entries) {
    std::string names;
    for (const ModelEntry& e : entries) names += (names.empty() ? "" : ", ") + e.name;
    return names.empty() ? "none" : names;
}

const char* model_kind_label(ModelKind kind) {
    switch (kind) {
        case ModelKind::FastStyle: return "fast style";
        case ModelKind::TorchScript: return "TorchScript";
        case ModelKind::Vgg19: return "VGG-19";
        case ModelKind::Segmentation: break;
    }
    return "segmentation";
}

}  // namespace

ModelLibrary scan_models(const fs::path& dir) {
    ModelLibrary lib;
    lib.dir = dir;
    for (const fs::path& file : files_with_extension(dir / model_kind_folder(ModelKind::FastStyle),
                                                     model_kind_extension(ModelKind::FastStyle), lib.notes))
        lib.fast_styles.push_back({ModelKind::FastStyle, file.stem().string(), file});
    // TorchScript files, image models and segmentation models alike, need their sidecar.
    for (ModelKind kind : {ModelKind::TorchScript, ModelKind::Segmentation}) {
        std::vector<ModelEntry>& found = kind == ModelKind::TorchScript ? lib.scripts : lib.segmenters;
        for (const fs::path& file :
             files_with_extension(dir / model_kind_folder(kind), model_kind_extension(kind), lib.notes)) {
            fs::path sidecar = file;
            sidecar.replace_extension(".json");
            if (is_file(sidecar)) found.push_back({kind, file.stem().string(), file});
            else lib.notes.push_back(file.string() + ": skipped, no sidecar " + sidecar.filename().string());
        }
    }
    for (const fs::path& file : files_with_extension(dir / model_kind_folder(ModelKind::Vgg19),
                                                     model_kind_extension(ModelKind::Vgg19), lib.notes))
        lib.vgg19s.push_back({ModelKind::Vgg19, file.stem().string(), file});
    const fs::path encoder = dir / "adain" / "vgg_encoder.safetensors";
    const fs::path decoder = dir / "adain" / "decoder.safetensors";
    for (const fs::path& half : {encoder, decoder})
        if (std::string why = not_a_file_reason(half); !why.empty()) lib.notes.push_back(half.string() + ": " + why);
    const bool has_encoder = is_file(encoder), has_decoder = is_file(decoder);
    if (has_encoder && has_decoder) lib.adain = AdainFiles{encoder, decoder};
    else if (has_encoder || has_decoder)
        lib.notes.push_back((dir / "adain").string() +
                            ": AdaIN needs both vgg_encoder.safetensors and "
                            "decoder.safetensors, " +
                            (has_encoder ? decoder : encoder).filename().string() + " is missing");
    return lib;
}

fs::path resolve_models_dir(const fs::path& explicit_dir) {
    if (!explicit_dir.empty()) return explicit_dir;
    if (const char* env = std::getenv("NEURALTRANSFER_MODELS"); env && *env) return env;
    std::error_code ec;
    if (fs::is_directory("models", ec)) return "models";
    return kSourceModelsDir;
}

ModelEntry find_model(const ModelLibrary& library, ModelKind kind, const std::string& name_or_path) {
    // No name: the only model of its kind (Gatys' VGG-19 is usually one file).
    if (name_or_path.empty() && !library.entries(kind).empty()) return library.entries(kind).front();
    if (const ModelEntry* e = library.find(kind, name_or_path)) return *e;
    const fs::path path = name_or_path;
    const std::string wanted_ext = model_kind_extension(kind);
    // A name whose file in the models folder was skipped: say why rather than "no such model".
    const fs::path in_library = library.dir / model_kind_folder(kind) / (name_or_path + wanted_ext);
    if (std::string why = not_a_file_reason(in_library); !why.empty()) throw Error(in_library.string(), why);
    if (path.extension() == wanted_ext) {
        if (std::string why = not_a_file_reason(path); !why.empty()) throw Error(name_or_path, why);
        if (!is_file(path)) throw Error(name_or_path, "no such model file");
        return {kind, path.stem().string(), path};
    }
    throw Error("--model " + name_or_path,
                std::string("no such ") + model_kind_label(kind) + " model in " +
                    (library.dir / model_kind_folder(kind)).string() + " (has: " + names_of(library.entries(kind)) +
                    "); give a name from there or a " + wanted_ext + " file, see docs/MODELS.md");
}

const AdainFiles& require_adain(const ModelLibrary& library) {
    if (library.adain) return *library.adain;
    for (const char* half : {"vgg_encoder.safetensors", "decoder.safetensors"}) {
        const fs::path path = library.dir / "adain" / half;
        if (std::string why = not_a_file_reason(path); !why.empty()) throw Error(path.string(), why);
    }
    throw Error("adain", "no AdaIN model: expected " + (library.dir / "adain" / "vgg_encoder.safetensors").string() +
                             " and decoder.safetensors beside it (tools/convert_weights.py makes them, see "
                             "docs/MODELS.md)");
}

std::string describe_models(const ModelLibrary& library) {
    std::ostringstream os;
    os << "Models in " << library.dir.string() << ":\n";
    struct Kind {
        const char* title;
        const std::vector<ModelEntry>* entries;
    };
    const Kind kinds[] = {{"fast_style (--method fast_style --model NAME)", &library.fast_styles},
                          {"torchscript (--method torchscript --model NAME)", &library.scripts},
                          {"vgg19 (--method gatys [--model NAME])", &library.vgg19s},
                          {"segmentation (--mask-classes NAME,... [--segmentation-model NAME])", &library.segmenters}};
    for (const Kind& k : kinds) {
        os << "  " << k.title << ": " << (k.entries->empty() ? "none" : "") << '\n';
        for (const ModelEntry& e : *k.entries)
            os << "    " << e.name << ": " << report_text(check_model(e, true)) << '\n';
    }
    os << "  adain (--method adain): ";
    if (!library.adain) {
        os << "missing (adain/vgg_encoder.safetensors, adain/decoder.safetensors)\n";
    } else {
        try {
            load_vgg_encoder(library.adain->encoder);
            load_adain_decoder(library.adain->decoder);
            os << "encoder and decoder present, load\n";
        } catch (const std::exception& e) {
            os << "will not load: " << e.what() << '\n';
        }
    }
    for (const std::string& note : library.notes) os << "  note: " << note << '\n';
    return os.str();
}

}  // namespace nt
