#pragma once
// Runs the neuraltransfer command in-process with the given arguments (program name added) and
// captures its exit code, stdout and stderr; also the option parser alone.
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli_options.h"
#include "cli/run_cli.h"

namespace nt::test {

struct CliRun {
    int code;
    std::string out, err;
};

inline std::vector<const char*> argv_of(std::vector<std::string>& args) {
    args.insert(args.begin(), "neuraltransfer");
    std::vector<const char*> argv;
    for (const auto& a : args) argv.push_back(a.c_str());
    return argv;
}

inline CliRun run_cli_captured(std::vector<std::string> args) {
    const std::vector<const char*> argv = argv_of(args);
    std::ostringstream out, err;
    const int code = run_cli(int(argv.size()), argv.data(), out, err);
    return {code, out.str(), err.str()};
}

inline CliOptions parse_cli(std::vector<std::string> args) {
    const std::vector<const char*> argv = argv_of(args);
    return parse_cli_options(int(argv.size()), argv.data());
}

}  // namespace nt::test
