#pragma once
// JSON from files we do not trust (weight headers, model sidecars): nlohmann::json, but a
// duplicate key is an error instead of "the last one wins", and nesting is bounded so a hostile
// file cannot recurse the parser deep. Internal: nlohmann-json is a private dependency of the
// layers that parse JSON (base, nets, cli), so only their .cpp files include this.
#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

namespace nt {

struct JsonRejected {
    enum class Problem { TooDeep, DuplicateKey, Syntax } problem;
    // DuplicateKey: the key as written (callers quote it); Syntax: the parser's message without
    // nlohmann's "[json.exception...] " prefix.
    std::string detail;
};

// Throws JsonRejected; the caller turns it into its own nt::Error.
nlohmann::json parse_strict_json(const char* begin, std::size_t size, int max_depth);

}  // namespace nt
