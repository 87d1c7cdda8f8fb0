#include "viewer/state/histogram.h"

#include <algorithm>
#include <cstddef>

namespace nt::viewer {

Histogram compute_histogram(const std::uint8_t* data, int width, int height, int channels) {
    Histogram h;
    if (!data || width <= 0 || height <= 0 || channels < 3) return h;
    const std::size_t count = static_cast<std::size_t>(width) * height;
    auto& r = h.bins[Histogram::Red];
    auto& g = h.bins[Histogram::Green];
    auto& b = h.bins[Histogram::Blue];
    auto& l = h.bins[Histogram::Luminance];
    for (std::size_t i = 0; i < count; ++i, data += channels) {
        ++r[data[0]];
        ++g[data[1]];
        ++b[data[2]];
        ++l[luminance_of(data[0], data[1], data[2])];
    }
    for (int row = 0; row < 4; ++row) h.peak[row] = *std::max_element(h.bins[row].begin(), h.bins[row].end());
    h.pixels = count;
    return h;
}

bool refresh_histogram(HistogramCache& cache, std::uint64_t generation, const std::uint8_t* data, int width, int height,
                       int channels) {
    if (generation == cache.generation || !data) return false;
    cache.histogram = compute_histogram(data, width, height, channels);
    cache.generation = generation;
    return true;
}

}  // namespace nt::viewer
