#pragma once
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
