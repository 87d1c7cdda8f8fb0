#pragma once
// Screenshots: the current framebuffer's pixels as an image (F12 and --screenshot).
#include "image/image.h"

namespace nt::display {

// Rows top to bottom (GL reads them bottom-up, so they are flipped here). Needs the GL context.
Image read_framebuffer(int width, int height);

}  // namespace nt::display
