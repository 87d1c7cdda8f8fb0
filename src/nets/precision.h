#pragma once
// The number format the networks compute in, chosen once per run (CLI --precision, the viewer's
// setting). On the CPU, bfloat16 convolutions (oneDNN, channels-last) run about 2x faster than
// float32 on CPUs with AVX512-BF16 and more with AMX, but slower where bf16 is emulated, so
// `auto` decides from the CPU's features at run time (docs/PERFORMANCE.md has the measurements).
// Statistics (instance norm, AdaIN's mean and std) are always taken in float32.
#include <string>

#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

namespace nt {

enum class Precision { Auto, Fp32, Bf16 };

// "auto", "fp32" or "bf16"; throws nt::Error ("--precision TEXT: ...") otherwise.
Precision parse_precision(const std::string& text);
std::string to_string(Precision precision);

// What this CPU can do in bfloat16 natively (x86 CPUID): AVX512-BF16 dot products or AMX tiles.
struct CpuBf16Support {
    bool avx512_bf16 = false;
    bool amx_bf16 = false;
    bool any() const { return avx512_bf16 || amx_bf16; }
};
CpuBf16Support cpu_bf16_support();

// The dtype a network computes in on `device`:
//   CUDA: auto -> float16 (tensor cores), fp32 -> float32, bf16 -> bfloat16;
//   CPU:  auto -> bfloat16 where cpu_bf16_support().any(), else float32; fp32 -> float32;
//         bf16 -> bfloat16, or nt::Error when the CPU has no native bf16 (it would be emulated,
//         several times slower than float32).
c10::ScalarType network_dtype(Precision precision, const c10::Device& device);

// For status lines: "bf16" / "fp32" / "fp16", as network_dtype resolves `precision` on `device`
// ("fp32 (bf16 unsupported)" when an explicit bf16 cannot run there).
std::string precision_label(Precision precision, const c10::Device& device);

}  // namespace nt
