#pragma once
// An OpenGL texture holding one RGB picture. Storage is allocated once per size (glTexImage2D)
// and later uploads of the same size only replace the pixels (glTexSubImage2D). Needs a current
// GL context for every call, including the destructor.
#include <cstdint>

#include "core/image.h"

namespace nt::viewer {

class GlTexture {
public:
    GlTexture() = default;
    ~GlTexture();
    GlTexture(const GlTexture&) = delete;
    GlTexture& operator=(const GlTexture&) = delete;

    void upload(const Image& image);
    // Magnified pixels show as crisp squares (inspection); minified ones are filtered.
    void set_nearest_magnification(bool nearest);

    bool valid() const { return id_ != 0 && width_ > 0; }
    std::uint32_t id() const { return id_; }
    int width() const { return width_; }
    int height() const { return height_; }

private:
    std::uint32_t id_ = 0;
    int width_ = 0;
    int height_ = 0;
    bool nearest_ = false;
};

// The current framebuffer's pixels as an image, rows top to bottom (GL reads bottom-up).
Image read_framebuffer(int width, int height);

}  // namespace nt::viewer
