#include "core/nets/model_library.h"

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <system_error>

#include "core/error.h"
#include "core/version.h"

namespace nt {

namespace fs = std::filesystem;

namespace {

bool is_file(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
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
        if (it->path().extension() == ext && is_file(it->path())) files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::string names_of(const std::vector<ModelEntry>& entries) {
    std::string names;
    for (const ModelEntry& e : entries) names += (names.empty() ? "" : ", ") + e.name;
    return names.empty() ? "none" : names;
}

}  // namespace

const char* model_kind_folder(ModelKind kind) { return kind == ModelKind::FastStyle ? "fast_style" : "torchscript"; }
const char* model_kind_extension(ModelKind kind) { return kind == ModelKind::FastStyle ? ".safetensors" : ".pt"; }

ModelLibrary scan_models(const fs::path& dir) {
    ModelLibrary lib;
    lib.dir = dir;
    for (const fs::path& file : files_with_extension(dir / model_kind_folder(ModelKind::FastStyle),
                                                         model_kind_extension(ModelKind::FastStyle), lib.notes))
        lib.fast_styles.push_back({ModelKind::FastStyle, file.stem().string(), file});
    for (const fs::path& file : files_with_extension(dir / model_kind_folder(ModelKind::TorchScript),
                                                         model_kind_extension(ModelKind::TorchScript), lib.notes)) {
        fs::path sidecar = file;
        sidecar.replace_extension(".json");
        if (is_file(sidecar)) lib.scripts.push_back({ModelKind::TorchScript, file.stem().string(), file});
        else lib.notes.push_back(file.string() + ": skipped, no sidecar " + sidecar.filename().string());
    }
    const fs::path encoder = dir / "adain" / "vgg_encoder.safetensors";
    const fs::path decoder = dir / "adain" / "decoder.safetensors";
    const bool has_encoder = is_file(encoder), has_decoder = is_file(decoder);
    if (has_encoder && has_decoder) lib.adain = AdainFiles{encoder, decoder};
    else if (has_encoder || has_decoder)
        lib.notes.push_back((dir / "adain").string() + ": AdaIN needs both vgg_encoder.safetensors and "
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
    if (const ModelEntry* e = library.find(kind, name_or_path)) return *e;
    const fs::path path = name_or_path;
    const std::string wanted_ext = model_kind_extension(kind);
    if (path.extension() == wanted_ext) {
        if (!is_file(path)) throw Error(name_or_path, "no such model file");
        return {kind, path.stem().string(), path};
    }
    throw Error("--model " + name_or_path,
                std::string("no such ") + (kind == ModelKind::FastStyle ? "fast style" : "TorchScript") +
                    " model in " + (library.dir / model_kind_folder(kind)).string() + " (has: " +
                    names_of(library.entries(kind)) + "); give a name from there or a " + wanted_ext +
                    " file, see docs/MODELS.md");
}

const AdainFiles& require_adain(const ModelLibrary& library) {
    if (library.adain) return *library.adain;
    throw Error("adain", "no AdaIN model: expected " + (library.dir / "adain" / "vgg_encoder.safetensors").string() +
                             " and decoder.safetensors beside it (tools/convert_weights.py makes them, see "
                             "docs/MODELS.md)");
}

std::string describe_models(const ModelLibrary& library) {
    std::ostringstream os;
    os << "Models in " << library.dir.string() << ":\n";
    os << "  fast_style (--method fast_style --model NAME): " << names_of(library.fast_styles) << '\n';
    os << "  adain (--method adain): "
       << (library.adain ? "encoder and decoder present" : "missing (adain/vgg_encoder.safetensors, adain/decoder.safetensors)")
       << '\n';
    os << "  torchscript (--method torchscript --model NAME): " << names_of(library.scripts) << '\n';
    for (const std::string& note : library.notes) os << "  note: " << note << '\n';
    return os.str();
}

}  // namespace nt
