#pragma once
// An 8-bit RGB picture in host memory: the exchange format between image files, resizing and tensors.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace nt {

struct Image {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> pixels;  // RGB interleaved, rows top to bottom, no padding

    Image() = default;
    Image(int w, int h) : width(w), height(h), pixels(static_cast<std::size_t>(w) * h * 3, 0) {}

    bool empty() const { return width <= 0 || height <= 0; }
    std::size_t row_bytes() const { return static_cast<std::size_t>(width) * 3; }
    std::uint8_t* row(int y) { return pixels.data() + row_bytes() * y; }
    const std::uint8_t* row(int y) const { return pixels.data() + row_bytes() * y; }
    std::uint8_t* at(int x, int y) { return row(y) + 3 * static_cast<std::size_t>(x); }
    const std::uint8_t* at(int x, int y) const { return row(y) + 3 * static_cast<std::size_t>(x); }
};

}  // namespace nt
