// The precision setting: its names, what each choice resolves to per device, the CPU feature
// check against the kernel's own reading of the CPU, and bf16 refused where it would be emulated.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "base/error.h"
#include "nets/precision.h"

namespace nt {
namespace {

TEST(Precision, NamesRoundTrip) {
    for (Precision p : {Precision::Auto, Precision::Fp32, Precision::Bf16}) EXPECT_EQ(parse_precision(to_string(p)), p);
    EXPECT_THROW(parse_precision("fp16"), Error);
    EXPECT_THROW(parse_precision("BF16"), Error);
}

TEST(Precision, CudaChoicesNeedNoCpuFeature) {
    const c10::Device gpu(c10::kCUDA, 0);
    EXPECT_EQ(network_dtype(Precision::Auto, gpu), at::kHalf);
    EXPECT_EQ(network_dtype(Precision::Fp32, gpu), at::kFloat);
    EXPECT_EQ(network_dtype(Precision::Bf16, gpu), at::kBFloat16);
    EXPECT_EQ(precision_label(Precision::Auto, gpu), "fp16");
}

TEST(Precision, CpuAutoIsBf16ExactlyWhereTheCpuHasIt) {
    const c10::Device cpu(c10::kCPU);
    const bool native = cpu_bf16_support().any();
    EXPECT_EQ(network_dtype(Precision::Fp32, cpu), at::kFloat);
    EXPECT_EQ(network_dtype(Precision::Auto, cpu), native ? at::kBFloat16 : at::kFloat);
    if (native) {
        EXPECT_EQ(network_dtype(Precision::Bf16, cpu), at::kBFloat16);
        EXPECT_EQ(precision_label(Precision::Bf16, cpu), "bf16");
    } else {
        EXPECT_THROW(network_dtype(Precision::Bf16, cpu), Error);
        EXPECT_EQ(precision_label(Precision::Bf16, cpu), "fp32 (bf16 unsupported)");
    }
}

// Linux lists the CPU's features (as the kernel enabled them) in /proc/cpuinfo.
TEST(Precision, CpuidAgreesWithTheKernelsFlags) {
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line) && line.rfind("flags", 0) != 0) {}
    if (line.empty()) GTEST_SKIP() << "no /proc/cpuinfo flags line";
    std::istringstream words(line.substr(line.find(':') + 1));
    bool avx512_bf16 = false, amx_bf16 = false;
    for (std::string w; words >> w;) avx512_bf16 |= w == "avx512_bf16", amx_bf16 |= w == "amx_bf16";
    const CpuBf16Support s = cpu_bf16_support();
    EXPECT_EQ(s.avx512_bf16, avx512_bf16);
    EXPECT_EQ(s.amx_bf16, amx_bf16);
}

}  // namespace
}  // namespace nt
