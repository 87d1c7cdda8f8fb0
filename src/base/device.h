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

// OpenBLAS (Debian's libopenblas0-pthread, when it provides the BLAS) on one thread. Its own
// thread pool runs beside LibTorch's OpenMP team and waits by spinning on sched_yield; on a
// machine whose cores are busy elsewhere, every GEMM then waits for a thread without a core:
// patch synthesis at 512 px beside two other busy processes took 30 s with OpenBLAS's default
// pool and 10 to 13 s with one thread, while on an idle machine no method measured a difference
// (docs/PERFORMANCE.md, "Busy machines"). One thread also gives every program the same numbers:
// OpenBLAS's split of a product changes its last bits. Does nothing when the user set OPENBLAS_NUM_THREADS
// (or GOTO_NUM_THREADS, or OMP_NUM_THREADS, which OpenBLAS also reads), or when the BLAS is not
// OpenBLAS. Returns OpenBLAS's thread count afterwards, 0 without OpenBLAS. Every program that
// links nt_base calls it as it starts (device.cpp); the mains call it again to say so.
int single_threaded_blas();

// Keeps freed memory in the process's heap for the next allocation instead of returning it to
// the system: every run allocates and frees picture-sized tensors, and glibc by default serves
// blocks above 128 KiB (adaptively up to 32 MiB) with fresh mmaps, so each run paid page faults
// on all of them (TransformerNet at 512x512 in bf16: 29 of its 130 ms; docs/PERFORMANCE.md).
// Blocks are never mmapped, and up to 512 MiB of free heap is kept. Call once, early, from main().
void reuse_freed_memory();

// Runs the program again (execv of /proc/self/exe with the same arguments) with
// OMP_WAIT_POLICY=PASSIVE, unless the user set OMP_WAIT_POLICY. LibTorch's OpenMP threads
// otherwise spin at the end of every parallel region, and whenever another thread needs a core
// (a video decoder, an encoder, Mesa's rasterizer, another process) the team waits for a
// spinning thread that has none: measured on 2 cores, a video stylized with Reinhard ran 7x
// slower and the viewer drew 6 frames a second instead of 30 (docs/PERFORMANCE.md). libgomp
// reads the variable when it is loaded, before main(), hence the new start. The networks alone
// lose about 4 % to it on an idle machine. Returns only when it did not re-execute.
// Call first thing in main().
void prefer_passive_openmp(char** argv);

// Auto picks CUDA when available, else the CPU. Cuda without a GPU throws nt::Error with the reason.
c10::Device resolve_device(DeviceChoice choice);

}  // namespace nt
