#pragma once
// The `neuraltransfer` command, callable in-process: tests run it with their own streams.
#include <ostream>

namespace nt {

// Returns the exit status (kExitOk, kExitFailed, kExitUsage). Results and summaries go to `out`;
// errors (one line each) and batch progress go to `err`.
int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace nt
