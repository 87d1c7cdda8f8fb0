#pragma once
// Batch planning: which content/style pairs a run covers and where each result goes.
#include <filesystem>
#include <string>
#include <vector>

#include "imageio/image_format.h"

namespace nt {

struct BatchJob {
    std::filesystem::path content;
    std::filesystem::path style;
    std::filesystem::path output;
};

// The files with an image extension (.jpg .jpeg .png .bmp .tga .gif, any case) directly inside
// `folder`, sorted by name. Throws nt::Error naming the folder when it cannot be listed or holds
// no image.
std::vector<std::filesystem::path> list_image_files(const std::filesystem::path& folder);

// The stem used in output names: the file name without its extension, or with the extension
// folded in ("a.jpg" -> "a_jpg") when another input of the same list shares the stem.
std::vector<std::string> output_stems(const std::vector<std::filesystem::path>& files);

// For a method whose style is a model: every content (a file or a folder) to
// out_folder / "<content stem>__<model name><format extension>", with an empty style.
//
// Every content x style pair (content-major, both in name order), each written to
// out_folder / "<content stem>__<style stem><format extension>". Either input may be a single
// file or a folder.
std::vector<BatchJob> plan_model_batch(const std::filesystem::path& content, const std::string& model_name,
                                       const std::filesystem::path& out_folder, ImageFormat format);

std::vector<BatchJob> plan_batch(const std::filesystem::path& content, const std::filesystem::path& style,
                                 const std::filesystem::path& out_folder, ImageFormat format);

}  // namespace nt
