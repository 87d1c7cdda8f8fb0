#pragma once
#include <algorithm>
#include <atomic>
#include <cstdint>

// Marks a hot loop to be compiled for AVX-512 and AVX2 as well as the baseline: GCC picks one at
// load time by the CPU's features. Debian builds for baseline x86-64, where these loops would run
// 4 floats at a time instead of 16. Not under ThreadSanitizer: it instruments the clones'
// resolvers, which the dynamic loader runs before the sanitizer's runtime exists (a crash at
// start-up, seen in CI's TSan stage).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_THREAD__)
#define NT_ROW_KERNEL __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define NT_ROW_KERNEL
#endif
#define NT_INLINE inline __attribute__((always_inline))

// Hand-vectorised loops use GCC vector types of W floats. A vector wider than the CPU's
// registers is lowered element by element through the stack: 16-float vectors on a CPU with
// AVX2 but not AVX-512 made patch synthesis 1.7x slower than 8-float ones. So such a loop is a
// template on W, built once per width for the instruction set that runs it natively, and
// NT_LANE_DISPATCH picks the one this CPU runs (float_lanes()).

namespace nt {

template <int W>
struct FloatLanes {
    typedef float type __attribute__((vector_size(4 * W)));
    typedef std::int32_t index_type __attribute__((vector_size(4 * W)));  // a lane mask or a lane's index
};

// The widest vectors the kernels may use (16, 8 or 4): the tests run every width this CPU has.
inline std::atomic<int>& float_lanes_limit() {
    static std::atomic<int> limit{16};
    return limit;
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define NT_TARGET_W16 __attribute__((target("arch=x86-64-v4")))
#define NT_TARGET_W8 __attribute__((target("arch=x86-64-v3")))
// 16 with AVX-512, 8 with AVX2 and FMA, else 4; at most float_lanes_limit().
inline int float_lanes() {
    static const int native = __builtin_cpu_supports("x86-64-v4") ? 16 : __builtin_cpu_supports("x86-64-v3") ? 8 : 4;
    return std::min(native, float_lanes_limit().load(std::memory_order_relaxed));
}
#else
#define NT_TARGET_W16
#define NT_TARGET_W8
inline int float_lanes() { return 4; }
#endif

}  // namespace nt

// Defines `void NAME PARAMS` that runs NAME##_lanes<W> ARGS (an NT_INLINE template) built for
// the widest vectors this CPU runs natively.
#define NT_LANE_DISPATCH(NAME, PARAMS, ARGS)                       \
    NT_TARGET_W16 void NAME##_16 PARAMS { NAME##_lanes<16> ARGS; } \
    NT_TARGET_W8 void NAME##_8 PARAMS { NAME##_lanes<8> ARGS; }    \
    void NAME##_4 PARAMS { NAME##_lanes<4> ARGS; }                 \
    void NAME PARAMS {                                             \
        switch (::nt::float_lanes()) {                             \
            case 16: NAME##_16 ARGS; break;                        \
            case 8: NAME##_8 ARGS; break;                          \
            default: NAME##_4 ARGS; break;                         \
        }                                                          \
    }
