#pragma once
// Colour histograms of a panel's picture: 256 bins of R, G, B and the luminance (Rec. 709
// weights on the 8-bit values). Computed on the CPU from the pixels the readout uses, and only
// when the picture changed (HistogramCache).
#include <array>
#include <cstdint>

namespace nt::viewer {

struct Histogram {
    enum Row { Red = 0, Green = 1, Blue = 2, Luminance = 3 };
    std::array<std::array<std::uint32_t, 256>, 4> bins{};
    std::array<std::uint32_t, 4> peak{};  // the largest bin of each row, for scaling
    std::uint64_t pixels = 0;
};

// `data`: width * height pixels of `channels` bytes (3 or 4; the first three are R, G, B), rows packed.
Histogram compute_histogram(const std::uint8_t* data, int width, int height, int channels);

// The luminance (0..255): Rec. 709 weights in 8-bit integers, as the luminance view shows it.
inline int luminance_of(int r, int g, int b) { return (54 * r + 183 * g + 19 * b + 128) >> 8; }

// One panel's histogram, kept until its picture changes (the display's picture generation).
struct HistogramCache {
    std::uint64_t generation = 0;  // 0: never computed
    Histogram histogram;
};

// Recomputes `cache` from the pixels only when `generation` is not the one it was computed at;
// returns whether it did. Pixels that are not at hand (nullptr) leave it as it is.
bool refresh_histogram(HistogramCache& cache, std::uint64_t generation, const std::uint8_t* data, int width, int height,
                       int channels);

}  // namespace nt::viewer
