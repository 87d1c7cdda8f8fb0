#pragma once
// style.jpg of assets/: night_sky.h's composition painted in oriented brush strokes.
#include "image/image.h"

namespace nt::default_images {

// Paints the style picture, 768 x 768; the same bytes on every call of the same build.
Image make_style();

}  // namespace nt::default_images
