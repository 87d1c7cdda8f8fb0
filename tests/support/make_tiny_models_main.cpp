// nt_make_tiny_models DIR: a models folder with random weights (fast_style/candy, mosaic and an
// AdaIN pair) for the viewer's end-to-end tests and manual checks without downloaded weights.
#include <cstdio>
#include <cstring>
#include <exception>

#include "support/tiny_models.h"

namespace {
constexpr const char* kUsage =
    "usage: nt_make_tiny_models DIR\n"
    "Writes models with RANDOM weights (fast_style/candy, mosaic, an AdaIN pair, a VGG-19) into DIR,\n"
    "for tests: their pictures are noise, not stylization results.\n";
}  // namespace

int main(int argc, char** argv) {
    if (argc == 2 && (!std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h"))) {
        std::fputs(kUsage, stdout);
        return 0;
    }
    // Anything else that looks like an option is a mistake, not a folder named "--x" (issue 26).
    if (argc != 2 || argv[1][0] == '-' || argv[1][0] == '\0') {
        std::fputs(kUsage, stderr);
        return 2;
    }
    try {
        nt::test::write_random_fast_style(argv[1], "candy", 1);
        nt::test::write_random_fast_style(argv[1], "mosaic", 2);
        nt::test::write_random_adain(argv[1], 3);
        nt::test::write_random_vgg19(argv[1], "vgg19_caffe", "caffe", 4);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "nt_make_tiny_models: %s\n", e.what());
        return 1;
    }
    return 0;
}
