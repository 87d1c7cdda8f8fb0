#include "display/framebuffer_capture.h"

#include <GL/gl.h>

#include <algorithm>
#include <cstring>

namespace nt::display {

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

}  // namespace nt::display
