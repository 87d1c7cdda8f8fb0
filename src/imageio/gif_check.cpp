// The GIF check (container_check.h): walks the blocks up to the end of the first frame, the only
// one we decode, and replays that frame's LZW codes exactly as stb_image reads them, counting
// the pixels they produce without producing them. stb_image pads a short frame with background
// and keeps expanding codes after the frame is full (up to 4096 pixel steps each), so a
// truncated frame or one whose data never ends would otherwise show half a picture or cost
// seconds of work per kilobyte.
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "imageio/container_check.h"

namespace nt {

namespace {

constexpr const char* kTruncated = "truncated GIF: data ends before the first frame is complete";

// Bytes of the LZW sub-blocks that start at `pos`, as one bit stream; `pos` ends past the terminator.
bool collect_sub_blocks(const std::uint8_t* data, std::size_t size, std::size_t& pos, std::vector<std::uint8_t>& out) {
    for (;;) {
        if (pos >= size) return false;
        const std::size_t length = data[pos++];
        if (length == 0) return true;
        if (length > size - pos) return false;
        out.insert(out.end(), data + pos, data + pos + length);
        pos += length;
    }
}

// Pixels the LZW stream produces (stb_image's rules: a clear code first, a table of at most 8192
// entries, code size growth at powers of two up to 12 bits); stops counting past `enough`.
// Returns the reason on a corrupt stream, or an empty string.
std::string count_lzw_pixels(const std::vector<std::uint8_t>& bits_in, int min_code_size, std::int64_t enough,
                             std::int64_t& pixels) {
    const int clear = 1 << min_code_size;
    std::vector<std::int32_t> length(8193, 1);
    int code_size = min_code_size + 1, avail = clear + 2, old_code = -1;
    bool first = true;
    std::uint32_t bits = 0;
    int valid_bits = 0;
    std::size_t next_byte = 0;
    pixels = 0;
    for (;;) {
        if (valid_bits < code_size) {
            if (next_byte == bits_in.size()) return {};  // stb stops at the sub-blocks' end
            bits |= std::uint32_t(bits_in[next_byte++]) << valid_bits;
            valid_bits += 8;
            continue;
        }
        const int code = int(bits & ((1u << code_size) - 1));
        bits >>= code_size;
        valid_bits -= code_size;
        if (code == clear) {
            code_size = min_code_size + 1;
            avail = clear + 2;
            old_code = -1;
            first = false;
            continue;
        }
        if (code == clear + 1) return {};
        if (code > avail) return "corrupt GIF: illegal code in the first frame's data";
        if (first) return "corrupt GIF: the first frame's data does not start with a clear code";
        if (old_code >= 0) {
            if (++avail > 8192) return "corrupt GIF: too many codes in the first frame's data";
            length[avail - 1] = length[old_code] + 1;
        } else if (code == avail) {
            return "corrupt GIF: illegal code in the first frame's data";
        }
        pixels += length[code];
        if (pixels > enough) return {};
        if ((avail & ((1 << code_size) - 1)) == 0 && avail <= 0x0FFF) ++code_size;
        old_code = code;
    }
}

// Checks one image descriptor at `pos` (just past the 0x2C tag) against a w x h screen.
std::string check_first_frame(const std::uint8_t* data, std::size_t size, std::size_t pos, std::int64_t screen_w,
                              std::int64_t screen_h, bool global_table) {
    if (size - pos < 9) return kTruncated;
    const auto le16 = [&](std::size_t o) { return std::int64_t(data[o] | (data[o + 1] << 8)); };
    const std::int64_t x = le16(pos), y = le16(pos + 2), w = le16(pos + 4), h = le16(pos + 6);
    const std::uint8_t flags = data[pos + 8];
    pos += 9;
    if (x + w > screen_w || y + h > screen_h)
        return "corrupt GIF: the first frame (" + std::to_string(w) + "x" + std::to_string(h) + " at " +
               std::to_string(x) + "," + std::to_string(y) + ") is larger than the screen (" +
               std::to_string(screen_w) + "x" + std::to_string(screen_h) + ")";
    if (flags & 0x80) pos += 3 * (std::size_t(2) << (flags & 7));
    else if (!global_table) return "corrupt GIF: the first frame has no colour table";
    if (pos >= size) return kTruncated;
    const int min_code_size = data[pos++];
    if (min_code_size > 12) return "corrupt GIF: invalid LZW code size " + std::to_string(min_code_size);
    std::vector<std::uint8_t> stream;
    if (!collect_sub_blocks(data, size, pos, stream)) return kTruncated;
    std::int64_t pixels = 0;
    const std::int64_t needed = w * h;
    if (std::string why = count_lzw_pixels(stream, min_code_size, needed + 4096, pixels); !why.empty()) return why;
    if (pixels < needed)
        return "truncated GIF: the first frame's data holds " + std::to_string(pixels) + " of its " +
               std::to_string(needed) + " pixels";
    if (pixels > needed + 4096) return "corrupt GIF: the first frame's data holds more pixels than the frame";
    return {};
}

}  // namespace

std::string check_gif_structure(const std::uint8_t* data, std::size_t size) {
    if (size < 13) return kTruncated;
    const auto le16 = [&](std::size_t o) { return std::int64_t(data[o] | (data[o + 1] << 8)); };
    const std::int64_t screen_w = le16(6), screen_h = le16(8);
    const std::uint8_t flags = data[10];
    std::size_t pos = 13;
    if (flags & 0x80) pos += 3 * (std::size_t(2) << (flags & 7));
    // Blocks before the first frame, read the way stb_image reads them.
    for (;;) {
        if (pos >= size) return kTruncated;
        const std::uint8_t tag = data[pos++];
        if (tag == 0x2C) return check_first_frame(data, size, pos, screen_w, screen_h, flags & 0x80);
        if (tag == 0x3B) return "corrupt GIF: no image frame";
        if (tag != 0x21) return "corrupt GIF: unknown block type " + std::to_string(tag);
        if (pos >= size) return kTruncated;
        if (data[pos++] == 0xF9) {  // graphic control: stb reads a 4-byte body, else skips it whole
            if (pos >= size) return kTruncated;
            const std::size_t length = data[pos++];
            if (length != 4) {
                pos += length;
                continue;
            }
            pos += 4;
        }
        std::vector<std::uint8_t> ignored;
        if (!collect_sub_blocks(data, size, pos, ignored)) return kTruncated;
    }
}

namespace {

// Skips data sub-blocks (a length byte, that many bytes, ... up to a zero length).
bool skip_sub_blocks(std::istream& in) {
    for (int len = in.get(); in && len > 0; len = in.get()) in.seekg(len, std::ios::cur);
    return bool(in);
}

// Skips a colour table when `flags` says there is one.
void skip_colour_table(std::istream& in, int flags) {
    if (flags & 0x80) in.seekg(3 * (1 << ((flags & 7) + 1)), std::ios::cur);
}

}  // namespace

bool gif_file_has_several_frames(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    char header[13];
    if (!in.read(header, sizeof header) || std::string(header, 3) != "GIF") return false;
    skip_colour_table(in, static_cast<unsigned char>(header[10]));
    int frames = 0;
    while (in) {
        const int tag = in.get();
        if (tag == 0x21) {  // an extension: its label, then sub-blocks
            in.get();
            if (!skip_sub_blocks(in)) return false;
        } else if (tag == 0x2C) {  // an image: descriptor, local table, LZW code size, data
            char descriptor[9];
            if (!in.read(descriptor, sizeof descriptor)) return false;
            if (++frames >= 2) return true;
            skip_colour_table(in, static_cast<unsigned char>(descriptor[8]));
            in.get();
            if (!skip_sub_blocks(in)) return false;
        } else {
            return false;  // the trailer (0x3B), or not a GIF block
        }
    }
    return false;
}

}  // namespace nt
