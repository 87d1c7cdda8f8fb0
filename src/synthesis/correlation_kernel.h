#pragma once
// A "valid" multi-channel 2-D correlation on the CPU, float32, no padding and stride 1:
//   out[o][y][x] = sum over i, dy, dx of weights[o][i][dy][dx] * in[i][y + dy][x + dx],
// in [I, H, W], weights [O, I, p, p], out [O, H - p + 1, W - p + 1], all contiguous.
// The kernel keeps a block of outputs x 32 pixels in vector registers while it runs through the
// I p^2 taps, so each loaded input vector feeds up to 8 fused multiply-adds and nothing but the
// result is written (about 200 GFLOP/s on one core of this AMD EPYC with AVX-512, against 14
// GFLOP/s for an im2col + OpenBLAS GEMM of the same products: the patch matrix, 3 p^2 times the
// picture, is the cost). Built for vectors of 16, 8 and 4 floats, each with its own blocking
// (AVX-512 has 32 registers, AVX2 16), and run at the widest this CPU has: with 16-float
// vectors on an AVX2 CPU the accumulators spilled and a 512x512 run took 74 s instead of 8.4.
// Output rows are split over LibTorch's intra-op threads.
#include <cstdint>

namespace nt {

struct CorrelationShape {
    std::int64_t in_channels, height, width;  // the input [I, H, W]
    std::int64_t out_channels, patch;         // the weights [O, I, p, p]
    std::int64_t out_height() const { return height - patch + 1; }
    std::int64_t out_width() const { return width - patch + 1; }
};

// Throws nothing; the caller checks that H and W are at least p.
void correlate_valid(const float* in, const float* weights, const CorrelationShape& shape, float* out);

}  // namespace nt
