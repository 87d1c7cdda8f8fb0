// The CUDA path must give the CPU's pixels (within one level; skipped where no GPU is usable), and the
// CPU thread settings of base/device.h.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <cstdlib>

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

// OpenBLAS's own pool on one thread (base/device.h) from the start, unless the user chose a count:
// with the OpenBLAS that scripts/install_deps.sh installs the call leaves one thread; with another BLAS
// (a CUDA LibTorch with MKL) it finds no OpenBLAS and says so with 0.
TEST(Device, OpenBlasRunsOnOneThreadUnlessTheUserChose) {
    const auto get = reinterpret_cast<int (*)()>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
    unsetenv("GOTO_NUM_THREADS");
    unsetenv("OMP_NUM_THREADS");
    setenv("OPENBLAS_NUM_THREADS", "2", 1);
    if (!get) {
        EXPECT_EQ(nt::single_threaded_blas(), 0);
        return;
    }
    const int before = get();
    EXPECT_EQ(before, 1);                           // already so as the program started (device.cpp)
    EXPECT_EQ(nt::single_threaded_blas(), before);  // the user's choice stands
    unsetenv("OPENBLAS_NUM_THREADS");
    EXPECT_EQ(nt::single_threaded_blas(), 1);
    EXPECT_EQ(get(), 1);
}
