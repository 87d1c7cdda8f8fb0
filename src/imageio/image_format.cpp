#include "imageio/image_format.h"

#include <algorithm>
#include <cctype>

namespace nt {

namespace {
std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}
}  // namespace

std::optional<ImageFormat> format_from_name(const std::string& name) {
    const std::string n = lower(name);
    if (n == "png") return ImageFormat::Png;
    if (n == "jpg" || n == "jpeg") return ImageFormat::Jpeg;
    if (n == "bmp") return ImageFormat::Bmp;
    if (n == "tga") return ImageFormat::Tga;
    return std::nullopt;
}

std::optional<ImageFormat> format_from_extension(const std::filesystem::path& path) {
    const std::string ext = path.extension().string();
    if (ext.size() < 2) return std::nullopt;
    return format_from_name(ext.substr(1));
}

const char* extension_for(ImageFormat format) {
    switch (format) {
        case ImageFormat::Png: return ".png";
        case ImageFormat::Jpeg: return ".jpg";
        case ImageFormat::Bmp: return ".bmp";
        case ImageFormat::Tga: return ".tga";
    }
    return ".png";
}

const char* supported_output_extensions() { return ".png, .jpg, .jpeg, .bmp or .tga"; }

bool has_input_image_extension(const std::filesystem::path& path) {
    const std::string ext = lower(path.extension().string());
    return ext == ".gif" || format_from_extension(path).has_value();
}

}  // namespace nt
