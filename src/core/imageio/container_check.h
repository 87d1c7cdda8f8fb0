#pragma once
// Structural checks of JPEG and PNG files before decoding. stb_image decodes a truncated JPEG
// without complaint (it pads the missing data), and neither it nor most viewers check PNG CRCs;
// a professional tool must refuse such files rather than show half a picture.
#include <cstddef>
#include <cstdint>
#include <string>

namespace nt {

enum class ContainerKind { Jpeg, Png, Gif, Bmp, Other };

// Recognises the file type from its first bytes (TGA has no signature and comes out as Other).
ContainerKind sniff_container(const std::uint8_t* data, std::size_t size);

// The pixel size a file's header claims, read without decoding (JPEG SOF, PNG IHDR, GIF logical
// screen, BMP info header), so oversized pictures can be refused with their size in the message.
// Returns false when the header is not readable or the container is not one of those four.
bool read_header_size(const std::uint8_t* data, std::size_t size, ContainerKind kind, std::int64_t& width,
                      std::int64_t& height);

// Returns an empty string when the marker structure of a JPEG is complete (SOI ... EOI),
// otherwise the reason, e.g. "truncated JPEG: data ends before the end-of-image marker".
std::string check_jpeg_structure(const std::uint8_t* data, std::size_t size);

// Returns an empty string when every PNG chunk is complete with a correct CRC and IEND is
// present, otherwise the reason.
std::string check_png_structure(const std::uint8_t* data, std::size_t size);

}  // namespace nt
