#pragma once
// The mask as the panel shader reads it: one byte per working pixel (R8, 255 = fully stylized).
// A brush stroke re-sends only the rectangle it touched; a new size or an unknown change sends
// the whole mask. Needs a current GL 3.3 context for every call, the destructor included.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace nt::display {

// Columns [x0, x1) and rows [y0, y1) of a picture.
struct PixelRegion {
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    bool empty() const { return x1 <= x0 || y1 <= y0; }
};

class MaskTexture {
public:
    MaskTexture() = default;
    ~MaskTexture();
    MaskTexture(const MaskTexture&) = delete;
    MaskTexture& operator=(const MaskTexture&) = delete;

    // Sends `region` of `values` (width * height floats in 0..1, rows packed) to the texture;
    // the whole mask when the size changed. Returns the number of pixels sent.
    std::size_t update(const float* values, int width, int height, PixelRegion region);
    unsigned id() const { return id_; }
    int width() const { return width_; }
    int height() const { return height_; }
    bool valid() const { return id_ != 0; }

private:
    unsigned id_ = 0;
    int width_ = 0, height_ = 0;
    std::vector<std::uint8_t> staging_;  // the region's bytes, reused
};

}  // namespace nt::display
