// The intra-op threads fitted to the free cores (base/cpu_load.h): the parsing of /proc's text,
// the count, and the live reading on this machine.
#include <gtest/gtest.h>

#include <ATen/Parallel.h>

#include <algorithm>
#include <thread>

#include "base/cpu_load.h"

namespace nt {
namespace {

TEST(CpuLoad, ReadsProcsRunningAndThreadStates) {
    EXPECT_EQ(procs_running("cpu  1 2 3\nctxt 5\nprocs_running 3\nprocs_blocked 0\n"), 3);
    EXPECT_EQ(procs_running("cpu  1 2 3\n"), -1);
    EXPECT_TRUE(thread_running("1234 (neuraltransfer) R 1 1234 1234 0 -1"));
    EXPECT_FALSE(thread_running("1234 (neuraltransfer) S 1 1234 1234 0 -1"));
    // A name with a space and a parenthesis: the state follows the last ')'.
    EXPECT_TRUE(thread_running("77 (a (b) c) R 1"));
    EXPECT_FALSE(thread_running("77 (a) R) S 1"));
    EXPECT_FALSE(thread_running(""));
}

TEST(CpuLoad, OneThreadPerFreeCoreAtLeastOne) {
    EXPECT_EQ(threads_for_free_cores(2, 0.0), 2);
    EXPECT_EQ(threads_for_free_cores(2, 0.3), 2);  // a passing task
    EXPECT_EQ(threads_for_free_cores(2, 1.0), 1);
    EXPECT_EQ(threads_for_free_cores(2, 2.0), 1);
    EXPECT_EQ(threads_for_free_cores(2, 9.0), 1);
    EXPECT_EQ(threads_for_free_cores(16, 3.4), 13);
    EXPECT_EQ(threads_for_free_cores(0, 0.0), 1);
}

// The live reading on this machine: a count of tasks, never negative; and the calling thread's
// LibTorch threads set to what it chose. (What other processes run here is not ours to know, so
// the exact values are not checked: ctest -j runs other tests beside this one.)
TEST(CpuLoad, FitsTheCallingThreadsIntraOpThreads) {
    const double busy = cores_busy_elsewhere();
    EXPECT_GE(busy, 0.0);
    const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
    const int threads = fit_threads_to_free_cores();
    EXPECT_GE(threads, 1);
    EXPECT_LE(threads, cores);
    EXPECT_EQ(at::get_num_threads(), threads);
}

}  // namespace
}  // namespace nt
