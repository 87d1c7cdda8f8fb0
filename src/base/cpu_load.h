#pragma once
// LibTorch's intra-op threads fitted to the cores other processes leave free. Every OpenMP
// parallel region ends when all of its threads have finished, and the methods open thousands of
// them (each picture-sized tensor operation is one): when another process holds a core, each
// region waits for a thread of ours to be scheduled again. Patch synthesis at 512 px took 3.6 s
// on an idle 2-core machine, 16 s with two threads beside two busy processes and about 6 s with
// one (docs/PERFORMANCE.md, "Busy machines"). So before a job the calling thread looks at the
// runnable tasks of the machine (Linux's /proc/stat), less its own process's, and takes one
// thread per free core, at least one.
#include <string>
#include <vector>

namespace nt {

// The cores other processes keep busy: /proc/stat's procs_running less this process's running
// threads, the mean of a few samples a millisecond apart. 0 where /proc cannot be read.
double cores_busy_elsewhere();

// Threads for a job on `cores` cores of which `busy_elsewhere` are taken: the free ones, at
// least one (a core counts as taken from half a task on average).
int threads_for_free_cores(int cores, double busy_elsewhere);

// Sets the calling thread's LibTorch intra-op threads (OpenMP's count is per thread) to
// threads_for_free_cores(), looking again at most once a second. Does nothing when the user set
// OMP_NUM_THREADS. Returns the threads the calling thread now uses.
int fit_threads_to_free_cores();

// Parsing, for the tests: procs_running of /proc/stat's text (-1 if absent), and whether a
// /proc/PID/task/TID/stat line says the thread is running (state R).
int procs_running(const std::string& proc_stat);
bool thread_running(const std::string& task_stat);

}  // namespace nt
