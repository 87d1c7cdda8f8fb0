#include "cli/batch.h"

#include <algorithm>
#include <map>

#include "base/error.h"

namespace nt {

namespace fs = std::filesystem;

std::vector<fs::path> list_image_files(const fs::path& folder) {
    std::error_code ec;
    std::vector<fs::path> files;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code type_ec;
        if (it->is_regular_file(type_ec) && has_input_image_extension(it->path())) files.push_back(it->path());
    }
    if (ec) throw Error(folder.string(), "cannot list folder: " + ec.message());
    if (files.empty()) throw Error(folder.string(), "folder holds no image files (.jpg .jpeg .png .bmp .tga .gif)");
    std::sort(files.begin(), files.end());
    return files;
}

std::vector<std::string> output_stems(const std::vector<fs::path>& files) {
    std::map<std::string, int> uses;
    for (const auto& f : files) ++uses[f.stem().string()];
    std::vector<std::string> stems;
    stems.reserve(files.size());
    for (const auto& f : files) {
        std::string stem = f.stem().string();
        if (uses[stem] > 1) {
            std::string ext = f.extension().string();
            if (!ext.empty()) ext[0] = '_';
            stem += ext;
        }
        stems.push_back(stem);
    }
    return stems;
}

namespace {

std::vector<fs::path> inputs(const fs::path& p) {
    std::error_code ec;
    return fs::is_directory(p, ec) ? list_image_files(p) : std::vector<fs::path>{p};
}

}  // namespace

std::vector<BatchJob> plan_model_batch(const fs::path& content, const std::string& model_name,
                                       const fs::path& out_folder, ImageFormat format) {
    const std::vector<fs::path> contents = inputs(content);
    const std::vector<std::string> stems = output_stems(contents);
    std::vector<BatchJob> jobs;
    for (std::size_t c = 0; c < contents.size(); ++c)
        jobs.push_back({contents[c], {}, out_folder / (stems[c] + "__" + model_name + extension_for(format))});
    return jobs;
}

std::vector<BatchJob> plan_batch(const fs::path& content, const fs::path& style, const fs::path& out_folder,
                                 ImageFormat format) {
    const std::vector<fs::path> contents = inputs(content);
    const std::vector<fs::path> styles = inputs(style);
    const std::vector<std::string> content_stems = output_stems(contents);
    const std::vector<std::string> style_stems = output_stems(styles);
    std::vector<BatchJob> jobs;
    jobs.reserve(contents.size() * styles.size());
    for (std::size_t c = 0; c < contents.size(); ++c)
        for (std::size_t s = 0; s < styles.size(); ++s)
            jobs.push_back({contents[c], styles[s],
                            out_folder / (content_stems[c] + "__" + style_stems[s] + extension_for(format))});
    return jobs;
}

}  // namespace nt
