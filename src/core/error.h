#pragma once
// One error type for everything the user can get wrong: its message is a single line that names
// the file (or option) and the reason, ready to print as is.
#include <stdexcept>
#include <string>

namespace nt {

class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
    // "<subject>: <reason>", e.g. "photos/cat.jpg: file is empty".
    Error(const std::string& subject, const std::string& reason)
        : std::runtime_error(subject + ": " + reason) {}
};

}  // namespace nt
