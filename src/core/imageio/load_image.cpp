#include "core/imageio/load_image.h"

#include <stb_image.h>

#include <climits>
#include <cstring>
#include <memory>
#include <string>

#include "core/error.h"
#include "core/imageio/container_check.h"
#include "core/imageio/exif_orientation.h"
#include "core/imageio/file_bytes.h"
#include "core/limits.h"

namespace nt {

Image decode_image(const std::uint8_t* data, std::size_t size, const std::string& name) {
    if (size == 0) throw Error(name, "file is empty");
    if (size > static_cast<std::size_t>(INT_MAX)) throw Error(name, "file is too large");
    const ContainerKind kind = sniff_container(data, size);
    if (kind == ContainerKind::Jpeg) {
        if (std::string why = check_jpeg_structure(data, size); !why.empty()) throw Error(name, why);
    } else if (kind == ContainerKind::Png) {
        if (std::string why = check_png_structure(data, size); !why.empty()) throw Error(name, why);
    }

    // Header first: refuse oversized pictures before stb allocates anything for them. Our own
    // header reader gives the size even where stb_image's info call refuses it as "too large".
    std::int64_t header_w = 0, header_h = 0;
    int width = 0, height = 0, channels = 0;
    const int length = static_cast<int>(size);
    const bool known_size = read_header_size(data, size, kind, header_w, header_h);
    if (!known_size && stbi_info_from_memory(data, length, &width, &height, &channels)) {
        header_w = width;
        header_h = height;
    } else if (!known_size) {
        if (kind == ContainerKind::Other)
            throw Error(name, "not a supported image (expected JPEG, PNG, BMP, TGA or GIF data)");
        throw Error(name, "cannot read the image header: corrupt file");
    }
    if (!within_image_limits(header_w, header_h))
        throw Error(name, "image is " + std::to_string(header_w) + "x" + std::to_string(header_h) +
                              ", beyond the limit of " + std::to_string(kMaxImageSide) + " pixels per side and " +
                              std::to_string(kMaxImagePixels / 1'000'000) + " megapixels");

    int w = 0, h = 0, n = 0;
    std::unique_ptr<stbi_uc, void (*)(void*)> pixels(stbi_load_from_memory(data, length, &w, &h, &n, 3),
                                                     &stbi_image_free);
    if (!pixels) {
        const char* why = stbi_failure_reason();
        throw Error(name, std::string("cannot decode image: ") + (why ? why : "unknown reason"));
    }
    if (w != header_w || h != header_h) throw Error(name, "corrupt file: header and pixel data disagree on the size");

    Image image(w, h);
    std::memcpy(image.pixels.data(), pixels.get(), image.pixels.size());
    if (kind == ContainerKind::Jpeg) {
        const int orientation = read_jpeg_exif_orientation(data, size);
        if (orientation != 1) image = apply_exif_orientation(image, orientation);
    }
    return image;
}

Image load_image(const std::filesystem::path& path) {
    const std::vector<std::uint8_t> bytes = read_file_bytes(path);
    return decode_image(bytes.data(), bytes.size(), path.string());
}

}  // namespace nt
