#include "core/imageio/container_check.h"

#include <array>
#include <cstdlib>
#include <cstring>

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
        case ContainerKind::Other: return false;
    }
    return false;
}

std::string check_jpeg_structure(const std::uint8_t* data, std::size_t size) {
    const std::string truncated = "truncated JPEG: data ends before the end-of-image marker";
    if (size < 4 || data[0] != 0xFF || data[1] != 0xD8) return "not a JPEG file";
    bool seen_frame = false;
    std::size_t pos = 2;
    for (;;) {
        if (pos >= size) return truncated;
        if (data[pos] != 0xFF) return "corrupt JPEG: expected a marker at byte " + std::to_string(pos);
        while (pos < size && data[pos] == 0xFF) ++pos;  // fill bytes before a marker
        if (pos >= size) return truncated;
        const std::uint8_t marker = data[pos++];
        if (marker == 0xD9) {  // EOI
            if (!seen_frame) return "corrupt JPEG: no image frame before the end-of-image marker";
            return {};
        }
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) continue;  // no length field
        if (pos + 2 > size) return truncated;
        const std::size_t length = (std::size_t(data[pos]) << 8) | data[pos + 1];
        if (length < 2) return "corrupt JPEG: invalid segment length";
        if (pos + length > size) return truncated;
        if ((marker >= 0xC0 && marker <= 0xCF) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC)
            seen_frame = true;
        pos += length;
        if (marker != 0xDA) continue;
        // Start of scan: entropy-coded data runs until a marker other than a stuffed byte (FF 00)
        // or a restart marker (FF D0..D7).
        for (;;) {
            if (pos + 1 >= size) return truncated;
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
                break;  // a real marker: back to the segment loop
            }
        }
    }
}

std::string check_png_structure(const std::uint8_t* data, std::size_t size) {
    const std::string truncated = "truncated PNG: data ends before the IEND chunk";
    if (size < 8 || std::memcmp(data, kPngSignature, 8) != 0) return "not a PNG file";
    std::size_t pos = 8;
    bool first = true;
    for (;;) {
        if (pos + 12 > size) return truncated;
        const std::uint32_t length = be32(data + pos);
        if (length > 0x7FFFFFFFu) return "corrupt PNG: invalid chunk length";
        if (pos + 12 + std::size_t(length) > size) return truncated;
        const std::uint8_t* type = data + pos + 4;
        const std::string type_name(reinterpret_cast<const char*>(type), 4);
        if (first && type_name != "IHDR") return "corrupt PNG: first chunk is not IHDR";
        first = false;
        const std::uint32_t stored_crc = be32(data + pos + 8 + length);
        if (crc32(type, 4 + std::size_t(length)) != stored_crc)
            return "corrupt PNG: CRC mismatch in " + type_name + " chunk";
        pos += 12 + std::size_t(length);
        if (type_name == "IEND") return {};
    }
}

}  // namespace nt
