#pragma once
// The process's peak resident memory (Linux: VmHWM in /proc/self/status), and its reset
// (writing 5 to /proc/self/clear_refs), for the benchmarks' peak_MiB counters.
#include <fstream>
#include <string>

namespace nt::bench {

inline void reset_peak_memory() { std::ofstream("/proc/self/clear_refs") << "5"; }

inline double peak_memory_mib() {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
    return 0.0;
}

}  // namespace nt::bench
