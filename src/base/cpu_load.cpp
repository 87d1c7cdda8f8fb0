#include "base/cpu_load.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace nt {

namespace {

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// This process's threads in state R (the caller among them).
int own_running_threads() {
    std::error_code ec;
    int running = 0;
    for (const auto& task : std::filesystem::directory_iterator("/proc/self/task", ec))
        running += thread_running(read_text(task.path() / "stat"));
    return running;
}

}  // namespace

int procs_running(const std::string& proc_stat) {
    const std::string key = "\nprocs_running ";
    const std::size_t at = proc_stat.find(key);
    if (at == std::string::npos) return -1;
    return std::atoi(proc_stat.c_str() + at + key.size());
}

bool thread_running(const std::string& task_stat) {
    // "TID (name) S ...": the name may hold spaces and parentheses, the state follows the last ')'.
    const std::size_t close = task_stat.rfind(')');
    return close != std::string::npos && close + 2 < task_stat.size() && task_stat[close + 2] == 'R';
}

double cores_busy_elsewhere() {
    constexpr int kSamples = 5;
    double busy = 0;
    for (int i = 0; i < kSamples; ++i) {
        if (i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        const int all = procs_running(read_text("/proc/stat"));
        if (all < 0) return 0.0;
        busy += std::max(0, all - own_running_threads());
    }
    return busy / kSamples;
}

int threads_for_free_cores(int cores, double busy_elsewhere) {
    const int taken = int(std::floor(std::max(0.0, busy_elsewhere) + 0.5));
    return std::clamp(cores - taken, 1, std::max(1, cores));
}

int fit_threads_to_free_cores() {
    if (std::getenv("OMP_NUM_THREADS")) return at::get_num_threads();
    using Clock = std::chrono::steady_clock;
    thread_local Clock::time_point last{};
    const Clock::time_point now = Clock::now();
    if (last != Clock::time_point{} && now - last < std::chrono::seconds(1)) return at::get_num_threads();
    last = now;
    const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
    const int threads = threads_for_free_cores(cores, cores_busy_elsewhere());
    if (threads != at::get_num_threads()) at::set_num_threads(threads);
    return threads;
}

}  // namespace nt
