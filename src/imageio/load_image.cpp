#include "imageio/load_image.h"

#include <stb_image.h>

#include <climits>
#include <cstring>
#include <memory>
#include <string>

#include "base/error.h"
#include "imageio/container_check.h"
#include "imageio/decode_budget.h"
#include "imageio/exif_orientation.h"
#include "imageio/file_bytes.h"
#include "base/limits.h"

namespace nt {

namespace {

struct Header {
    ContainerKind kind = ContainerKind::Other;
    std::int64_t width = 0, height = 0;
};

// Everything that can be known wrong about a file without decoding it: its container structure,
// the size its header declares (refused beyond base/limits.h before anything is allocated) and,
// per format, whether its data can fill that size.
Header check_before_decoding(const std::uint8_t* data, std::size_t size, const std::string& name) {
    if (size == 0) throw Error(name, "file is empty");
    if (size > static_cast<std::size_t>(INT_MAX)) throw Error(name, "file is too large");
    Header header;
    header.kind = sniff_container(data, size);
    // Only TGA has no signature. stb_image would also take data of no known kind for a JPEG
    // after 0xFF fill bytes, skipping our JPEG checks (the fuzzer found an overflow that way).
    if (header.kind == ContainerKind::Other && !looks_like_tga(data, size))
        throw Error(name, "not a supported image (expected JPEG, PNG, BMP, TGA or GIF data)");

    // The declared size first: refused beyond the limits before anything else is looked at.
    // Our own header reader gives it even where stb_image's info call refuses it as "too large".
    const bool known_size = read_header_size(data, size, header.kind, header.width, header.height);
    if (known_size) {
        const std::string size_text = std::to_string(header.width) + "x" + std::to_string(header.height);
        if (header.width < 1 || header.height < 1)
            throw Error(name, "corrupt file: the header declares a " + size_text + " picture");
        if (!within_image_limits(header.width, header.height))
            throw Error(name, "image is " + size_text + ", beyond the limit of " + std::to_string(kMaxImageSide) +
                                  " pixels per side and " + std::to_string(kMaxImagePixels / 1'000'000) +
                                  " megapixels");
    }
    std::string why;
    switch (header.kind) {
        case ContainerKind::Jpeg: why = check_jpeg_structure(data, size, known_size); break;
        case ContainerKind::Png:
            why = check_png_structure(data, size);
            if (why.empty() && known_size) why = check_png_data_size(data, size);
            break;
        case ContainerKind::Gif: why = check_gif_structure(data, size); break;
        case ContainerKind::Bmp: why = check_bmp_structure(data, size); break;
        case ContainerKind::Other: why = check_tga_structure(data, size); break;
    }
    if (!why.empty()) throw Error(name, why);
    if (!known_size) throw Error(name, "cannot read the image header: corrupt file");
    return header;
}

// stb_image's decode to 8-bit RGB within the memory budget of the declared size.
Image decode_pixels(const std::uint8_t* data, std::size_t size, const Header& header, const std::string& name,
                    DecodeBudget& budget) {
    budget = DecodeBudget{};
    budget.limit = decode_memory_budget(header.width, header.height, size);
    int w = 0, h = 0, n = 0;
    std::unique_ptr<stbi_uc, void (*)(void*)> pixels(nullptr, &stbi_image_free);
    {
        ScopedDecodeBudget scope(budget);
        pixels.reset(stbi_load_from_memory(data, static_cast<int>(size), &w, &h, &n, 3));
    }
    if (!pixels && budget.exceeded)
        throw Error(name, "decoding needs more than the memory budget of " + std::to_string(budget.limit >> 20) +
                              " MiB for a " + std::to_string(header.width) + "x" + std::to_string(header.height) +
                              " picture (corrupt or a decompression bomb)");
    if (!pixels) {
        const char* why = stbi_failure_reason();
        throw Error(name, std::string("cannot decode image: ") + (why && *why ? why : "corrupt data"));
    }
    if (w != header.width || h != header.height)
        throw Error(name, "corrupt file: header and pixel data disagree on the size");
    Image image(w, h);
    std::memcpy(image.pixels.data(), pixels.get(), image.pixels.size());
    return image;
}

}  // namespace

Image decode_image(const std::uint8_t* data, std::size_t size, const std::string& name, DecodeBudget* stats) {
    const Header header = check_before_decoding(data, size, name);
    const int orientation = header.kind == ContainerKind::Jpeg ? read_jpeg_exif_orientation(data, size) : 1;
    if (orientation < 1 || orientation > 8)
        throw Error(name,
                    "corrupt EXIF data: orientation " + std::to_string(orientation) + " is out of the range 1 to 8");
    // A copy without empty IDAT chunks, which stb_image 2.28 mishandles (png_without_empty_idat).
    const std::vector<std::uint8_t> png =
        header.kind == ContainerKind::Png ? png_without_empty_idat(data, size) : std::vector<std::uint8_t>();
    DecodeBudget budget;
    Image image = png.empty() ? decode_pixels(data, size, header, name, stats ? *stats : budget)
                              : decode_pixels(png.data(), png.size(), header, name, stats ? *stats : budget);
    if (orientation != 1) image = apply_exif_orientation(image, orientation);
    return image;
}

Image load_image(const std::filesystem::path& path) {
    const std::vector<std::uint8_t> bytes = read_file_bytes(path);
    return decode_image(bytes.data(), bytes.size(), path.string());
}

}  // namespace nt
