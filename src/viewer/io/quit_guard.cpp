#include "viewer/io/quit_guard.h"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <thread>

#include <fcntl.h>
#include <unistd.h>

namespace nt::viewer {

namespace {

// Quit signals received so far. The handler may run on any thread (the process's threads need
// not block anything), so it only counts, ends the process on the second, and wakes the quit
// thread through a pipe: all async-signal-safe.
std::atomic<int> g_quit_signals{0};
int g_wake_pipe[2] = {-1, -1};
static_assert(std::atomic<int>::is_always_lock_free, "the signal handler needs a lock-free counter");

// A shutdown after a quit signal gets this long before the process is ended.
constexpr std::chrono::seconds kSignalGrace{5};

void on_quit_signal(int signal_number) {
    if (g_quit_signals.fetch_add(1) > 0) {
        static const char kLine[] = "neuraltransfer-viewer: second quit signal: ending now\n";
        (void)!write(STDERR_FILENO, kLine, sizeof kLine - 1);
        _exit(128 + signal_number);
    }
    const unsigned char byte = static_cast<unsigned char>(signal_number);
    (void)!write(g_wake_pipe[1], &byte, 1);
}

}  // namespace

void catch_quit_signals(std::function<void()> wake) {
    if (pipe2(g_wake_pipe, O_CLOEXEC) != 0) return;  // no pipe: the default actions stay
    struct sigaction action = {};
    action.sa_handler = on_quit_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;  // other threads' reads and waits go on undisturbed
    for (int s : {SIGTERM, SIGINT, SIGHUP}) sigaction(s, &action, nullptr);
    std::thread([wake = std::move(wake)] {
        unsigned char signal_number = 0;
        while (read(g_wake_pipe[0], &signal_number, 1) != 1) {}
        arm_quit_watchdog(kSignalGrace, 128 + signal_number);
        if (wake) wake();
    }).detach();
}

bool quit_signal_received() { return g_quit_signals.load() > 0; }

void arm_quit_watchdog(std::chrono::milliseconds grace, int exit_code) {
    std::thread([grace, exit_code] {
        std::this_thread::sleep_for(grace);
        std::fprintf(stderr,
                     "neuraltransfer-viewer: still shutting down after %.1f s (a job stuck in a library call?): "
                     "ending now\n",
                     std::chrono::duration<double>(grace).count());
        std::fflush(stderr);
        _exit(exit_code);
    }).detach();
}

}  // namespace nt::viewer
