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
    Error(const std::string& subject, const std::string& reason) : std::runtime_error(subject + ": " + reason) {}
};

// A command line that asks for something no run can do (an output format that does not exist, an
// iterative method on a video), found after parsing: the CLI exits with 2, as for any usage error.
class UsageError : public Error {
public:
    using Error::Error;
};

}  // namespace nt
