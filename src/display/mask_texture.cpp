#include "display/mask_texture.h"

#define GL_GLEXT_PROTOTYPES 1
#include <GL/gl.h>
#include <GL/glext.h>

#include <algorithm>
#include <cmath>

namespace nt::display {

MaskTexture::~MaskTexture() {
    if (id_ != 0) {
        const GLuint id = id_;
        glDeleteTextures(1, &id);
    }
}

std::size_t MaskTexture::update(const float* values, int width, int height, PixelRegion region) {
    if (width <= 0 || height <= 0 || !values) return 0;
    if (id_ == 0) {
        GLuint id = 0;
        glGenTextures(1, &id);
        id_ = id;
    }
    glBindTexture(GL_TEXTURE_2D, id_);
    if (width != width_ || height != height_) {
        glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, width, height, 0, GL_RED, GL_UNSIGNED_BYTE, nullptr);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAX_LEVEL, 0);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
        width_ = width;
        height_ = height;
        region = {0, 0, width, height};
    }
    region = {std::max(region.x0, 0), std::max(region.y0, 0), std::min(region.x1, width), std::min(region.y1, height)};
    if (region.empty()) return 0;
    const int w = region.x1 - region.x0, h = region.y1 - region.y0;
    staging_.resize(static_cast<std::size_t>(w) * h);
    for (int y = 0; y < h; ++y) {
        const float* row = values + static_cast<std::size_t>(region.y0 + y) * width + region.x0;
        std::uint8_t* out = staging_.data() + static_cast<std::size_t>(y) * w;
        for (int x = 0; x < w; ++x)
            out[x] = static_cast<std::uint8_t>(std::lround(std::clamp(row[x], 0.0f, 1.0f) * 255.0f));
    }
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexSubImage2D(GL_TEXTURE_2D, 0, region.x0, region.y0, w, h, GL_RED, GL_UNSIGNED_BYTE, staging_.data());
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    return staging_.size();
}

}  // namespace nt::display
