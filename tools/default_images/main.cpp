// make_default_images: paints the two pictures bundled in assets/ from nothing but code, so the
// defaults carry no third-party copyright and can be regenerated at any time (assets/SOURCES.md).
//
//   make_default_images OUT_FOLDER   ->  OUT_FOLDER/content.jpg, OUT_FOLDER/style.jpg
//
// content.jpg is a photographic-looking lake landscape (landscape.h); style.jpg is an
// expressionist night sky (night_sky.h) made of oriented brush strokes (brush_strokes.h). Every
// run of a build paints the same bytes (paint.h says why, and where another libm may differ).
#include <cstdio>
#include <exception>
#include <filesystem>
#include <future>

#include "brush_strokes.h"
#include "image/image.h"
#include "imageio/save_image.h"
#include "landscape.h"

namespace {

constexpr int kJpegQuality = 92;

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr,
                     "usage: make_default_images OUT_FOLDER\n"
                     "Paints content.jpg and style.jpg (the bundled default pictures) into OUT_FOLDER.\n");
        return 2;
    }
    try {
        const std::filesystem::path folder = argv[1];
        std::filesystem::create_directories(folder);
        const nt::SaveOptions options{kJpegQuality};
        const std::filesystem::path content = folder / "content.jpg", style = folder / "style.jpg";
        // The two pictures share nothing, so they are painted side by side; each is still
        // sequential inside, which keeps its strokes in a fixed order and the output identical.
        std::future<nt::Image> content_image = std::async(std::launch::async, nt::default_images::make_content);
        const nt::Image style_image = nt::default_images::make_style();
        nt::save_image(content_image.get(), content, options);
        std::printf("%s\n", content.string().c_str());
        nt::save_image(style_image, style, options);
        std::printf("%s\n", style.string().c_str());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "make_default_images: %s\n", e.what());
        return 1;
    }
    return 0;
}
