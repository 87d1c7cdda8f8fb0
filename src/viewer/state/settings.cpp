#include "viewer/state/settings.h"

#include <cerrno>
#include <cstdio>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "base/error.h"
#include "imageio/atomic_file.h"
#include "image/mask.h"
#include "stylize/registry.h"

namespace nt::viewer {

namespace {

constexpr int kFormatVersion = 1;

const char* preset_name(SizePreset p) {
    switch (p) {
        case SizePreset::Side256: return "256";
        case SizePreset::Side512: return "512";
        case SizePreset::Side1024: return "1024";
        case SizePreset::Original: return "original";
        case SizePreset::Custom: return "custom";
    }
    return "512";
}

std::optional<SizePreset> preset_from_name(const std::string& s) {
    for (SizePreset p :
         {SizePreset::Side256, SizePreset::Side512, SizePreset::Side1024, SizePreset::Original, SizePreset::Custom})
        if (s == preset_name(p)) return p;
    return std::nullopt;
}

bool parse_bool(const std::string& s) {
    if (s == "1" || s == "true") return true;
    if (s == "0" || s == "false") return false;
    throw Error("expected 0 or 1, got \"" + s + "\"");
}

long parse_int(const std::string& s, long lo, long hi) {
    char* end = nullptr;
    errno = 0;
    const long v = std::strtol(s.c_str(), &end, 10);
    if (s.empty() || *end != '\0' || errno != 0 || v < lo || v > hi)
        throw Error("expected a whole number between " + std::to_string(lo) + " and " + std::to_string(hi) +
                    ", got \"" + s + "\"");
    return v;
}

double parse_double(const std::string& s) {
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (s.empty() || *end != '\0' || !std::isfinite(v)) throw Error("expected a number, got \"" + s + "\"");
    return v;
}

// "param.<method>.<name>": values of unknown methods or parameters are dropped, known ones checked.
void apply_param(ViewerSettings& s, const std::string& key, const std::string& value) {
    const std::string rest = key.substr(6);
    const auto dot = rest.find('.');
    if (dot == std::string::npos) throw Error("expected param.<method>.<name>");
    const Method* method = find_method(rest.substr(0, dot));
    if (!method) return;
    const std::string name = rest.substr(dot + 1);
    for (const ParamSpec& spec : method->info().params) {
        if (spec.name != name) continue;
        // A named choice by its name (older files hold its index, which parses as a number).
        const double v = spec.choices.empty() ? parse_double(value) : parse_param_value(spec, value);
        if (v < spec.min_value || v > spec.max_value) throw Error(name + " out of range: " + value);
        s.controls.params[method->info().name][name] = v;
    }
}

// The lines of what is computed: pictures, method, parameters, models, size, device. False: not one of them.
bool apply_job_line(ViewerSettings& s, const std::string& key, const std::string& value) {
    ControlValues& c = s.controls;
    if (key == "version") {
        if (parse_int(value, 1, 1000000) > kFormatVersion)
            throw Error("written by a newer viewer (version " + value + ")");
    } else if (key == "content") {
        s.content_path = value;
    } else if (key == "style") {
        s.style_path = value;
    } else if (key == "method") {
        if (!find_method(value)) throw Error("unknown method \"" + value + "\"");
        c.method = value;
    } else if (key.rfind("param.", 0) == 0) {
        apply_param(s, key, value);
    } else if (key.rfind("model.", 0) == 0) {
        // model.<method>=<name>: a missing model is reported by the viewer when used, not here.
        const std::string method = key.substr(6);
        const Method* m = find_method(method);
        if (!m || !m->info().model_kind) throw Error("unknown model setting \"" + key + "\"");
        c.models[method] = value;
    } else if (key == "segmentation_model") {
        c.segmentation_model = value;  // one this folder lacks falls back when used (chosen_segmentation_model)
    } else if (key == "size") {
        const auto preset = preset_from_name(value);
        if (!preset) throw Error("unknown size \"" + value + "\"");
        c.size_preset = *preset;
    } else if (key == "keep_aspect") {
        c.keep_aspect = parse_bool(value);
    } else if (key == "custom_width") {
        c.custom_width = static_cast<int>(parse_int(value, 1, 32768));
    } else if (key == "custom_height") {
        c.custom_height = static_cast<int>(parse_int(value, 1, 32768));
    } else if (key == "device") {
        const DeviceChoice d = parse_device_choice(value);  // throws for unknown names
        c.device = d == DeviceChoice::Cuda ? DeviceChoice::Cuda : DeviceChoice::Cpu;
    } else if (key == "precision") {
        const Precision p = parse_precision(value);  // throws for unknown names
        if (p == Precision::Bf16 && !cpu_bf16_support().any())
            throw Error("precision bf16: this CPU has no native bf16");
        c.precision = p;
    } else {
        return false;
    }
    return true;
}

// The lines of how it looks and where files go: finishing, brush, mask, window, folders.
void apply_view_line(ViewerSettings& s, const std::string& key, const std::string& value) {
    ControlValues& c = s.controls;
    if (key == "preserve_colors") {
        c.preserve_colors = parse_bool(value);
    } else if (key == "feather") {
        const double v = parse_double(value);
        if (v < 0 || v > kMaxFeatherPx) throw Error("feather out of range: " + value);
        c.feather_px = v;
    } else if (key == "brush_size") {
        const double v = parse_double(value);
        if (v < kMinBrushSize || v > kMaxBrushSize) throw Error("brush_size out of range: " + value);
        c.brush_size = static_cast<float>(v);
    } else if (key == "brush_hardness") {
        const double v = parse_double(value);
        if (v < 0 || v > 1) throw Error("brush_hardness out of range: " + value);
        c.brush_hardness = static_cast<float>(v);
    } else if (key == "extra_style_weight" || key == "style2_weight") {  // style2_weight: its older name
        const double v = parse_double(value);
        if (v < 0 || v > 1) throw Error(key + " out of range: " + value);
        c.extra_style_weight = v;
    } else if (key == "mask_overlay") {
        s.mask_overlay = parse_bool(value);
    } else if (key == "recent") {
        if (!value.empty() && s.recent_files.size() < kMaxRecentFiles) s.recent_files.push_back(value);
    } else if (key == "wipe") {
        s.wipe_enabled = parse_bool(value);
    } else if (key == "show_ui") {
        s.show_ui = parse_bool(value);
    } else if (key == "window_width") {
        s.window_width = static_cast<int>(parse_int(value, 0, 32768));
    } else if (key == "window_height") {
        s.window_height = static_cast<int>(parse_int(value, 0, 32768));
    } else if (key == "mask_content") {
        s.mask_content = value;
    } else if (key == "mask_enabled") {
        s.mask_enabled = parse_bool(value);
    } else if (key == "export_dir") {
        s.export_dir = value;
    } else if (key == "models_dir") {
        s.models_dir = value;
    }
    // Anything else: a key from a newer viewer, skipped.
}

void apply_line(ViewerSettings& s, const std::string& key, const std::string& value) {
    if (!apply_job_line(s, key, value)) apply_view_line(s, key, value);
}

}  // namespace

namespace {

// The shortest decimal that reads back as exactly `v`: "0.4", not the "0.40000000596046448" of a
// float slider's value at 17 digits.
std::string shortest(double v) {
    char text[40];
    for (int digits = 6; digits <= 17; ++digits) {
        std::snprintf(text, sizeof text, "%.*g", digits, v);
        if (std::strtod(text, nullptr) == v) break;
    }
    return text;
}

// A float (the brush's values) at float precision: "0.8", not 0.800000011920929.
std::string shortest(float v) {
    char text[40];
    for (int digits = 6; digits <= 9; ++digits) {
        std::snprintf(text, sizeof text, "%.*g", digits, double(v));
        if (std::strtof(text, nullptr) == v) break;
    }
    return text;
}

std::string param_text(const std::string& method, const std::string& name, double value) {
    if (const Method* m = find_method(method))
        for (const ParamSpec& spec : m->info().params)
            if (spec.name == name && !spec.choices.empty()) return param_value_text(spec, value);
    // A float slider's value (exactly a float) is written as the float it is: "0.4".
    const float as_float = static_cast<float>(value);
    return double(as_float) == value ? shortest(as_float) : shortest(value);
}

}  // namespace

std::string format_settings(const ViewerSettings& s) {
    std::ostringstream os;
    os.precision(17);  // what is not written through shortest() round-trips exactly
    const ControlValues& c = s.controls;
    os << "# neuraltransfer-viewer settings, rewritten on exit\n";
    os << "version=" << kFormatVersion << "\n";
    os << "content=" << s.content_path << "\n";
    os << "style=" << s.style_path << "\n";
    os << "method=" << c.method << "\n";
    for (const auto& [method, values] : c.params)
        for (const auto& [name, value] : values)
            os << "param." << method << "." << name << "=" << param_text(method, name, value) << "\n";
    for (const auto& [method, name] : c.models) os << "model." << method << "=" << name << "\n";
    if (!c.segmentation_model.empty()) os << "segmentation_model=" << c.segmentation_model << "\n";
    os << "size=" << preset_name(c.size_preset) << "\n";
    os << "keep_aspect=" << (c.keep_aspect ? 1 : 0) << "\n";
    os << "custom_width=" << c.custom_width << "\n";
    os << "custom_height=" << c.custom_height << "\n";
    os << "device=" << to_string(c.device) << "\n";
    os << "precision=" << to_string(c.precision) << "\n";
    os << "preserve_colors=" << (c.preserve_colors ? 1 : 0) << "\n";
    os << "feather=" << shortest(c.feather_px) << "\n";
    os << "brush_size=" << shortest(c.brush_size) << "\n";
    os << "brush_hardness=" << shortest(c.brush_hardness) << "\n";
    os << "extra_style_weight=" << shortest(c.extra_style_weight) << "\n";
    os << "mask_overlay=" << (s.mask_overlay ? 1 : 0) << "\n";
    os << "wipe=" << (s.wipe_enabled ? 1 : 0) << "\n";
    os << "show_ui=" << (s.show_ui ? 1 : 0) << "\n";
    os << "window_width=" << s.window_width << "\n";
    os << "window_height=" << s.window_height << "\n";
    os << "mask_content=" << s.mask_content << "\n";
    os << "mask_enabled=" << (s.mask_enabled ? 1 : 0) << "\n";
    os << "export_dir=" << s.export_dir << "\n";
    os << "models_dir=" << s.models_dir << "\n";
    for (const std::string& path : s.recent_files) os << "recent=" << path << "\n";
    return os.str();
}

ViewerSettings parse_settings(const std::string& text, std::vector<std::string>* problems) {
    ViewerSettings s;
    std::istringstream in(text);
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        const auto eq = line.find('=');
        try {
            if (eq == std::string::npos || eq == 0) throw Error("expected key=value");
            if (line.find('\0') != std::string::npos) throw Error("binary data");
            // On a parse error nothing of the line is applied: apply_line sets values last.
            apply_line(s, line.substr(0, eq), line.substr(eq + 1));
        } catch (const Error& e) {
            const std::string problem = "line " + std::to_string(number) + ": " + e.what();
            if (!problems) throw Error(problem);
            problems->push_back(problem);
        }
    }
    // Paths in the settings do not count as recent unless listed; keep the list duplicate-free.
    std::vector<std::string> recent;
    for (auto it = s.recent_files.rbegin(); it != s.recent_files.rend(); ++it) remember_recent(recent, *it);
    s.recent_files = recent;
    return s;
}

std::filesystem::path settings_dir() {
    const char* xdg = std::getenv("XDG_CONFIG_HOME");
    if (xdg && *xdg == '/') return std::filesystem::path(xdg) / "neuraltransfer";
    const char* home = std::getenv("HOME");
    if (home && *home) return std::filesystem::path(home) / ".config" / "neuraltransfer";
    return {};
}

std::optional<std::string> read_text_file(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return std::nullopt;
    if (!std::filesystem::is_regular_file(path, ec)) throw Error(path.string(), "not a regular file");
    if (std::filesystem::file_size(path, ec) > (1u << 20)) throw Error(path.string(), "larger than 1 MiB");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path.string(), std::strerror(errno));
    std::ostringstream os;
    os << in.rdbuf();
    return os.str();
}

void write_text_file_atomically(const std::filesystem::path& path, const std::string& text) {
    std::error_code ec;
    if (!path.parent_path().empty()) std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) throw Error(path.parent_path().string(), ec.message());
    write_file_atomically(path, std::vector<std::uint8_t>(text.begin(), text.end()));
}

LoadedSettings load_settings_file(const std::filesystem::path& path) {
    LoadedSettings loaded;
    try {
        const auto text = read_text_file(path);
        if (text) loaded.settings = parse_settings(*text, &loaded.problems);
    } catch (const std::exception& e) {
        const std::string what = e.what();
        loaded.error = what.rfind(path.string(), 0) == 0 ? what : path.string() + ": " + what;
    }
    return loaded;
}

std::filesystem::path keep_copy(const std::filesystem::path& path) {
    for (int n = 1; n < 1000; ++n) {
        std::filesystem::path copy = path;
        copy += n == 1 ? ".bad" : ".bad-" + std::to_string(n);
        std::error_code ec;
        if (std::filesystem::symlink_status(copy, ec).type() != std::filesystem::file_type::not_found) continue;
        // A hard link keeps the very bytes (rewriting `path` renames a new file over it); a copy
        // where the filesystem has none. Neither replaces an existing name.
        std::filesystem::create_hard_link(path, copy, ec);
        if (ec) std::filesystem::copy_file(path, copy, std::filesystem::copy_options::none, ec);
        if (!ec) return copy;
        if (std::filesystem::exists(copy)) continue;  // taken meanwhile: the next name
        throw Error(path.string(), "cannot keep a copy: " + ec.message());
    }
    throw Error(path.string(), "cannot keep a copy: too many earlier copies");
}

void save_settings_file(const std::filesystem::path& path, const ViewerSettings& settings) {
    write_text_file_atomically(path, format_settings(settings));
}

}  // namespace nt::viewer
