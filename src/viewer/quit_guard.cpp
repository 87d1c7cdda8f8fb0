#include "viewer/quit_guard.h"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <thread>

#include <pthread.h>
#include <unistd.h>

namespace nt::viewer {

namespace {

std::atomic<bool> g_quit_signal{false};

// A shutdown after a quit signal gets this long before the process is ended.
constexpr std::chrono::seconds kSignalGrace{5};

sigset_t quit_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    return set;
}

}  // namespace

void catch_quit_signals(std::function<void()> wake) {
    const sigset_t set = quit_signals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    std::thread([set, wake = std::move(wake)] {
        int signal_number = 0;
        while (sigwait(&set, &signal_number) == 0) {
            if (g_quit_signal.exchange(true)) {
                std::fprintf(stderr, "neuraltransfer-viewer: second quit signal: ending now\n");
                _exit(128 + signal_number);
            }
            arm_quit_watchdog(kSignalGrace, 128 + signal_number);
            if (wake) wake();
        }
    }).detach();
}

bool quit_signal_received() { return g_quit_signal.load(); }

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
