#include "imageio/container_check.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "base/limits.h"

namespace nt {

namespace {

std::uint32_t be32(const std::uint8_t* p) {
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | p[3];
}

std::uint32_t crc32(const std::uint8_t* data, std::size_t size) {
    static const std::array<std::uint32_t, 256> table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t n = 0; n < 256; ++n) {
            std::uint32_t c = n;
            for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }();
    std::uint32_t c = 0xFFFFFFFFu;
    for (std::size_t i = 0; i < size; ++i) c = table[(c ^ data[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

constexpr std::uint8_t kPngSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

}  // namespace

ContainerKind sniff_container(const std::uint8_t* data, std::size_t size) {
    if (size >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) return ContainerKind::Jpeg;
    if (size >= 8 && std::memcmp(data, kPngSignature, 8) == 0) return ContainerKind::Png;
    if (size >= 6 && (std::memcmp(data, "GIF87a", 6) == 0 || std::memcmp(data, "GIF89a", 6) == 0))
        return ContainerKind::Gif;
    if (size >= 2 && data[0] == 'B' && data[1] == 'M') return ContainerKind::Bmp;
    return ContainerKind::Other;
}

bool read_header_size(const std::uint8_t* data, std::size_t size, ContainerKind kind, std::int64_t& width,
                      std::int64_t& height) {
    auto le16 = [&](std::size_t o) { return std::int64_t(data[o] | (data[o + 1] << 8)); };
    switch (kind) {
        case ContainerKind::Png:
            if (size < 24 || std::memcmp(data + 12, "IHDR", 4) != 0) return false;
            width = be32(data + 16);
            height = be32(data + 20);
            return true;
        case ContainerKind::Gif:
            if (size < 10) return false;
            width = le16(6);
            height = le16(8);
            return true;
        case ContainerKind::Bmp: {
            if (size < 26) return false;
            const auto le32 = [&](std::size_t o) {
                return std::int32_t(std::uint32_t(le16(o)) | (std::uint32_t(le16(o + 2)) << 16));
            };
            width = std::abs(std::int64_t(le32(18)));
            height = std::abs(std::int64_t(le32(22)));  // negative height: rows stored top-down
            return true;
        }
        case ContainerKind::Jpeg: {
            std::size_t pos = 2;
            while (pos + 4 <= size && data[pos] == 0xFF) {
                const std::uint8_t marker = data[pos + 1];
                if (marker == 0xFF) {
                    ++pos;
                    continue;
                }
                const std::size_t length = (std::size_t(data[pos + 2]) << 8) | data[pos + 3];
                const bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
                if (sof) {
                    if (pos + 9 > size) return false;
                    height = (std::int64_t(data[pos + 5]) << 8) | data[pos + 6];
                    width = (std::int64_t(data[pos + 7]) << 8) | data[pos + 8];
                    return true;
                }
                if (marker == 0xDA || marker == 0xD9 || length < 2) return false;
                pos += 2 + length;
            }
            return false;
        }
        case ContainerKind::Other:  // TGA, when it is one: 16-bit width and height at bytes 12 and 14
            if (!looks_like_tga(data, size)) return false;
            width = le16(12);
            height = le16(14);
            return true;
    }
    return false;
}

namespace {

// What the frame header (SOF) of a JPEG declares, and what its scans hold.
struct JpegFrame {
    std::int64_t width = 0, height = 0;
    int components = 0;
    int h[3] = {1, 1, 1}, v[3] = {1, 1, 1};  // sampling factors of each component
    int max_h = 1, max_v = 1;                // largest ones: an MCU is 8*max_h x 8*max_v pixels
    std::size_t scans = 0, entropy_bytes = 0;
};

// Reads the SOF segment whose length field is at `pos`; returns the reason it cannot be decoded.
std::string read_jpeg_frame(const std::uint8_t* data, std::size_t pos, std::size_t length, JpegFrame& frame) {
    if (length < 8) return "corrupt JPEG: frame header too short";
    const int precision = data[pos + 2], components = data[pos + 7];
    if (precision != 8) return std::to_string(precision) + "-bit JPEG is not supported (8-bit samples only)";
    if (components == 4) return "CMYK JPEG is not supported: convert it to RGB";
    if (components != 1 && components != 3)
        return "JPEG with " + std::to_string(components) + " colour components is not supported";
    if (length < 8 + 3 * std::size_t(components)) return "corrupt JPEG: frame header too short";
    frame.height = (std::int64_t(data[pos + 3]) << 8) | data[pos + 4];
    frame.width = (std::int64_t(data[pos + 5]) << 8) | data[pos + 6];
    frame.components = components;
    for (int c = 0; c < components; ++c) {
        const int h = data[pos + 9 + 3 * c] >> 4, v = data[pos + 9 + 3 * c] & 15;
        if (h < 1 || h > 4 || v < 1 || v > 4) return "corrupt JPEG: invalid sampling factors";
        frame.h[c] = h;
        frame.v[c] = v;
        frame.max_h = std::max(frame.max_h, h);
        frame.max_v = std::max(frame.max_v, v);
    }
    return {};
}

// A Huffman table holds at most 256 codes; stb_image 2.28 writes past its tables when a DHT
// segment's counts add up to more (an out-of-bounds write the fuzzer found), so we refuse them.
std::string check_jpeg_huffman_tables(const std::uint8_t* data, std::size_t pos, std::size_t length) {
    std::size_t at = pos + 2;
    const std::size_t end = pos + length;
    while (at < end) {
        if (end - at < 17 || (data[at] >> 4) > 1 || (data[at] & 15) > 3) return "corrupt JPEG: invalid Huffman table";
        std::size_t codes = 0;
        for (int i = 1; i <= 16; ++i) codes += data[at + i];
        if (codes > 256 || end - at - 17 < codes) return "corrupt JPEG: invalid Huffman table";
        at += 17 + codes;
    }
    return {};
}

// Every 8x8 block of every component is coded at least once, and a Huffman code is never shorter
// than one bit, so a frame needs at least one bit of scan data per block; stb_image would pad the
// rest with zeros, decoding a tiny file into a huge picture.
std::string check_jpeg_data_size(const JpegFrame& frame) {
    if (frame.width < 1 || frame.height < 1) return {};  // the header check names the size
    const auto ceil_div = [](std::int64_t a, std::int64_t b) { return (a + b - 1) / b; };
    std::int64_t blocks = 0;
    for (int c = 0; c < frame.components; ++c)
        blocks += ceil_div(ceil_div(frame.width * frame.h[c], frame.max_h), 8) *
                  ceil_div(ceil_div(frame.height * frame.v[c], frame.max_v), 8);
    if (std::int64_t(frame.entropy_bytes) * 8 >= blocks) return {};
    return "corrupt JPEG: " + std::to_string(frame.entropy_bytes) + " bytes of image data cannot hold a " +
           std::to_string(frame.width) + "x" + std::to_string(frame.height) + " picture";
}

// Skips the entropy-coded data after an SOS header, up to the next real marker (not a stuffed
// byte FF 00 nor a restart marker FF D0..D7). False when the data ends first.
bool skip_entropy_data(const std::uint8_t* data, std::size_t size, std::size_t& pos, std::size_t& bytes) {
    const std::size_t start = pos;
    for (;;) {
        if (pos + 1 >= size) return false;
        if (data[pos] != 0xFF) {
            ++pos;
            continue;
        }
        const std::uint8_t next = data[pos + 1];
        if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
            pos += 2;
        } else if (next == 0xFF) {
            ++pos;
        } else {
            bytes += pos - start;
            return true;
        }
    }
}

}  // namespace

std::string check_jpeg_structure(const std::uint8_t* data, std::size_t size, bool check_size) {
    const std::string truncated = "truncated JPEG: data ends before the end-of-image marker";
    if (size < 4 || data[0] != 0xFF || data[1] != 0xD8) return "not a JPEG file";
    bool seen_frame = false;
    JpegFrame frame;
    std::size_t pos = 2;
    for (;;) {
        if (pos >= size) return truncated;
        if (data[pos] != 0xFF) return "corrupt JPEG: expected a marker at byte " + std::to_string(pos);
        while (pos < size && data[pos] == 0xFF) ++pos;  // fill bytes before a marker
        if (pos >= size) return truncated;
        const std::uint8_t marker = data[pos++];
        if (marker == 0xD9) {  // EOI
            if (!seen_frame) return "corrupt JPEG: no image frame before the end-of-image marker";
            return check_size ? check_jpeg_data_size(frame) : std::string();
        }
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) continue;  // no length field
        if (pos + 2 > size) return truncated;
        const std::size_t length = (std::size_t(data[pos]) << 8) | data[pos + 1];
        if (length < 2) return "corrupt JPEG: invalid segment length";
        if (pos + length > size) return truncated;
        if ((marker >= 0xC0 && marker <= 0xCF) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC && !seen_frame) {
            seen_frame = true;
            if (std::string why = read_jpeg_frame(data, pos, length, frame); !why.empty()) return why;
        }
        if (marker == 0xC4) {
            if (std::string why = check_jpeg_huffman_tables(data, pos, length); !why.empty()) return why;
        }
        pos += length;
        if (marker != 0xDA) continue;
        // A progressive decoder passes over the whole picture once per scan.
        if (++frame.scans > kMaxJpegScans)
            return "JPEG has more than " + std::to_string(kMaxJpegScans) + " scans (corrupt or a decompression bomb)";
        if (!skip_entropy_data(data, size, pos, frame.entropy_bytes)) return truncated;
    }
}

namespace {

// Bytes of filtered scanlines a PNG of this header inflates to (each row: a filter byte, then
// its samples), over the seven Adam7 passes when interlaced; 0 for an invalid header.
std::uint64_t png_inflated_size(std::uint32_t width, std::uint32_t height, int bit_depth, int colour_type,
                                bool interlaced) {
    int channels = 0;
    switch (colour_type) {
        case 0:
        case 3: channels = 1; break;
        case 2: channels = 3; break;
        case 4: channels = 2; break;
        case 6: channels = 4; break;
        default: return 0;
    }
    const auto rows = [&](std::uint64_t w, std::uint64_t h) {
        return w == 0 || h == 0 ? 0 : h * (1 + (w * channels * bit_depth + 7) / 8);
    };
    if (!interlaced) return rows(width, height);
    static const int x0[7] = {0, 4, 0, 2, 0, 1, 0}, y0[7] = {0, 0, 4, 0, 2, 0, 1};
    static const int dx[7] = {8, 8, 4, 4, 2, 2, 1}, dy[7] = {8, 8, 8, 4, 4, 2, 2};
    std::uint64_t total = 0;
    for (int p = 0; p < 7; ++p)
        total += rows((std::uint64_t(width) - x0[p] + dx[p] - 1) / dx[p] * (width > std::uint32_t(x0[p])),
                      (std::uint64_t(height) - y0[p] + dy[p] - 1) / dy[p] * (height > std::uint32_t(y0[p])));
    return total;
}

// A chunk type for messages: its four letters, or their hex codes when they are not letters (a
// corrupt file's bytes must not put a line break or a terminal escape into the one-line message).
std::string chunk_type_name(const std::uint8_t* type) {
    const auto letter = [](std::uint8_t c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
    if (letter(type[0]) && letter(type[1]) && letter(type[2]) && letter(type[3]))
        return std::string(reinterpret_cast<const char*>(type), 4);
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%02X%02X%02X%02X", type[0], type[1], type[2], type[3]);
    return hex;
}

}  // namespace

std::string check_png_structure(const std::uint8_t* data, std::size_t size) {
    const std::string truncated = "truncated PNG: data ends before the IEND chunk";
    if (size < 8 || std::memcmp(data, kPngSignature, 8) != 0) return "not a PNG file";
    std::size_t pos = 8;
    const std::uint8_t* ihdr = nullptr;
    for (;;) {
        if (pos + 12 > size) return truncated;
        const std::uint32_t length = be32(data + pos);
        if (length > 0x7FFFFFFFu) return "corrupt PNG: invalid chunk length";
        if (pos + 12 + std::size_t(length) > size) return truncated;
        const std::uint8_t* type = data + pos + 4;
        const std::string type_name = chunk_type_name(type);
        if (!ihdr && type_name != "IHDR") return "corrupt PNG: first chunk is not IHDR";
        if (!ihdr && length != 13) return "corrupt PNG: IHDR chunk is not 13 bytes";
        const std::uint32_t stored_crc = be32(data + pos + 8 + length);
        if (crc32(type, 4 + std::size_t(length)) != stored_crc)
            return "corrupt PNG: CRC mismatch in " + type_name + " chunk";
        if (!ihdr) ihdr = data + pos + 8;
        pos += 12 + std::size_t(length);
        if (type_name == "IEND") return {};
    }
}

// Deflate turns at most 1032 bytes into 2 bits (a 258-byte match, 1-bit codes): IDAT data below
// that ratio cannot fill the picture its header declares; stb_image would refuse it only after
// allocating the whole picture.
std::string check_png_data_size(const std::uint8_t* data, std::size_t) {
    // Called after check_png_structure passed: the chunks are complete and IHDR comes first.
    const std::uint8_t* ihdr = data + 16;
    std::size_t idat_bytes = 0;
    for (std::size_t pos = 8; std::memcmp(data + pos + 4, "IEND", 4) != 0;) {  // complete up to IEND
        const std::size_t length = be32(data + pos);
        if (std::memcmp(data + pos + 4, "IDAT", 4) == 0) idat_bytes += length;
        pos += 12 + length;
    }
    const std::uint32_t width = be32(ihdr), height = be32(ihdr + 4);
    const std::uint64_t inflated = png_inflated_size(width, height, ihdr[8], ihdr[9], ihdr[12] != 0);
    if (inflated <= std::uint64_t(idat_bytes) * 1032 + 1024) return {};
    return "corrupt PNG: " + std::to_string(idat_bytes) + " bytes of image data cannot hold a " +
           std::to_string(width) + "x" + std::to_string(height) + " picture";
}

std::vector<std::uint8_t> png_without_empty_idat(const std::uint8_t* data, std::size_t) {
    // Called after check_png_structure passed: the chunks up to IEND are complete (what follows
    // IEND is not looked at, here nor by stb_image).
    const auto is = [&](std::size_t pos, const char* type) { return std::memcmp(data + pos + 4, type, 4) == 0; };
    bool any = false;
    for (std::size_t pos = 8; !is(pos, "IEND"); pos += 12 + std::size_t(be32(data + pos)))
        any = any || (be32(data + pos) == 0 && is(pos, "IDAT"));
    if (!any) return {};
    std::vector<std::uint8_t> out(data, data + 8);
    for (std::size_t pos = 8;; pos += 12 + std::size_t(be32(data + pos))) {
        const std::size_t length = be32(data + pos);
        if (length != 0 || !is(pos, "IDAT")) out.insert(out.end(), data + pos, data + pos + 12 + length);
        if (is(pos, "IEND")) return out;
    }
}

}  // namespace nt
