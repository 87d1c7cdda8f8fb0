#pragma once
// Runs the neuraltransfer command in-process with the given arguments (program name added) and
// captures its exit code, stdout and stderr; also the option parser alone.
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli_options.h"
#include "cli/run_cli.h"
#include "imageio/save_image.h"
#include "support/temp_dir.h"
#include "support/test_images.h"

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

// A temporary folder with a 60x40 content and a 32x32 style picture (PNG) and an output path in it,
// for the suites that run the command on one pair.
struct PairFiles {
    TempDir dir;
    std::string content = (dir / "content.png").string();
    std::string style = (dir / "style.png").string();
    std::string output = (dir / "out.png").string();
    PairFiles() {
        save_image(make_pattern(60, 40, 1), content);
        save_image(make_pattern(32, 32, 2), style);
    }
};

// `a` followed by `b`.
inline std::vector<std::string> plus(std::vector<std::string> a, const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

}  // namespace nt::test
