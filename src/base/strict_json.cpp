#include "base/strict_json.h"

#include <set>
#include <vector>

namespace nt {

nlohmann::json parse_strict_json(const char* begin, std::size_t size, int max_depth) {
    using json = nlohmann::json;
    std::vector<std::set<std::string>> seen;  // the keys of each open object
    auto callback = [&seen, max_depth](int depth, json::parse_event_t event, json& parsed) {
        switch (event) {
            case json::parse_event_t::object_start:
            case json::parse_event_t::array_start:
                if (depth >= max_depth) throw JsonRejected{JsonRejected::Problem::TooDeep, {}};
                if (event == json::parse_event_t::object_start) seen.emplace_back();
                break;
            case json::parse_event_t::object_end: seen.pop_back(); break;
            case json::parse_event_t::key: {
                const std::string& key = parsed.get_ref<const std::string&>();
                if (!seen.back().insert(key).second) throw JsonRejected{JsonRejected::Problem::DuplicateKey, key};
                break;
            }
            default: break;
        }
        return true;
    };
    try {
        return json::parse(begin, begin + size, callback);
    } catch (const json::exception& e) {
        // Drop nlohmann's "[json.exception.parse_error.101] " prefix; its text escapes control bytes.
        std::string what = e.what();
        const std::size_t bracket = what.find("] ");
        if (bracket != std::string::npos) what = what.substr(bracket + 2);
        throw JsonRejected{JsonRejected::Problem::Syntax, what};
    }
}

}  // namespace nt
