#pragma once
// content.jpg of assets/: a photographic-looking lake landscape, 1024 x 768.
#include "image/image.h"

namespace nt::default_images {

// Paints the landscape; the same bytes on every call of the same build.
Image make_content();

}  // namespace nt::default_images
