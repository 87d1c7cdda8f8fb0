#pragma once
// Test pictures made by the tests themselves, in every container the loader must read. The PNG
// and GIF writers here are deliberately minimal (stored deflate blocks, 9-bit literal LZW) so they
// can produce what stb_image_write cannot: 16-bit, palette and grey+alpha PNGs, multi-frame GIFs.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "image/image.h"

namespace nt::test {

using Bytes = std::vector<std::uint8_t>;

// A deterministic RGB pattern with gradients and fine detail:
// r = 255*x/(w-1), g = 255*y/(h-1), b = ((x ^ y) * 37 + 11 * seed) & 255.
Image make_pattern(int width, int height, int seed = 0);

// PNG of any colour type (0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA) and bit depth (8, 16);
// `samples` holds width*height*channels values (palette indices for type 3).
Bytes make_png(int width, int height, int color_type, int bit_depth, const std::vector<std::uint16_t>& samples,
               const Bytes& palette_rgb = {});

// A PNG whose IHDR claims width x height but holds no pixel data beyond a token IDAT.
Bytes make_png_header_only(std::uint32_t width, std::uint32_t height);

// A zlib stream of stored (uncompressed) deflate blocks holding `raw`.
Bytes zlib_stored(const Bytes& raw);

// A PNG with one IDAT chunk holding `zlib_data` as it is (CRCs right), Adam7 when `interlaced`.
Bytes make_png_with_idat(std::uint32_t width, std::uint32_t height, int bit_depth, int color_type,
                         const Bytes& zlib_data, bool interlaced = false);

// A zlib stream that inflates to about `inflated_bytes` zeros at deflate's fixed-code ratio of
// about 160:1 (a decompression bomb: 1 GiB takes 6.8 MB).
Bytes zlib_of_zeros(std::uint64_t inflated_bytes);

// GIF with a 256-entry global palette and one image per frame (each frame: w*h palette indices).
Bytes make_gif(int width, int height, const Bytes& palette_rgb, const std::vector<Bytes>& frames);

// The JPEG with an EXIF APP1 segment holding `orientation` inserted right after SOI.
Bytes with_exif_orientation(const Bytes& jpeg, int orientation, bool little_endian = true);

Bytes read_bytes(const std::filesystem::path& path);
void write_bytes(const std::filesystem::path& path, const Bytes& bytes);
void write_text(const std::filesystem::path& path, const std::string& text);

// Largest per-channel difference between two images of the same size (255 if sizes differ).
int max_abs_diff(const Image& a, const Image& b);
double mean_abs_diff(const Image& a, const Image& b);

}  // namespace nt::test
