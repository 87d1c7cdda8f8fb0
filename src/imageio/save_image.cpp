#include "imageio/save_image.h"

#include <stb_image_write.h>

#include <string>

#include "base/error.h"
#include "imageio/atomic_file.h"

namespace nt {

namespace {
void append_bytes(void* context, void* data, int size) {
    auto* out = static_cast<std::vector<std::uint8_t>*>(context);
    const auto* bytes = static_cast<const std::uint8_t*>(data);
    out->insert(out->end(), bytes, bytes + size);
}
}  // namespace

std::vector<std::uint8_t> encode_image(const Image& image, ImageFormat format, const SaveOptions& options) {
    if (image.empty() || image.pixels.size() != image.row_bytes() * image.height)
        throw Error("cannot encode an empty image");
    if (options.jpeg_quality < 1 || options.jpeg_quality > 100)
        throw Error("--quality", "JPEG quality must be between 1 and 100, got " + std::to_string(options.jpeg_quality));
    std::vector<std::uint8_t> bytes;
    bytes.reserve(image.pixels.size() / 2);
    const int w = image.width, h = image.height;
    const void* px = image.pixels.data();
    int ok = 0;
    switch (format) {
        case ImageFormat::Png:
            ok = stbi_write_png_to_func(append_bytes, &bytes, w, h, 3, px, int(image.row_bytes()));
            break;
        case ImageFormat::Jpeg:
            ok = stbi_write_jpg_to_func(append_bytes, &bytes, w, h, 3, px, options.jpeg_quality);
            break;
        case ImageFormat::Bmp: ok = stbi_write_bmp_to_func(append_bytes, &bytes, w, h, 3, px); break;
        case ImageFormat::Tga: ok = stbi_write_tga_to_func(append_bytes, &bytes, w, h, 3, px); break;
    }
    if (!ok || bytes.empty()) throw Error("image encoder failed");
    return bytes;
}

void save_image(const Image& image, const std::filesystem::path& path, const SaveOptions& options) {
    const auto format = format_from_extension(path);
    if (!format)
        throw Error(path.string(), "unknown output extension '" + path.extension().string() + "' (use " +
                                       supported_output_extensions() + ")");
    write_file_atomically(path, encode_image(image, *format, options));
}

}  // namespace nt
