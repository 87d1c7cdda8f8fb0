#include "imageio/exif_orientation.h"

#include <cstring>
#include <utility>

namespace nt {

namespace {

struct Reader {
    const std::uint8_t* data;
    std::size_t size;
    bool little;
    bool ok(std::size_t offset, std::size_t n) const { return offset <= size && n <= size - offset; }
    std::uint16_t u16(std::size_t o) const {
        return little ? std::uint16_t(data[o] | (data[o + 1] << 8)) : std::uint16_t((data[o] << 8) | data[o + 1]);
    }
    std::uint32_t u32(std::size_t o) const {
        return little ? std::uint32_t(data[o]) | (std::uint32_t(data[o + 1]) << 8) |
                            (std::uint32_t(data[o + 2]) << 16) | (std::uint32_t(data[o + 3]) << 24)
                      : (std::uint32_t(data[o]) << 24) | (std::uint32_t(data[o + 1]) << 16) |
                            (std::uint32_t(data[o + 2]) << 8) | std::uint32_t(data[o + 3]);
    }
};

// Orientation from a TIFF block (the payload of an "Exif\0\0" APP1 segment).
int orientation_from_tiff(const std::uint8_t* tiff, std::size_t size) {
    if (size < 8) return 1;
    Reader r{tiff, size, false};
    if (tiff[0] == 'I' && tiff[1] == 'I') r.little = true;
    else if (!(tiff[0] == 'M' && tiff[1] == 'M')) return 1;
    if (r.u16(2) != 42) return 1;
    const std::size_t ifd = r.u32(4);
    if (!r.ok(ifd, 2)) return 1;
    const std::size_t count = r.u16(ifd);
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t entry = ifd + 2 + 12 * i;
        if (!r.ok(entry, 12)) return 1;
        if (r.u16(entry) != 0x0112) continue;
        const std::uint16_t type = r.u16(entry + 2);
        if (type != 3 /* SHORT */ || r.u32(entry + 4) < 1) return 1;
        return r.u16(entry + 8);  // the caller refuses values outside 1..8
    }
    return 1;
}

}  // namespace

int read_jpeg_exif_orientation(const std::uint8_t* data, std::size_t size) {
    if (size < 4 || data[0] != 0xFF || data[1] != 0xD8) return 1;
    std::size_t pos = 2;
    // EXIF lives in an APP1 segment among the header segments, before the first scan.
    while (pos + 4 <= size) {
        if (data[pos] != 0xFF) return 1;
        const std::uint8_t marker = data[pos + 1];
        if (marker == 0xFF) {
            ++pos;
            continue;
        }
        if (marker == 0xDA || marker == 0xD9) return 1;
        const std::size_t length = (std::size_t(data[pos + 2]) << 8) | data[pos + 3];
        if (length < 2 || pos + 2 + length > size) return 1;
        const std::uint8_t* payload = data + pos + 4;
        const std::size_t payload_size = length - 2;
        if (marker == 0xE1 && payload_size >= 6 && std::memcmp(payload, "Exif\0\0", 6) == 0)
            return orientation_from_tiff(payload + 6, payload_size - 6);
        pos += 2 + length;
    }
    return 1;
}

Image apply_exif_orientation(const Image& in, int orientation) {
    if (orientation < 2 || orientation > 8) return in;
    const bool swaps = orientation >= 5;
    const int W = in.width, H = in.height;
    Image out(swaps ? H : W, swaps ? W : H);
    for (int oy = 0; oy < out.height; ++oy) {
        for (int ox = 0; ox < out.width; ++ox) {
            int sx = ox, sy = oy;
            switch (orientation) {
                case 2:
                    sx = W - 1 - ox;
                    sy = oy;
                    break;  // mirror left-right
                case 3:
                    sx = W - 1 - ox;
                    sy = H - 1 - oy;
                    break;  // rotate 180
                case 4:
                    sx = ox;
                    sy = H - 1 - oy;
                    break;  // mirror top-bottom
                case 5:
                    sx = oy;
                    sy = ox;
                    break;  // transpose
                case 6:
                    sx = oy;
                    sy = H - 1 - ox;
                    break;  // rotate 90 clockwise
                case 7:
                    sx = W - 1 - oy;
                    sy = H - 1 - ox;
                    break;  // transverse
                case 8:
                    sx = W - 1 - oy;
                    sy = ox;
                    break;  // rotate 90 counter-clockwise
            }
            std::memcpy(out.at(ox, oy), in.at(sx, sy), 3);
        }
    }
    return out;
}

}  // namespace nt
