#pragma once
// The content and style panels' textures: opaque RGBA8 in the same kind of texture as the result.
#include "core/image.h"
#include "core/methods/blend_rgba8.h"
#include "gl/rgba8_texture.h"

namespace nt::viewer {

inline void upload_rgb(gl::Rgba8Texture& texture, const Image& image) {
    if (image.empty()) return;
    texture.ensure_size(image.width, image.height);
    texture.fill([&](std::uint8_t* dst, std::size_t stride) {
        rgb_to_rgba8(image.pixels.data(), image.width, image.height, dst, stride);
    });
}

}  // namespace nt::viewer
