#pragma once
// The EXIF orientation tag (0x0112) of JPEG files, and the transform that makes such a picture
// upright. Phones store pixels as the sensor saw them and record the rotation in this tag.
#include <cstddef>
#include <cstdint>

#include "image/image.h"

namespace nt {

// The orientation tag's value: 1..8 as defined by EXIF 2.3 (1 = upright), or any other 16-bit
// value a corrupt file holds (load_image refuses those); 1 when the file has no or a malformed
// EXIF block.
int read_jpeg_exif_orientation(const std::uint8_t* data, std::size_t size);

// Applies the transform that displays a picture tagged `orientation` upright.
Image apply_exif_orientation(const Image& image, int orientation);

}  // namespace nt
