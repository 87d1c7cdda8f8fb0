#pragma once
// CPU autocast to bfloat16 for one scope (PyTorch's torch.autocast("cpu", torch.bfloat16)):
// convolutions and matrix products run in bf16, reductions and norms in float32, as PyTorch's
// autocast lists decide. Restores the thread's previous autocast state on exit.
#include <ATen/autocast_mode.h>

namespace nt {

class CpuAutocast {
public:
    CpuAutocast() : enabled_(at::autocast::is_cpu_enabled()), dtype_(at::autocast::get_autocast_cpu_dtype()) {
        at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
        at::autocast::set_cpu_enabled(true);
    }
    ~CpuAutocast() {
        at::autocast::set_cpu_enabled(enabled_);
        at::autocast::set_autocast_cpu_dtype(dtype_);
        at::autocast::clear_cache();
    }
    CpuAutocast(const CpuAutocast&) = delete;
    CpuAutocast& operator=(const CpuAutocast&) = delete;

private:
    bool enabled_;
    at::ScalarType dtype_;
};

}  // namespace nt
