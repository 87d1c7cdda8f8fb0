// Quitting never waits forever (issue 26): the watchdog ends a shutdown that a stuck job holds
// up, and a quit signal asks for an orderly quit first, then a second one ends the process.
#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "viewer/io/quit_guard.h"

using namespace nt::viewer;
using namespace std::chrono_literals;

namespace {

[[noreturn]] void hang() {
    for (;;) std::this_thread::sleep_for(1h);  // stands in for a join on a worker that never returns
}

bool wait_until(bool (*done)(), std::chrono::seconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
    return done();
}

}  // namespace

TEST(QuitGuardDeathTest, TheWatchdogEndsAShutdownThatHangs) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(
        {
            arm_quit_watchdog(200ms, 3);
            hang();
        },
        testing::ExitedWithCode(3), "still shutting down");
}

TEST(QuitGuardDeathTest, AQuitSignalAsksForAQuitAndASecondEndsTheProcess) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(
        {
            catch_quit_signals({});
            if (quit_signal_received()) std::_Exit(10);
            kill(getpid(), SIGTERM);  // the first: a request, the process goes on
            if (!wait_until(quit_signal_received, 10s)) std::_Exit(11);
            kill(getpid(), SIGTERM);  // the second: ends it at once
            hang();
        },
        testing::ExitedWithCode(128 + SIGTERM), "second quit signal");
}

TEST(QuitGuardDeathTest, AShutdownAfterAQuitSignalThatHangsIsEnded) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(
        {
            catch_quit_signals({});
            kill(getpid(), SIGINT);
            hang();  // the orderly quit never finishes: the watchdog the signal armed ends it
        },
        testing::ExitedWithCode(128 + SIGINT), "ending now");
}
