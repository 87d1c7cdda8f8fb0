#include "nets/precision.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "base/error.h"

namespace nt {

Precision parse_precision(const std::string& text) {
    if (text == "auto") return Precision::Auto;
    if (text == "fp32") return Precision::Fp32;
    if (text == "bf16") return Precision::Bf16;
    throw Error("--precision " + text, "expected auto, fp32 or bf16");
}

std::string to_string(Precision precision) {
    switch (precision) {
        case Precision::Fp32: return "fp32";
        case Precision::Bf16: return "bf16";
        case Precision::Auto: break;
    }
    return "auto";
}

CpuBf16Support cpu_bf16_support() {
    CpuBf16Support s;
#if defined(__x86_64__) || defined(__i386__)
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) == 0) return s;
    const unsigned max_subleaf = eax;
    const bool avx512f = (ebx >> 16) & 1u;
    s.amx_bf16 = (edx >> 22) & 1u;
    if (max_subleaf >= 1 && __get_cpuid_count(7, 1, &eax, &ebx, &ecx, &edx) != 0)
        s.avx512_bf16 = avx512f && ((eax >> 5) & 1u);
    // The OS must also save the registers' state (XCR0): AVX-512's (bits 5-7) and AMX's tiles
    // (bits 17-18), or the instructions fault.
    unsigned xcr0 = 0;
    if (__get_cpuid(1, &eax, &ebx, &ecx, &edx) != 0 && ((ecx >> 27) & 1u)) {
        unsigned hi = 0;
        __asm__ volatile("xgetbv" : "=a"(xcr0), "=d"(hi) : "c"(0));
    }
    if ((xcr0 & 0xE6u) != 0xE6u) s.avx512_bf16 = false;
    if ((xcr0 & 0x60000u) != 0x60000u) s.amx_bf16 = false;
#endif
    return s;
}

c10::ScalarType network_dtype(Precision precision, const c10::Device& device) {
    if (device.is_cuda()) {
        if (precision == Precision::Fp32) return at::kFloat;
        return precision == Precision::Bf16 ? at::kBFloat16 : at::kHalf;
    }
    if (precision == Precision::Fp32) return at::kFloat;
    const bool native = cpu_bf16_support().any();
    if (precision == Precision::Bf16 && !native)
        throw Error("--precision bf16", "this CPU has no native bfloat16 (AVX512-BF16 or AMX): use auto or fp32");
    return native ? at::kBFloat16 : at::kFloat;
}

std::string precision_label(Precision precision, const c10::Device& device) {
    try {
        const c10::ScalarType t = network_dtype(precision, device);
        return t == at::kBFloat16 ? "bf16" : t == at::kHalf ? "fp16" : "fp32";
    } catch (const Error&) {
        return "fp32 (bf16 unsupported)";
    }
}

}  // namespace nt
