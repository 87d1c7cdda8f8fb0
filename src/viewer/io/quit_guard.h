#pragma once
// Quitting never waits forever (issue 26). A quit signal (SIGTERM, SIGINT, SIGHUP) ends the
// viewer as its close box does: settings saved, workers stopped. A second one, or a shutdown
// that a job stuck in a library call would hold up, ends the process at once. No GL.
#include <chrono>
#include <functional>

namespace nt::viewer {

// Handles the quit signals (call it early in main) with a handler that may run on any thread,
// and starts the thread that acts on them. The first sets quit_signal_received(), and that thread
// calls `wake` (it must be safe from any thread: glfwPostEmptyEvent is) and arms the watchdog;
// the second ends the process at once with 128 + signal. Child processes get the default actions
// back when they exec.
void catch_quit_signals(std::function<void()> wake);
bool quit_signal_received();

// From now on the process has `grace` to end by itself; after that it says so on stderr and
// ends with `exit_code` (_exit: no destructor or atexit handler can hold it up).
void arm_quit_watchdog(std::chrono::milliseconds grace, int exit_code);

}  // namespace nt::viewer
