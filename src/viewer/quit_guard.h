#pragma once
// Quitting never waits forever (issue 26). A quit signal (SIGTERM, SIGINT, SIGHUP) ends the
// viewer as its close box does: settings saved, workers stopped. A second one, or a shutdown
// that a job stuck in a library call would hold up, ends the process at once. No GL.
#include <chrono>
#include <functional>

namespace nt::viewer {

// Blocks the quit signals in the calling thread (call it first in main, so that every thread
// started later inherits the mask) and starts the one thread that receives them. The first
// sets quit_signal_received(), calls `wake` (it must be safe from any thread:
// glfwPostEmptyEvent is) and arms the watchdog; the second ends the process with 128 + signal.
void catch_quit_signals(std::function<void()> wake);
bool quit_signal_received();

// From now on the process has `grace` to end by itself; after that it says so on stderr and
// ends with `exit_code` (_exit: no destructor or atexit handler can hold it up).
void arm_quit_watchdog(std::chrono::milliseconds grace, int exit_code);

}  // namespace nt::viewer
