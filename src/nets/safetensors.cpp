#include "nets/safetensors.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <utility>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "base/strict_json.h"
#include "imageio/atomic_file.h"
#include "imageio/file_bytes.h"

// Tensor bytes are copied as they lie: the format is little-endian, and so is every host we build on.
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "safetensors.cpp assumes a little-endian host"
#endif

namespace nt {

namespace {

using json = nlohmann::json;

constexpr const char* kMetadataKey = "__metadata__";
constexpr std::size_t kMaxRank = 64;  // far above any real model; bounds per-entry work
constexpr int kMaxJsonDepth = 8;      // a valid header nests 3 deep (root, entry, shape)

struct Dtype {
    const char* name;
    at::ScalarType type;
    std::uint64_t size;
};

constexpr Dtype kDtypes[] = {
    {"F64", at::kDouble, 8}, {"F32", at::kFloat, 4}, {"F16", at::kHalf, 2},  {"BF16", at::kBFloat16, 2},
    {"I64", at::kLong, 8},   {"I32", at::kInt, 4},   {"I16", at::kShort, 2}, {"I8", at::kChar, 1},
    {"U8", at::kByte, 1},    {"BOOL", at::kBool, 1},
};

const Dtype* find_dtype(const std::string& name) {
    for (const Dtype& d : kDtypes)
        if (name == d.name) return &d;
    return nullptr;
}

const Dtype* find_dtype(at::ScalarType type) {
    for (const Dtype& d : kDtypes)
        if (type == d.type) return &d;
    return nullptr;
}

// Names come from the file: quote them, escape control bytes and cut them short, so that an
// error message stays one readable line whatever the file holds.
std::string quoted(const std::string& s) {
    constexpr std::size_t kMaxShown = 64;
    std::string out = "'";
    for (std::size_t i = 0; i < s.size() && i < kMaxShown; ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 || c == 0x7f) {
            static const char* hex = "0123456789abcdef";
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
        } else {
            out += static_cast<char>(c);
        }
    }
    if (s.size() > kMaxShown) out += "...";
    return out + "'";
}

std::string range_text(std::uint64_t begin, std::uint64_t end) {
    return "[" + std::to_string(begin) + ", " + std::to_string(end) + "]";
}

std::string shape_text(const std::vector<std::int64_t>& shape) {
    std::string out = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) out += (i ? ", " : "") + std::to_string(shape[i]);
    return out + "]";
}

// Offset of the first byte that breaks strict UTF-8 (overlong forms, surrogates and code points
// past U+10FFFF included), or npos when the whole string is valid.
std::size_t invalid_utf8_at(const std::uint8_t* s, std::size_t n) {
    std::size_t i = 0;
    while (i < n) {
        const std::uint8_t c = s[i];
        std::size_t len = 0;
        std::uint8_t lo = 0x80, hi = 0xbf;  // allowed range of the second byte
        if (c < 0x80) len = 1;
        else if (c >= 0xc2 && c <= 0xdf) len = 2;
        else if (c >= 0xe0 && c <= 0xef) {
            len = 3;
            if (c == 0xe0) lo = 0xa0;
            if (c == 0xed) hi = 0x9f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            len = 4;
            if (c == 0xf0) lo = 0x90;
            if (c == 0xf4) hi = 0x8f;
        } else return i;
        if (len > n - i) return i;
        for (std::size_t k = 1; k < len; ++k) {
            const std::uint8_t b = s[i + k];
            if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xbf)) return i;
        }
        i += len;
    }
    return std::string::npos;
}

// Thrown from the parse callback; carries the reason out of nlohmann's parser.
struct HeaderRejected {
    std::string reason;
};

json parse_header_json(const std::uint8_t* begin, std::size_t size) {
    try {
        return parse_strict_json(reinterpret_cast<const char*>(begin), size, kMaxJsonDepth);
    } catch (const JsonRejected& e) {
        switch (e.problem) {
            case JsonRejected::Problem::TooDeep: throw HeaderRejected{"header JSON is nested too deeply"};
            case JsonRejected::Problem::DuplicateKey:
                throw HeaderRejected{"duplicate key " + quoted(e.detail) + " in header"};
            default: throw HeaderRejected{"header is not valid JSON: " + e.detail};
        }
    }
}

// One tensor's header entry, validated against itself (not yet against the others).
struct Entry {
    std::string name;
    const Dtype* dtype = nullptr;
    std::vector<std::int64_t> shape;
    std::uint64_t begin = 0, end = 0;
};

const json& required_field(const json& entry, const char* field, const std::string& tensor) {
    const auto it = entry.find(field);
    if (it == entry.end()) throw HeaderRejected{"tensor " + tensor + ": missing \"" + field + "\""};
    return *it;
}

const Dtype* parse_dtype(const json& value, const std::string& tensor) {
    if (!value.is_string()) throw HeaderRejected{"tensor " + tensor + ": \"dtype\" is not a string"};
    const std::string& text = value.get_ref<const std::string&>();
    const Dtype* dtype = find_dtype(text);
    if (!dtype) throw HeaderRejected{"tensor " + tensor + ": unknown dtype " + quoted(text)};
    return dtype;
}

std::vector<std::int64_t> parse_shape(const json& value, const std::string& tensor) {
    if (!value.is_array()) throw HeaderRejected{"tensor " + tensor + ": \"shape\" is not an array"};
    if (value.size() > kMaxRank)
        throw HeaderRejected{"tensor " + tensor + ": shape has " + std::to_string(value.size()) +
                             " dimensions, more than " + std::to_string(kMaxRank)};
    std::vector<std::int64_t> shape;
    for (const json& dim : value) {
        const std::string which = "tensor " + tensor + ": shape dimension " + std::to_string(shape.size());
        if (!dim.is_number_integer()) throw HeaderRejected{which + " is not an integer"};
        if (!dim.is_number_unsigned()) throw HeaderRejected{which + " is negative"};
        const auto d = dim.get<std::uint64_t>();
        if (d > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            throw HeaderRejected{which + " is too large"};
        shape.push_back(static_cast<std::int64_t>(d));
    }
    return shape;
}

// numel * element size, refusing any intermediate product that overflows (as the reference does).
std::uint64_t byte_size(const std::vector<std::int64_t>& shape, const Dtype& dtype, const std::string& tensor) {
    std::uint64_t bytes = dtype.size;
    for (const std::int64_t d : shape)
        if (__builtin_mul_overflow(bytes, static_cast<std::uint64_t>(d), &bytes) ||
            bytes > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            throw HeaderRejected{"tensor " + tensor + ": shape " + shape_text(shape) + " has too many elements"};
    return bytes;
}

void parse_offsets(const json& value, Entry& entry, const std::string& tensor) {
    const bool ok =
        value.is_array() && value.size() == 2 && value[0].is_number_unsigned() && value[1].is_number_unsigned();
    if (!ok)
        throw HeaderRejected{"tensor " + tensor + ": \"data_offsets\" is not an array of two non-negative integers"};
    entry.begin = value[0].get<std::uint64_t>();
    entry.end = value[1].get<std::uint64_t>();
    if (entry.begin > entry.end)
        throw HeaderRejected{"tensor " + tensor + ": data_offsets " + range_text(entry.begin, entry.end) +
                             " end before they begin"};
}

Entry parse_entry(const std::string& name, const json& value, std::uint64_t data_size) {
    const std::string tensor = quoted(name);
    if (!value.is_object()) throw HeaderRejected{"tensor " + tensor + ": entry is not a JSON object"};
    Entry entry;
    entry.name = name;
    entry.dtype = parse_dtype(required_field(value, "dtype", tensor), tensor);
    entry.shape = parse_shape(required_field(value, "shape", tensor), tensor);
    parse_offsets(required_field(value, "data_offsets", tensor), entry, tensor);
    const std::uint64_t expected = byte_size(entry.shape, *entry.dtype, tensor);
    if (entry.end - entry.begin != expected)
        throw HeaderRejected{"tensor " + tensor + ": data_offsets " + range_text(entry.begin, entry.end) + " hold " +
                             std::to_string(entry.end - entry.begin) + " bytes, but shape " + shape_text(entry.shape) +
                             " of " + entry.dtype->name + " needs " + std::to_string(expected)};
    if (entry.end > data_size)
        throw HeaderRejected{"tensor " + tensor + ": data_offsets " + range_text(entry.begin, entry.end) +
                             " run past the end of the data (" + std::to_string(data_size) +
                             " bytes): the file is truncated or the offsets are wrong"};
    return entry;
}

std::map<std::string, std::string> parse_metadata(const json& value) {
    if (!value.is_object()) throw HeaderRejected{"\"__metadata__\" is not an object"};
    std::map<std::string, std::string> metadata;
    for (const auto& [key, v] : value.items()) {
        if (!v.is_string()) throw HeaderRejected{"\"__metadata__\" value for " + quoted(key) + " is not a string"};
        metadata.emplace(key, v.get<std::string>());
    }
    return metadata;
}

// Gaps between byte ranges are tolerated (they waste space but cannot alias); overlaps are not,
// since two tensors sharing bytes would be a corrupt or crafted file. Empty tensors own no bytes.
void check_no_overlap(std::vector<const Entry*> entries) {
    std::sort(entries.begin(), entries.end(), [](const Entry* a, const Entry* b) {
        return a->begin != b->begin ? a->begin < b->begin : a->end < b->end;
    });
    const Entry* previous = nullptr;
    for (const Entry* e : entries) {
        if (e->begin == e->end) continue;
        if (previous && e->begin < previous->end)
            throw HeaderRejected{"tensors " + quoted(previous->name) + " " +
                                 range_text(previous->begin, previous->end) + " and " + quoted(e->name) + " " +
                                 range_text(e->begin, e->end) + " overlap"};
        previous = e;
    }
}

// Copies the validated bytes into a fresh tensor; the only allocation sized by the file, and it
// happens after every range was checked to lie inside the data that was read.
at::Tensor make_tensor(const Entry& e, const std::uint8_t* data) {
    const std::uint8_t* src = data + e.begin;
    const std::size_t n = static_cast<std::size_t>(e.end - e.begin);
    if (e.dtype->type == at::kBool)  // any other byte value in a bool is undefined behaviour in C++
        for (std::size_t i = 0; i < n; ++i)
            if (src[i] > 1) throw HeaderRejected{"BOOL tensor " + quoted(e.name) + " holds a byte other than 0 or 1"};
    at::Tensor t = at::empty(e.shape, at::TensorOptions().dtype(e.dtype->type));
    if (n > 0) std::memcpy(t.data_ptr(), src, n);
    return t;
}

std::uint64_t read_header_length(const std::uint8_t* data, std::size_t size) {
    if (size < 8)
        throw HeaderRejected{"file is " + std::to_string(size) + " bytes, shorter than the 8-byte header length"};
    std::uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = (n << 8) | data[i];
    // Any other file (a JPEG renamed, a PyTorch checkpoint) fails here first: say that, then the number.
    if (n > kMaxSafetensorsHeaderBytes)
        throw HeaderRejected{"not a .safetensors file (its first 8 bytes, read as the header length, give " +
                             std::to_string(n) + " bytes: header length " + std::to_string(n) +
                             " exceeds the limit of " + std::to_string(kMaxSafetensorsHeaderBytes) + " bytes)"};
    if (n > size - 8)
        throw HeaderRejected{"not a .safetensors file, or a truncated one (header length " + std::to_string(n) +
                             " is larger than the " + std::to_string(size - 8) + " bytes that follow it)"};
    return n;
}

SafetensorsFile parse_unchecked(const std::uint8_t* data, std::size_t size) {
    const std::uint64_t header_size = read_header_length(data, size);
    const std::uint8_t* header = data + 8;
    const std::size_t bad = invalid_utf8_at(header, header_size);
    if (bad != std::string::npos) throw HeaderRejected{"header is not valid UTF-8 (byte " + std::to_string(bad) + ")"};
    const json root = parse_header_json(header, header_size);
    if (!root.is_object()) throw HeaderRejected{"header is not a JSON object"};

    const std::uint8_t* payload = header + header_size;
    const std::uint64_t data_size = size - 8 - header_size;
    SafetensorsFile file;
    std::vector<Entry> entries;
    for (const auto& [key, value] : root.items()) {
        if (key == kMetadataKey) file.metadata = parse_metadata(value);
        else entries.push_back(parse_entry(key, value, data_size));
    }
    std::vector<const Entry*> pointers;
    for (const Entry& e : entries) pointers.push_back(&e);
    check_no_overlap(std::move(pointers));
    for (const Entry& e : entries) file.tensors.emplace(e.name, make_tensor(e, payload));
    return file;
}

// Raw bytes of a tensor in the file's layout: contiguous, on the CPU, little-endian.
std::vector<std::uint8_t> tensor_bytes(const at::Tensor& tensor) {
    const at::Tensor t = tensor.to(at::kCPU).contiguous();
    std::vector<std::uint8_t> out(t.nbytes());
    if (!out.empty()) std::memcpy(out.data(), t.data_ptr(), out.size());
    return out;
}

}  // namespace

SafetensorsFile parse_safetensors(const std::uint8_t* data, std::size_t size, const std::string& name) {
    try {
        return parse_unchecked(data, size);
    } catch (const HeaderRejected& e) {
        throw Error(name, e.reason);
    }
}

SafetensorsFile read_safetensors(const std::filesystem::path& path) {
    const std::vector<std::uint8_t> bytes = read_file_bytes(path);
    return parse_safetensors(bytes.data(), bytes.size(), path.string());
}

void check_keys(const SafetensorsFile& file, const std::set<std::string>& expected, const std::string& name) {
    constexpr std::size_t kMaxListed = 4;
    auto listed = [](const std::vector<std::string>& names) {
        std::string out = std::to_string(names.size()) + " (";
        for (std::size_t i = 0; i < names.size() && i < kMaxListed; ++i) out += (i ? ", " : "") + quoted(names[i]);
        return out + (names.size() > kMaxListed ? ", ...)" : ")");
    };
    std::vector<std::string> missing, unexpected;
    for (const std::string& key : expected)
        if (!file.tensors.count(key)) missing.push_back(key);
    for (const auto& [key, tensor] : file.tensors)
        if (!expected.count(key)) unexpected.push_back(key);
    if (missing.empty() && unexpected.empty()) return;
    std::string reason = "tensor names do not match the model:";
    if (!missing.empty()) reason += " missing " + listed(missing);
    if (!missing.empty() && !unexpected.empty()) reason += ";";
    if (!unexpected.empty()) reason += " unexpected " + listed(unexpected);
    throw Error(name, reason);
}

std::vector<std::uint8_t> write_safetensors(const std::map<std::string, at::Tensor>& tensors,
                                            const std::map<std::string, std::string>& metadata) {
    const std::string subject = "safetensors writer";
    json header = json::object();
    if (!metadata.empty()) header[kMetadataKey] = metadata;
    std::vector<std::uint8_t> payload;
    for (const auto& [name, tensor] : tensors) {
        if (name == kMetadataKey) throw Error(subject, "a tensor cannot be named \"__metadata__\"");
        const Dtype* dtype = find_dtype(tensor.scalar_type());
        if (!dtype)
            throw Error(subject, "tensor " + quoted(name) + ": dtype " +
                                     std::string(c10::toString(tensor.scalar_type())) + " has no safetensors name");
        const std::vector<std::uint8_t> bytes = tensor_bytes(tensor);
        header[name] = {{"dtype", dtype->name},
                        {"shape", tensor.sizes().vec()},
                        {"data_offsets", {payload.size(), payload.size() + bytes.size()}}};
        payload.insert(payload.end(), bytes.begin(), bytes.end());
    }
    std::string text;
    try {
        text = header.dump();
    } catch (const json::exception&) {
        throw Error(subject, "a tensor name or metadata string is not valid UTF-8");
    }
    text.append((8 - text.size() % 8) % 8, ' ');  // the reference pads so the data starts 8-aligned
    std::vector<std::uint8_t> out;
    out.reserve(8 + text.size() + payload.size());
    for (int i = 0; i < 8; ++i)
        out.push_back(static_cast<std::uint8_t>(static_cast<std::uint64_t>(text.size()) >> (8 * i)));
    out.insert(out.end(), text.begin(), text.end());
    out.insert(out.end(), payload.begin(), payload.end());
    return out;
}

void save_safetensors(const std::filesystem::path& path, const std::map<std::string, at::Tensor>& tensors,
                      const std::map<std::string, std::string>& metadata) {
    write_file_atomically(path, write_safetensors(tensors, metadata));
}

}  // namespace nt
