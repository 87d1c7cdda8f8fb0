#pragma once
// Saving pictures: PNG, JPEG, BMP or TGA by the file's extension, written atomically.
#include <cstdint>
#include <filesystem>
#include <vector>

#include "image/image.h"
#include "imageio/image_format.h"

namespace nt {

// PIL's default JPEG quality, which the original workflow used for stylized_output.jpg.
inline constexpr int kDefaultJpegQuality = 75;

struct SaveOptions {
    int jpeg_quality = kDefaultJpegQuality;  // 1..100
};

// Encodes in memory; throws nt::Error for an empty image or a quality outside 1..100.
std::vector<std::uint8_t> encode_image(const Image& image, ImageFormat format, const SaveOptions& options = {});

// Picks the format from the extension (error naming the path if unknown), encodes, then writes
// with write_file_atomically: on failure nothing is left behind and an existing file is intact.
void save_image(const Image& image, const std::filesystem::path& path, const SaveOptions& options = {});

}  // namespace nt
