#include "nets/script_model.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <sstream>
#include <utility>
#include <vector>

#include <ATen/ATen.h>
#include <c10/util/Exception.h>
#include <nlohmann/json.hpp>
#include <torch/utils.h>
#include <torch/csrc/jit/api/module.h>
#include <torch/csrc/jit/serialization/import.h>

#include "base/error.h"
#include "nets/cpu_autocast.h"
#include "nets/load_weights.h"
#include "base/strict_json.h"

namespace nt {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr std::uintmax_t kMaxSidecarBytes = 1 << 20;  // a real sidecar is a few hundred bytes
constexpr int kMaxJsonDepth = 4;                      // a valid sidecar nests 2 deep (root, array)
constexpr std::size_t kMaxShownChars = 300;           // of a message from LibTorch or nlohmann
constexpr std::size_t kMaxClasses = 1024;

// Thrown inside the sidecar parser; becomes nt::Error(name, reason) at the boundary.
struct SidecarRejected {
    std::string reason;
};

// Text from a file or from LibTorch, made fit for a one-line message: control bytes and bytes
// that are not UTF-8 become '?', and it is cut after `max_chars` bytes.
std::string printable(const std::string& s, std::size_t max_chars) {
    std::string out;
    std::size_t i = 0;
    while (i < s.size() && out.size() < max_chars) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t len = c < 0x80                   ? 1
                          : (c >= 0xc2 && c <= 0xdf) ? 2
                          : (c >= 0xe0 && c <= 0xef) ? 3
                          : (c >= 0xf0 && c <= 0xf4) ? 4
                                                     : 0;
        for (std::size_t k = 1; k < len; ++k)
            if (i + k >= s.size() || (static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) len = 0;
        if (len == 0 || c < 0x20 || c == 0x7f) {
            out += '?';
            ++i;
        } else {
            out.append(s, i, len);
            i += len;
        }
    }
    if (i < s.size()) out += "...";
    return out;
}

// Keys come from the file: quoted, printable and short.
std::string quoted(const std::string& s) { return "\"" + printable(s, 40) + "\""; }

std::string number_text(double v) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", v);
    return buffer;
}

json parse_json(const std::string& text) {
    try {
        return parse_strict_json(text.data(), text.size(), kMaxJsonDepth);
    } catch (const JsonRejected& e) {
        switch (e.problem) {
            case JsonRejected::Problem::TooDeep: throw SidecarRejected{"JSON is nested too deeply for a model sidecar"};
            case JsonRejected::Problem::DuplicateKey: throw SidecarRejected{"duplicate key " + quoted(e.detail)};
            default: throw SidecarRejected{"not valid JSON: " + printable(e.detail, kMaxShownChars)};
        }
    }
}

double finite_number(const json& value, const std::string& what) {
    // Booleans are not numbers here, although nlohmann would convert them.
    if (!value.is_number()) throw SidecarRejected{what + " is not a number"};
    const double v = value.get<double>();
    if (!std::isfinite(v)) throw SidecarRejected{what + " is not a finite number"};
    return v;
}

template <std::size_t N>
std::array<double, N> number_array(const json& value, const std::string& key, const char* shape) {
    const std::string what = quoted(key);
    if (!value.is_array() || value.size() != N)
        throw SidecarRejected{what + " must be an array of " + std::to_string(N) + " numbers " + shape};
    std::array<double, N> out{};
    for (std::size_t i = 0; i < N; ++i) out[i] = finite_number(value[i], what + " element " + std::to_string(i));
    return out;
}

std::array<double, 2> range(const json& value, const std::string& key) {
    const std::array<double, 2> r = number_array<2>(value, key, "[lo, hi]");
    if (!(r[0] < r[1]))
        throw SidecarRejected{quoted(key) + " [" + number_text(r[0]) + ", " + number_text(r[1]) +
                              "] must have lo < hi"};
    if (!std::isfinite(r[1] - r[0])) throw SidecarRejected{quoted(key) + " is too wide"};
    return r;
}

// A segmentation model's "classes": 2 .. kMaxClasses distinct, non-empty, printable names.
std::vector<std::string> class_names(const json& value) {
    if (!value.is_array() || value.size() < 2 || value.size() > kMaxClasses)
        throw SidecarRejected{"\"classes\" must be an array of 2 to " + std::to_string(kMaxClasses) + " class names"};
    std::vector<std::string> names;
    for (std::size_t i = 0; i < value.size(); ++i) {
        const json& v = value[i];
        if (!v.is_string() || v.get_ref<const std::string&>().empty() || v.get_ref<const std::string&>().size() > 64 ||
            printable(v.get_ref<const std::string&>(), 64) != v.get_ref<const std::string&>())
            throw SidecarRejected{"\"classes\" element " + std::to_string(i) +
                                  " must be a printable name of 1 to 64 bytes"};
        if (std::find(names.begin(), names.end(), v.get<std::string>()) != names.end())
            throw SidecarRejected{"\"classes\" names " + quoted(v.get<std::string>()) + " twice"};
        names.push_back(v.get<std::string>());
    }
    return names;
}

ScriptSidecar parse_sidecar_unchecked(const std::string& text) {
    const json root = parse_json(text);
    if (!root.is_object()) throw SidecarRejected{"the sidecar must be a JSON object"};
    static const std::set<std::string> kKnown = {"input_range", "output_range", "mean",   "std",
                                                 "channels",    "name",         "classes"};
    for (const auto& item : root.items())
        if (!kKnown.count(item.key()))
            throw SidecarRejected{"unknown key " + quoted(item.key()) +
                                  " (known: input_range, output_range, mean, std, channels, name, classes)"};

    ScriptSidecar s;
    const auto input = root.find("input_range");
    if (input == root.end()) throw SidecarRejected{"missing \"input_range\" (e.g. [0, 1] or [0, 255])"};
    s.input_range = range(*input, "input_range");
    const auto output = root.find("output_range");
    s.output_range = output == root.end() ? s.input_range : range(*output, "output_range");

    const auto mean = root.find("mean");
    const auto std = root.find("std");
    if ((mean == root.end()) != (std == root.end()))
        throw SidecarRejected{mean == root.end() ? "\"std\" is given without \"mean\" (give both or neither)"
                                                 : "\"mean\" is given without \"std\" (give both or neither)"};
    if (mean != root.end()) {
        s.has_normalisation = true;
        s.mean = number_array<3>(*mean, "mean", "[r, g, b]");
        s.std = number_array<3>(*std, "std", "[r, g, b]");
        for (std::size_t i = 0; i < 3; ++i)
            if (!(s.std[i] > 0.0))
                throw SidecarRejected{"\"std\" element " + std::to_string(i) + " is " + number_text(s.std[i]) +
                                      ", it must be > 0"};
    }

    const auto channels = root.find("channels");
    if (channels != root.end()) {
        if (!channels->is_string()) throw SidecarRejected{"\"channels\" must be \"rgb\" or \"bgr\""};
        const std::string& c = channels->get_ref<const std::string&>();
        if (c == "bgr") s.bgr = true;
        else if (c != "rgb") throw SidecarRejected{"\"channels\" is " + quoted(c) + ", it must be \"rgb\" or \"bgr\""};
    }

    const auto name = root.find("name");
    if (name != root.end()) {
        if (!name->is_string()) throw SidecarRejected{"\"name\" must be a string"};
        s.label = name->get<std::string>();
    }
    if (const auto classes = root.find("classes"); classes != root.end()) s.classes = class_names(*classes);
    return s;
}

// The sidecar's text, or nt::Error naming it: missing, a folder, unreadable, too large.
std::string read_sidecar(const fs::path& path) {
    const std::string name = path.string();
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status))
        throw Error(name,
                    "model sidecar not found (every TorchScript model needs a .json sidecar "
                    "next to it: see docs/MODELS.md)");
    if (!fs::is_regular_file(status)) throw Error(name, "model sidecar is not a regular file");
    const std::uintmax_t size = fs::file_size(path, ec);
    if (ec) throw Error(name, "cannot determine the sidecar's size");
    if (size > kMaxSidecarBytes) throw Error(name, "model sidecar is larger than 1 MiB");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(name, "cannot open the model sidecar");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw Error(name, "read error in the model sidecar");
    if (text.size() > kMaxSidecarBytes) throw Error(name, "model sidecar is larger than 1 MiB");
    return text;
}

std::string trimmed(const std::string& s) {
    const std::size_t begin = s.find_first_not_of(" \t\r");
    if (begin == std::string::npos) return "";
    const std::size_t end = s.find_last_not_of(" \t\r");
    return s.substr(begin, end - begin + 1);
}

// LibTorch messages run over several lines (backtraces, TorchScript tracebacks): keep the line
// that says what went wrong, with control bytes replaced and the length bounded.
std::string one_line(const std::string& message) {
    std::vector<std::string> lines;
    std::istringstream stream(message);
    for (std::string line; std::getline(stream, line);) {
        line = trimmed(line);
        if (!line.empty()) lines.push_back(line);
    }
    if (lines.empty()) return "unknown error";
    // "The following operation failed in the TorchScript interpreter." is followed by the
    // TorchScript traceback; the cause is on the last line ("RuntimeError: ...").
    std::string line = lines.front();
    if (line.rfind("The following operation failed", 0) == 0) line = lines.back();
    // "[enforce fail at inline_container.cc:120] . archive does not contain any files"
    if (line.rfind("[enforce fail at ", 0) == 0 && line.find("] ") != std::string::npos) {
        line = trimmed(line.substr(line.find("] ") + 2));
        if (line.rfind(". ", 0) == 0) line = line.substr(2);
    }
    return line.empty() ? "unknown error" : printable(line, kMaxShownChars);
}

std::string message_of(const std::exception& e) {
    if (const auto* c10 = dynamic_cast<const c10::Error*>(&e)) return one_line(c10->what_without_backtrace());
    return one_line(e.what());
}

// "a tuple", "a list", ... for an IValue that is not a tensor.
std::string kind_of(const c10::IValue& v) {
    if (v.isTuple()) return "a tuple";
    if (v.isList()) return "a list";
    if (v.isGenericDict()) return "a dict";
    if (v.isNone()) return "None";
    if (v.isString()) return "a string";
    if (v.isDouble() || v.isInt() || v.isBool()) return "a number";
    return std::string("a ") + v.tagKind();
}

}  // namespace

ScriptSidecar parse_script_sidecar(const std::string& json_text, const std::string& name) {
    try {
        return parse_sidecar_unchecked(json_text);
    } catch (const SidecarRejected& e) {
        throw Error(name, e.reason);
    }
}

ScriptSidecar read_script_sidecar(const fs::path& pt_path) {
    fs::path sidecar_path = pt_path;
    sidecar_path.replace_extension(".json");
    return parse_script_sidecar(read_sidecar(sidecar_path), sidecar_path.string());
}

struct ScriptModel::Impl {
    torch::jit::Module module;
    std::optional<at::Device> device;  // where the module's parameters are now
    bool bf16_refused = false;         // failed once under bf16 autocast
};

bool ScriptModel::bf16_refused() const { return impl_ && impl_->bf16_refused; }

ScriptModel::ScriptModel(const fs::path& pt_path) : path_(pt_path) {
    const std::string name = pt_path.string();
    std::error_code ec;
    const fs::file_status status = fs::status(pt_path, ec);
    if (ec || !fs::exists(status)) throw Error(name, "no such file");
    if (!fs::is_regular_file(status)) throw Error(name, "is not a regular file");
    if (fs::file_size(pt_path, ec) == 0 && !ec) throw Error(name, "file is empty");

    sidecar_ = read_script_sidecar(pt_path);

    auto impl = std::make_unique<Impl>();
    try {
        impl->module = torch::jit::load(name, at::Device(at::kCPU));
        impl->module.eval();
    } catch (const std::exception& e) {
        std::string reason = message_of(e);
        // torch.save() of a state_dict or of a whole nn.Module is a zip too, without the code.
        if (reason.find("constants.pkl") != std::string::npos || reason.find("file not found") != std::string::npos)
            reason = "not a TorchScript module (" + reason +
                     "); export one with torch.jit.script or torch.jit.trace and .save(), not torch.save()";
        throw Error(name, "cannot load TorchScript: " + reason);
    }
    if (!impl->module.find_method("forward")) throw Error(name, "the TorchScript module has no forward method");
    impl->device = at::Device(at::kCPU);
    impl_ = std::move(impl);
}

ScriptModel::~ScriptModel() = default;
ScriptModel::ScriptModel(ScriptModel&&) noexcept = default;
ScriptModel& ScriptModel::operator=(ScriptModel&&) noexcept = default;

c10::IValue ScriptModel::forward(const at::Tensor& content, bool autocast_bf16) {
    const std::string name = path_.string();
    if (!impl_) throw Error(name, "the model was moved from");
    if (!content.defined() || content.dim() != 4 || content.size(0) != 1 || content.size(1) != 3 ||
        content.size(2) < 1 || content.size(3) < 1 || !content.is_floating_point())
        throw Error(name, "input must be a float image tensor [1, 3, H, W], got " +
                              (content.defined() ? shape_text(content.sizes()) : std::string("an undefined tensor")));
    torch::NoGradGuard no_grad;
    const at::Device device = content.device();
    try {
        if (impl_->device != device) {
            impl_->device.reset();  // unknown if the move fails half-way: retried on the next run
            impl_->module.to(device);
            impl_->device = device;
        }
    } catch (const std::exception& e) {
        throw Error(name, "cannot move the model to " + device.str() + ": " + message_of(e));
    }

    const auto options = at::TensorOptions().dtype(at::kFloat).device(device);
    auto per_channel = [&options](const std::array<double, 3>& v) {
        return at::tensor(
                   std::vector<float>{static_cast<float>(v[0]), static_cast<float>(v[1]), static_cast<float>(v[2])},
                   at::TensorOptions().dtype(at::kFloat))
            .view({1, 3, 1, 1})
            .to(options.device());
    };

    const auto& [lo, hi] = sidecar_.input_range;
    at::Tensor x = content.to(options) * (hi - lo) + lo;
    if (sidecar_.has_normalisation) x = (x - per_channel(sidecar_.mean)) / per_channel(sidecar_.std);
    if (sidecar_.bgr) x = x.flip({1});

    if (autocast_bf16 && !impl_->bf16_refused && !x.is_cuda()) {
        try {
            CpuAutocast bf16;
            return impl_->module.forward({x.contiguous(at::MemoryFormat::ChannelsLast)});
        } catch (const std::exception&) {
            impl_->bf16_refused = true;  // run again below, in float32
        }
    }
    try {
        return impl_->module.forward({x});
    } catch (const std::exception& e) {
        throw Error(name, "the model failed: " + message_of(e));
    }
}

at::Tensor ScriptModel::run(const at::Tensor& content, c10::ScalarType compute) {
    const std::string name = path_.string();
    if (!sidecar_.classes.empty())
        throw Error(name, "a segmentation model (its sidecar names classes): it makes masks, not pictures");
    torch::NoGradGuard no_grad;
    const c10::IValue result = forward(content, compute == at::kBFloat16);  // checks the input first
    const auto options = at::TensorOptions().dtype(at::kFloat).device(content.device());
    if (!result.isTensor())
        throw Error(name, "the model returned " + kind_of(result) + ", not an image tensor [1, 3, H, W]");
    at::Tensor y = result.toTensor();
    if (!y.defined()) throw Error(name, "the model returned an undefined tensor");
    if (y.dim() != 4 || y.size(0) != 1 || y.size(1) != 3)
        throw Error(name, "the model returned a tensor of shape " + shape_text(y.sizes()) +
                              ", not an image tensor [1, 3, H, W]");
    if (y.size(2) < 1 || y.size(3) < 1) throw Error(name, "the model returned an empty image " + shape_text(y.sizes()));
    if (!y.is_floating_point())
        throw Error(name, std::string("the model returned a tensor of ") + c10::toString(y.scalar_type()) +
                              ", not floating point");

    y = y.to(options);
    if (sidecar_.bgr) y = y.flip({1});
    const auto& [out_lo, out_hi] = sidecar_.output_range;
    y = ((y - out_lo) / (out_hi - out_lo)).nan_to_num(0.0, 1.0, 0.0).clamp(0.0, 1.0);
    if (y.size(2) != content.size(2) || y.size(3) != content.size(3))
        y = at::upsample_bilinear2d(y, {content.size(2), content.size(3)}, /*align_corners=*/false).clamp(0.0, 1.0);
    return y.contiguous();
}

at::Tensor ScriptModel::probabilities(const at::Tensor& content) {
    const std::string name = path_.string();
    const std::size_t classes = sidecar_.classes.size();
    if (classes == 0) throw Error(name, "not a segmentation model: its sidecar names no \"classes\"");
    torch::NoGradGuard no_grad;
    c10::IValue result = forward(content);
    // torchvision's segmentation models return {"out": logits, "aux": ...}.
    if (result.isGenericDict()) {
        const c10::Dict<c10::IValue, c10::IValue> dict = result.toGenericDict();
        const auto out = dict.find(c10::IValue(std::string("out")));
        if (out == dict.end()) throw Error(name, "the model returned a dict without \"out\"");
        result = out->value();
    }
    if (!result.isTensor()) throw Error(name, "the model returned " + kind_of(result) + ", not logits [1, C, H, W]");
    at::Tensor logits = result.toTensor();
    if (!logits.defined() || logits.dim() != 4 || logits.size(0) != 1 || logits.size(1) != std::int64_t(classes) ||
        logits.size(2) < 1 || logits.size(3) < 1 || !logits.is_floating_point())
        throw Error(name, "the model returned " +
                              (logits.defined() ? shape_text(logits.sizes()) : std::string("nothing")) +
                              ", not float logits [1, " + std::to_string(classes) + " (the sidecar's classes), H, W]");
    logits = logits.to(content.device(), at::kFloat);
    if (logits.size(2) != content.size(2) || logits.size(3) != content.size(3))
        logits = at::upsample_bilinear2d(logits, {content.size(2), content.size(3)}, /*align_corners=*/false);
    return at::softmax(logits.nan_to_num(0.0, 0.0, 0.0), 1).contiguous();
}

}  // namespace nt
