#include "display/rgba8_texture.h"

#define GL_GLEXT_PROTOTYPES 1
#include <GL/gl.h>
#include <GL/glext.h>

#include <cstring>

namespace nt::gl {

const char* to_string(UploadMode mode) { return mode == UploadMode::Pbo ? "pbo" : "direct"; }

bool context_has_texture_storage() {
    GLint major = 0, minor = 0;
    glGetIntegerv(GL_MAJOR_VERSION, &major);
    glGetIntegerv(GL_MINOR_VERSION, &minor);
    if (major > 4 || (major == 4 && minor >= 2)) return true;
    GLint count = 0;
    glGetIntegerv(GL_NUM_EXTENSIONS, &count);
    for (GLint i = 0; i < count; ++i) {
        const auto* name = reinterpret_cast<const char*>(glGetStringi(GL_EXTENSIONS, GLuint(i)));
        if (name && std::strcmp(name, "GL_ARB_texture_storage") == 0) return true;
    }
    return false;
}

Rgba8Texture::~Rgba8Texture() { release(); }

void Rgba8Texture::release() {
    if (id_ != 0) {
        const GLuint id = id_;
        glDeleteTextures(1, &id);
        id_ = 0;
    }
    if (pbos_[0] != 0) {
        const GLuint pbos[2] = {pbos_[0], pbos_[1]};
        glDeleteBuffers(2, pbos);
        pbos_[0] = pbos_[1] = 0;
    }
    width_ = height_ = 0;
}

void Rgba8Texture::apply_filters() {
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
}

void Rgba8Texture::ensure_size(int width, int height) {
    if (id_ != 0 && width == width_ && height == height_) return;
    release();
    if (width <= 0 || height <= 0) return;
    GLuint id = 0;
    glGenTextures(1, &id);
    id_ = id;
    glBindTexture(GL_TEXTURE_2D, id_);
    immutable_ = context_has_texture_storage();
    if (immutable_) {
        glTexStorage2D(GL_TEXTURE_2D, 1, GL_RGBA8, width, height);
    } else {
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAX_LEVEL, 0);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
    }
    apply_filters();
    width_ = width;
    height_ = height;
}

void Rgba8Texture::upload(const std::uint8_t* rgba, std::size_t stride) {
    if (id_ == 0) return;
    glBindTexture(GL_TEXTURE_2D, id_);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, GLint(stride / 4));
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, width_, height_, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
}

void Rgba8Texture::fill(const FrameWriter& write) {
    if (id_ == 0) return;
    const std::size_t stride = std::size_t(width_) * 4;
    const std::size_t bytes = stride * std::size_t(height_);
    if (mode_ == UploadMode::Direct) {
        staging_.resize(bytes);
        write(staging_.data(), stride);
        upload(staging_.data(), stride);
        return;
    }
    if (pbos_[0] == 0) {
        GLuint pbos[2] = {0, 0};
        glGenBuffers(2, pbos);
        pbos_[0] = pbos[0];
        pbos_[1] = pbos[1];
        for (GLuint pbo : pbos) {
            glBindBuffer(GL_PIXEL_UNPACK_BUFFER, pbo);
            glBufferData(GL_PIXEL_UNPACK_BUFFER, GLsizeiptr(bytes), nullptr, GL_STREAM_DRAW);
        }
    }
    // Alternate two buffers, each allocated once per size, and map with INVALIDATE: the driver may
    // hand back fresh memory instead of waiting for a transfer that still reads the old contents.
    glBindBuffer(GL_PIXEL_UNPACK_BUFFER, pbos_[next_pbo_]);
    next_pbo_ ^= 1;
    void* dst =
        glMapBufferRange(GL_PIXEL_UNPACK_BUFFER, 0, GLsizeiptr(bytes), GL_MAP_WRITE_BIT | GL_MAP_INVALIDATE_BUFFER_BIT);
    if (!dst) {  // mapping refused: fall back to client memory for this frame
        glBindBuffer(GL_PIXEL_UNPACK_BUFFER, 0);
        staging_.resize(bytes);
        write(staging_.data(), stride);
        upload(staging_.data(), stride);
        return;
    }
    write(static_cast<std::uint8_t*>(dst), stride);
    glUnmapBuffer(GL_PIXEL_UNPACK_BUFFER);
    upload(nullptr, stride);  // source: offset 0 in the bound unpack buffer
    glBindBuffer(GL_PIXEL_UNPACK_BUFFER, 0);
}

}  // namespace nt::gl
