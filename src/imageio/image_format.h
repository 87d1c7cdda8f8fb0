#pragma once
// The output formats we write, chosen by file extension.
#include <filesystem>
#include <optional>
#include <string>

namespace nt {

enum class ImageFormat { Png, Jpeg, Bmp, Tga };

// ".png", ".jpg"/".jpeg", ".bmp", ".tga" in any letter case; nullopt for anything else.
std::optional<ImageFormat> format_from_extension(const std::filesystem::path& path);
std::optional<ImageFormat> format_from_name(const std::string& name);  // "png", "jpg", ...
const char* extension_for(ImageFormat format);                         // ".png", ".jpg", ...
// For messages: ".png, .jpg, .jpeg, .bmp or .tga".
const char* supported_output_extensions();
// True for the extensions we read (the output ones plus .gif).
bool has_input_image_extension(const std::filesystem::path& path);

}  // namespace nt
