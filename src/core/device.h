#pragma once
// Where tensors live: the CPU, or a CUDA GPU when this LibTorch build has CUDA and one is present.
#include <string>

#include <c10/core/Device.h>

namespace nt {

enum class DeviceChoice { Auto, Cpu, Cuda };

// "auto", "cpu" or "cuda"; throws nt::Error naming the text otherwise.
DeviceChoice parse_device_choice(const std::string& text);
std::string to_string(DeviceChoice choice);

// True when LibTorch was built with CUDA and at least one GPU is usable.
bool cuda_available();
// Empty when CUDA is available, otherwise why not (for messages and the viewer's disabled control).
std::string cuda_unavailable_reason();

// LibTorch's CPU kernels on every core: Debian's LibTorch (OpenMP) starts with one intra-op thread
// here, which halves the networks' speed on a 2-core machine (docs/PERFORMANCE.md). Does nothing
// when OMP_NUM_THREADS is set (the user's choice wins). Call once, early, from main().
void use_all_cpu_cores();

// Keeps freed memory in the process's heap for the next allocation instead of returning it to
// the system: every run allocates and frees picture-sized tensors, and glibc by default serves
// blocks above 128 KiB (adaptively up to 32 MiB) with fresh mmaps, so each run paid page faults
// on all of them (TransformerNet at 512x512 in bf16: 29 of its 130 ms; docs/PERFORMANCE.md).
// Blocks are never mmapped, and up to 512 MiB of free heap is kept. Call once, early, from main().
void reuse_freed_memory();

// Auto picks CUDA when available, else the CPU. Cuda without a GPU throws nt::Error with the reason.
c10::Device resolve_device(DeviceChoice choice);

}  // namespace nt
