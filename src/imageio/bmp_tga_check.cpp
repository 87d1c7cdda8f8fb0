// The BMP and TGA checks (container_check.h). stb_image reads past the end of a short file as
// zeros, so a truncated BMP or a TGA whose RLE packets run past the end decodes without
// complaint into a partly black picture; these checks find such files before decoding, reading
// the headers the same way stb_image does.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "imageio/container_check.h"

namespace nt {

namespace {

std::uint32_t le16(const std::uint8_t* p) { return std::uint32_t(p[0]) | (std::uint32_t(p[1]) << 8); }
std::uint32_t le32(const std::uint8_t* p) { return le16(p) | (le16(p + 2) << 16); }

// stb_image's TGA pixel formats: components for a bits-per-pixel value, 0 when unsupported.
int tga_components(int bits, bool grey, bool& rgb16) {
    rgb16 = false;
    switch (bits) {
        case 8: return 1;
        case 16:
            if (grey) return 2;
            [[fallthrough]];
        case 15: rgb16 = true; return 3;
        case 24:
        case 32: return bits / 8;
        default: return 0;
    }
}

// Walks the RLE packets of `pixels` pixels of `pixel_bytes` each from `pos`; false when they run
// past the end of the data.
bool tga_rle_fits(const std::uint8_t* data, std::size_t size, std::size_t pos, std::int64_t pixels,
                  std::size_t pixel_bytes) {
    while (pixels > 0) {
        if (pos >= size) return false;
        const std::uint8_t packet = data[pos++];
        const std::int64_t count = 1 + (packet & 127);
        const std::size_t bytes = (packet & 0x80) ? pixel_bytes : std::size_t(count) * pixel_bytes;
        if (bytes > size - pos) return false;
        pos += bytes;
        pixels -= count;
    }
    return true;
}

}  // namespace

bool looks_like_tga(const std::uint8_t* data, std::size_t size) {
    if (size < 18) return false;
    const int colour_map = data[1], type = data[2];
    if (colour_map > 1) return false;
    if (colour_map == 1) {
        const int entry_bits = data[7];
        if ((type != 1 && type != 9) ||
            (entry_bits != 8 && entry_bits != 15 && entry_bits != 16 && entry_bits != 24 && entry_bits != 32))
            return false;
    } else if (type != 2 && type != 3 && type != 10 && type != 11) {
        return false;
    }
    return le16(data + 12) >= 1;
}

std::string check_tga_structure(const std::uint8_t* data, std::size_t size) {
    if (!looks_like_tga(data, size)) return "not a TGA file";
    const bool indexed = data[1] != 0, rle = data[2] >= 8, grey = (data[2] & 7) == 3;
    const std::size_t palette_start = le16(data + 3), palette_length = le16(data + 5);
    const std::int64_t width = le16(data + 12), height = le16(data + 14);
    const int bits = data[16];
    bool rgb16 = false;
    const int components = indexed ? tga_components(data[7], false, rgb16) : tga_components(bits, grey, rgb16);
    if (components == 0 || height < 1) return "corrupt TGA: unsupported pixel format or zero height";
    std::size_t pos = 18 + std::size_t(data[0]);  // after the image ID
    if (indexed) {
        if (bits != 8 && bits != 16) return "corrupt TGA: colour-mapped pixels must be 8 or 16 bits";
        if (palette_length == 0) return "corrupt TGA: empty colour map";
        pos += palette_start + palette_length * (rgb16 ? 2 : std::size_t(components));
    }
    const std::size_t pixel_bytes = indexed ? std::size_t(bits / 8) : rgb16 ? 2 : std::size_t(components);
    const std::int64_t pixels = width * height;
    if (pos > size) return "truncated TGA: data ends inside the colour map";
    if (rle) {
        if (!tga_rle_fits(data, size, pos, pixels, pixel_bytes))
            return "truncated TGA: the RLE data runs past the end of the file";
    } else if (std::uint64_t(pixels) * pixel_bytes > size - pos) {
        return "truncated TGA: data ends before the last pixel";
    }
    return {};
}

std::string check_bmp_structure(const std::uint8_t* data, std::size_t size) {
    if (size < 26 || data[0] != 'B' || data[1] != 'M') return "truncated BMP: the header is incomplete";
    const std::uint32_t offset = le32(data + 10), header_size = le32(data + 14);
    if (header_size != 12 && header_size != 40 && header_size != 56 && header_size != 108 && header_size != 124)
        return "BMP type not supported: info header of " + std::to_string(header_size) + " bytes";
    std::int64_t width, height;
    std::size_t bpp_at;
    if (header_size == 12) {
        width = le16(data + 18);
        height = le16(data + 20);
        bpp_at = 24;
    } else {
        if (size < 30) return "truncated BMP: the header is incomplete";
        width = std::int32_t(le32(data + 18));
        height = std::int32_t(le32(data + 22));
        bpp_at = 28;
    }
    if (width <= 0 || height == 0)
        return "corrupt BMP: the header declares a " + std::to_string(width) + "x" + std::to_string(height) +
               " picture";
    const std::int64_t rows = std::llabs(height);  // negative: rows stored top-down
    if (size < bpp_at + 2) return "truncated BMP: the header is incomplete";
    const std::uint32_t bpp = le16(data + bpp_at);
    if (bpp != 1 && bpp != 4 && bpp != 8 && bpp != 16 && bpp != 24 && bpp != 32)
        return "corrupt BMP: " + std::to_string(bpp) + " bits per pixel";
    if (header_size != 12) {
        if (size < 34) return "truncated BMP: the header is incomplete";
        // stb_image refuses RLE (1, 2) and JPEG/PNG (4, 5) itself but reads any negative value as
        // uncompressed (the fuzzer's 34-byte file declaring 80 megapixels), so we refuse all others.
        const std::uint32_t compression = le32(data + 30);
        if (compression == 1 || compression == 2) return "BMP type not supported: RLE compression";
        if (compression != 0 && compression != 3)
            return "BMP type not supported: compression type " + std::to_string(compression);
    }
    // Rows are padded to 4 bytes; the last row's padding may be missing.
    const std::uint64_t stride = (std::uint64_t(width) * bpp + 31) / 32 * 4;
    const std::uint64_t last_row = (std::uint64_t(width) * bpp + 7) / 8;
    if (std::uint64_t(offset) + stride * std::uint64_t(rows - 1) + last_row > size)
        return "truncated BMP: data ends before the last row of pixels";
    return {};
}

}  // namespace nt
