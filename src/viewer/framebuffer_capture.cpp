#include "viewer/gl_texture.h"

#include <GL/gl.h>

#include <algorithm>
#include <cstring>

namespace nt::viewer {

GlTexture::~GlTexture() {
    if (id_ != 0) {
        const GLuint id = id_;
        glDeleteTextures(1, &id);
    }
}

void GlTexture::upload(const Image& image) {
    if (image.empty()) return;
    if (id_ == 0) {
        GLuint id = 0;
        glGenTextures(1, &id);
        id_ = id;
        glBindTexture(GL_TEXTURE_2D, id_);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, nearest_ ? GL_NEAREST : GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    }
    glBindTexture(GL_TEXTURE_2D, id_);
    // RGB rows are 3 * width bytes, not a multiple of 4 in general.
    GLint previous_alignment = 4;
    glGetIntegerv(GL_UNPACK_ALIGNMENT, &previous_alignment);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    if (image.width != width_ || image.height != height_) {
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGB8, image.width, image.height, 0, GL_RGB, GL_UNSIGNED_BYTE, nullptr);
        width_ = image.width;
        height_ = image.height;
    }
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, width_, height_, GL_RGB, GL_UNSIGNED_BYTE, image.pixels.data());
    glPixelStorei(GL_UNPACK_ALIGNMENT, previous_alignment);
}

void GlTexture::set_nearest_magnification(bool nearest) {
    if (nearest == nearest_) return;
    nearest_ = nearest;
    if (id_ == 0) return;
    glBindTexture(GL_TEXTURE_2D, id_);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, nearest ? GL_NEAREST : GL_LINEAR);
}

Image read_framebuffer(int width, int height) {
    Image image(std::max(width, 0), std::max(height, 0));
    if (image.empty()) return image;
    Image bottom_up(image.width, image.height);
    GLint previous_alignment = 4;
    glGetIntegerv(GL_PACK_ALIGNMENT, &previous_alignment);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, bottom_up.pixels.data());
    glPixelStorei(GL_PACK_ALIGNMENT, previous_alignment);
    for (int y = 0; y < height; ++y) std::memcpy(image.row(y), bottom_up.row(height - 1 - y), image.row_bytes());
    return image;
}

}  // namespace nt::viewer
