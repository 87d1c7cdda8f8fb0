#include "base/device.h"

#include <dlfcn.h>
#include <unistd.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <ATen/Context.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <thread>

#include "base/error.h"

namespace nt {

DeviceChoice parse_device_choice(const std::string& text) {
    std::string t = text;
    std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    if (t == "auto") return DeviceChoice::Auto;
    if (t == "cpu") return DeviceChoice::Cpu;
    if (t == "cuda" || t == "gpu") return DeviceChoice::Cuda;
    throw Error("--device " + text, "expected auto, cpu or cuda");
}

std::string to_string(DeviceChoice choice) {
    switch (choice) {
        case DeviceChoice::Auto: return "auto";
        case DeviceChoice::Cpu: return "cpu";
        case DeviceChoice::Cuda: return "cuda";
    }
    return "auto";
}

void use_all_cpu_cores() {
    if (std::getenv("OMP_NUM_THREADS")) return;
    const unsigned cores = std::thread::hardware_concurrency();
    if (cores > 0 && at::get_num_threads() < int(cores)) at::set_num_threads(int(cores));
}

int single_threaded_blas() {
    using GetThreads = int (*)();
    using SetThreads = void (*)(int);
    const auto get = reinterpret_cast<GetThreads>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
    const auto set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
    if (!get || !set) return 0;
    if (!std::getenv("OPENBLAS_NUM_THREADS") && !std::getenv("GOTO_NUM_THREADS") && !std::getenv("OMP_NUM_THREADS"))
        set(1);
    return get();
}

namespace {

// Every program built on the core runs OpenBLAS on one thread from its start, not only the CLI
// and the viewer: how OpenBLAS splits a product changes its last bits (AdaIN by one level, a
// Gatys parity test past its bound), and the viewer's export must give the CLI's pixels, the
// tests and benchmarks what the programs compute.
[[maybe_unused]] const int kBlasThreadsAtStart = single_threaded_blas();

}  // namespace

void prefer_passive_openmp(char** argv) {
    if (std::getenv("OMP_WAIT_POLICY")) return;  // the user's choice, or this is the new start
    if (setenv("OMP_WAIT_POLICY", "PASSIVE", 1) != 0) return;
    execv("/proc/self/exe", argv);
    unsetenv("OMP_WAIT_POLICY");  // no new start (no /proc): carry on as before
}

void reuse_freed_memory() {
#ifdef __GLIBC__
    mallopt(M_MMAP_MAX, 0);  // no mmapped blocks (threads' arenas still mmap beyond their 64 MiB heaps)
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
#endif
}

bool cuda_available() { return at::hasCUDA() && at::getNumGPUs() > 0; }

std::string cuda_unavailable_reason() {
    if (!at::hasCUDA()) return "this build of LibTorch has no CUDA support";
    if (at::getNumGPUs() == 0) return "no CUDA GPU was found";
    return {};
}

c10::Device resolve_device(DeviceChoice choice) {
    switch (choice) {
        case DeviceChoice::Cpu: return c10::Device(c10::kCPU);
        case DeviceChoice::Auto: return cuda_available() ? c10::Device(c10::kCUDA, 0) : c10::Device(c10::kCPU);
        case DeviceChoice::Cuda:
            if (!cuda_available()) throw Error("--device cuda", "CUDA is not available: " + cuda_unavailable_reason());
            return c10::Device(c10::kCUDA, 0);
    }
    return c10::Device(c10::kCPU);
}

}  // namespace nt
