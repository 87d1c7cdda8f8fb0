#include "support/test_images.h"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace nt::test {

Image make_pattern(int width, int height, int seed) {
    Image img(width, height);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            std::uint8_t* p = img.at(x, y);
            p[0] = std::uint8_t(width > 1 ? 255 * x / (width - 1) : 0);
            p[1] = std::uint8_t(height > 1 ? 255 * y / (height - 1) : 0);
            p[2] = std::uint8_t(((x ^ y) * 37 + 11 * seed) & 255);
        }
    return img;
}

namespace {

void put32be(Bytes& out, std::uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) out.push_back(std::uint8_t(v >> s));
}

std::uint32_t crc32(const std::uint8_t* data, std::size_t n) {
    std::uint32_t c = 0xFFFFFFFFu;
    for (std::size_t i = 0; i < n; ++i) {
        c ^= data[i];
        for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    }
    return c ^ 0xFFFFFFFFu;
}

void put_chunk(Bytes& out, const char* type, const Bytes& data) {
    put32be(out, std::uint32_t(data.size()));
    const std::size_t start = out.size();
    out.insert(out.end(), type, type + 4);
    out.insert(out.end(), data.begin(), data.end());
    put32be(out, crc32(out.data() + start, out.size() - start));
}

const Bytes kPngSignature = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

Bytes ihdr(std::uint32_t w, std::uint32_t h, int depth, int color_type) {
    Bytes d;
    put32be(d, w);
    put32be(d, h);
    d.push_back(std::uint8_t(depth));
    d.push_back(std::uint8_t(color_type));
    d.push_back(0);
    d.push_back(0);
    d.push_back(0);
    return d;
}

}  // namespace

Bytes make_png(int width, int height, int color_type, int bit_depth, const std::vector<std::uint16_t>& samples,
               const Bytes& palette_rgb) {
    const int channels = color_type == 0 || color_type == 3 ? 1 : color_type == 2 ? 3 : color_type == 4 ? 2 : 4;
    if (samples.size() != std::size_t(width) * height * channels) throw std::invalid_argument("make_png: sample count");
    Bytes raw;
    for (int y = 0; y < height; ++y) {
        raw.push_back(0);  // filter: none
        for (int i = 0; i < width * channels; ++i) {
            const std::uint16_t v = samples[std::size_t(y) * width * channels + i];
            if (bit_depth == 16) raw.push_back(std::uint8_t(v >> 8));
            raw.push_back(std::uint8_t(v & 255));
        }
    }
    Bytes out = kPngSignature;
    put_chunk(out, "IHDR", ihdr(std::uint32_t(width), std::uint32_t(height), bit_depth, color_type));
    if (color_type == 3) put_chunk(out, "PLTE", palette_rgb);
    put_chunk(out, "IDAT", zlib_stored(raw));
    put_chunk(out, "IEND", {});
    return out;
}

// zlib stream of stored (uncompressed) deflate blocks.
Bytes zlib_stored(const Bytes& raw) {
    Bytes z = {0x78, 0x01};
    std::size_t pos = 0;
    do {
        const std::size_t n = std::min<std::size_t>(65535, raw.size() - pos);
        const bool last = pos + n == raw.size();
        z.push_back(last ? 1 : 0);
        z.push_back(std::uint8_t(n & 255));
        z.push_back(std::uint8_t(n >> 8));
        z.push_back(std::uint8_t(~n & 255));
        z.push_back(std::uint8_t((~n >> 8) & 255));
        z.insert(z.end(), raw.begin() + long(pos), raw.begin() + long(pos + n));
        pos += n;
    } while (pos < raw.size());
    std::uint32_t a = 1, b = 0;
    for (std::uint8_t v : raw) {
        a = (a + v) % 65521;
        b = (b + a) % 65521;
    }
    put32be(z, (b << 16) | a);
    return z;
}

Bytes make_png_with_idat(std::uint32_t width, std::uint32_t height, int bit_depth, int color_type,
                         const Bytes& zlib_data, bool interlaced) {
    Bytes out = kPngSignature;
    Bytes header = ihdr(width, height, bit_depth, color_type);
    header[12] = interlaced ? 1 : 0;  // Adam7
    put_chunk(out, "IHDR", header);
    put_chunk(out, "IDAT", zlib_data);
    put_chunk(out, "IEND", {});
    return out;
}

Bytes zlib_of_zeros(std::uint64_t inflated_bytes) {
    // One fixed-Huffman block: a literal 0, then matches of length 258 at distance 1 (13 bits
    // each: length code 285 is 8 bits, distance code 0 is 5), then end-of-block. Huffman codes go
    // most significant bit first into the LSB-first bit stream.
    Bytes z = {0x78, 0x01};
    std::uint32_t bits = 0;
    int count = 0;
    auto put = [&](std::uint32_t value, int n) {
        bits |= value << count;
        count += n;
        while (count >= 8) {
            z.push_back(std::uint8_t(bits & 255));
            bits >>= 8;
            count -= 8;
        }
    };
    auto put_code = [&](std::uint32_t code, int n) {
        for (int i = n - 1; i >= 0; --i) put((code >> i) & 1, 1);
    };
    put(1, 1);          // final block
    put(1, 2);          // fixed Huffman codes
    put_code(0x30, 8);  // literal 0
    for (std::uint64_t done = 1; done + 258 <= inflated_bytes; done += 258) {
        put_code(0xC5, 8);  // length 258
        put_code(0, 5);     // distance 1
    }
    put_code(0, 7);  // end of block
    if (count) put(0, 8 - count);
    for (int i = 0; i < 4; ++i) z.push_back(0);  // adler32 (stb_image does not check it)
    return z;
}

Bytes make_png_header_only(std::uint32_t width, std::uint32_t height) {
    Bytes out = kPngSignature;
    put_chunk(out, "IHDR", ihdr(width, height, 8, 2));
    put_chunk(out, "IDAT", zlib_stored(Bytes(16, 0)));
    put_chunk(out, "IEND", {});
    return out;
}

Bytes make_gif(int width, int height, const Bytes& palette_rgb, const std::vector<Bytes>& frames) {
    Bytes out = {'G', 'I', 'F', '8', '9', 'a'};
    auto put16 = [&](int v) {
        out.push_back(std::uint8_t(v & 255));
        out.push_back(std::uint8_t(v >> 8));
    };
    put16(width);
    put16(height);
    out.push_back(0xF7);  // global colour table of 256 entries
    out.push_back(0);
    out.push_back(0);
    Bytes palette = palette_rgb;
    palette.resize(768, 0);
    out.insert(out.end(), palette.begin(), palette.end());
    for (const Bytes& indices : frames) {
        out.push_back(0x2C);
        put16(0);
        put16(0);
        put16(width);
        put16(height);
        out.push_back(0);
        out.push_back(8);  // LZW minimum code size
        // 9-bit codes: a clear code every 250 literals keeps the decoder's table below 512 entries.
        Bytes packed;
        std::uint32_t bits = 0;
        int nbits = 0;
        auto emit = [&](int code) {
            bits |= std::uint32_t(code) << nbits;
            nbits += 9;
            while (nbits >= 8) {
                packed.push_back(std::uint8_t(bits & 255));
                bits >>= 8;
                nbits -= 8;
            }
        };
        for (std::size_t i = 0; i < indices.size(); ++i) {
            if (i % 250 == 0) emit(256);
            emit(indices[i]);
        }
        emit(257);
        if (nbits > 0) packed.push_back(std::uint8_t(bits & 255));
        for (std::size_t pos = 0; pos < packed.size(); pos += 255) {
            const std::size_t n = std::min<std::size_t>(255, packed.size() - pos);
            out.push_back(std::uint8_t(n));
            out.insert(out.end(), packed.begin() + long(pos), packed.begin() + long(pos + n));
        }
        out.push_back(0);
    }
    out.push_back(0x3B);
    return out;
}

Bytes with_exif_orientation(const Bytes& jpeg, int orientation, bool little) {
    Bytes tiff;
    auto p16 = [&](int v) {
        if (little) {
            tiff.push_back(std::uint8_t(v & 255));
            tiff.push_back(std::uint8_t(v >> 8));
        } else {
            tiff.push_back(std::uint8_t(v >> 8));
            tiff.push_back(std::uint8_t(v & 255));
        }
    };
    auto p32 = [&](std::uint32_t v) {
        if (little) {
            p16(int(v & 0xFFFF));
            p16(int(v >> 16));
        } else {
            p16(int(v >> 16));
            p16(int(v & 0xFFFF));
        }
    };
    tiff.push_back(little ? 'I' : 'M');
    tiff.push_back(little ? 'I' : 'M');
    p16(42);
    p32(8);       // IFD0 right after the header
    p16(2);       // two entries: an unrelated one first, then the orientation
    p16(0x010F);  // Make, ASCII, 4 bytes inline: "nt\0\0"
    p16(2);
    p32(4);
    tiff.insert(tiff.end(), {'n', 't', 0, 0});
    p16(0x0112);
    p16(3);
    p32(1);
    p16(orientation);
    p16(0);
    p32(0);  // no next IFD
    Bytes payload = {'E', 'x', 'i', 'f', 0, 0};
    payload.insert(payload.end(), tiff.begin(), tiff.end());
    const std::size_t length = payload.size() + 2;
    Bytes out(jpeg.begin(), jpeg.begin() + 2);
    out.insert(out.end(), {0xFF, 0xE1, std::uint8_t(length >> 8), std::uint8_t(length & 255)});
    out.insert(out.end(), payload.begin(), payload.end());
    out.insert(out.end(), jpeg.begin() + 2, jpeg.end());
    return out;
}

Bytes read_bytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    return Bytes(std::istreambuf_iterator<char>(in), {});
}

void write_bytes(const std::filesystem::path& path, const Bytes& bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

void write_text(const std::filesystem::path& path, const std::string& text) {
    write_bytes(path, Bytes(text.begin(), text.end()));
}

int max_abs_diff(const Image& a, const Image& b) {
    if (a.width != b.width || a.height != b.height) return 255;
    int m = 0;
    for (std::size_t i = 0; i < a.pixels.size(); ++i) m = std::max(m, std::abs(int(a.pixels[i]) - int(b.pixels[i])));
    return m;
}

double mean_abs_diff(const Image& a, const Image& b) {
    if (a.width != b.width || a.height != b.height) return 255;
    double s = 0;
    for (std::size_t i = 0; i < a.pixels.size(); ++i) s += std::abs(int(a.pixels[i]) - int(b.pixels[i]));
    return a.pixels.empty() ? 0 : s / double(a.pixels.size());
}

}  // namespace nt::test
