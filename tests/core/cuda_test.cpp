// The CUDA path must give the CPU's pixels (within one level). Skipped where no GPU is usable.
#include <gtest/gtest.h>

#include "base/device.h"
#include "base/error.h"
#include "stylize/stylize.h"
#include "support/test_images.h"

namespace nt {
namespace {

TEST(Device, ParsesChoices) {
    EXPECT_EQ(parse_device_choice("auto"), DeviceChoice::Auto);
    EXPECT_EQ(parse_device_choice("CPU"), DeviceChoice::Cpu);
    EXPECT_EQ(parse_device_choice("cuda"), DeviceChoice::Cuda);
    EXPECT_THROW(parse_device_choice("tpu"), Error);
    EXPECT_EQ(resolve_device(DeviceChoice::Cpu).type(), c10::kCPU);
}

TEST(Device, CudaRequestWithoutGpuIsAClearError) {
    if (cuda_available()) GTEST_SKIP() << "a CUDA GPU is present";
    EXPECT_FALSE(cuda_unavailable_reason().empty());
    EXPECT_EQ(resolve_device(DeviceChoice::Auto).type(), c10::kCPU);
    try {
        resolve_device(DeviceChoice::Cuda);
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("CUDA is not available"), std::string::npos) << e.what();
    }
}

TEST(Device, CudaResultEqualsCpuResult) {
    if (!cuda_available()) GTEST_SKIP() << "no CUDA GPU: " << cuda_unavailable_reason();
    const Image content = test::make_pattern(300, 200, 1);
    const Image style = test::make_pattern(120, 90, 2);
    StylizeOptions cpu, gpu;
    cpu.device = DeviceChoice::Cpu;
    gpu.device = DeviceChoice::Cuda;
    for (const char* size : {"512", "long:300", "original"}) {
        cpu.size = gpu.size = parse_size_spec(size);
        EXPECT_LE(test::max_abs_diff(stylize(content, style, cpu), stylize(content, style, gpu)), 1) << size;
    }
}

}  // namespace
}  // namespace nt
