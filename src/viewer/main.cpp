// neuraltransfer-viewer: the interactive viewer. See docs/VIEWER.md.
#include <malloc.h>

#include <cstdio>
#include <exception>

#include "core/device.h"
#include "core/version.h"
#include "viewer/default_assets.h"
#include "viewer/viewer_app.h"
#include "viewer/viewer_options.h"

int main(int argc, char** argv) {
    using namespace nt::viewer;
#ifdef __GLIBC__
    // Every recompute allocates frame-sized tensors and frees them again. By default glibc serves
    // blocks above 128 KiB (adaptively up to 32 MiB) with fresh mmaps and returns freed memory, so
    // each frame pays page faults on megabytes of new memory. Keeping such blocks in the heap lets
    // the next frame reuse them (docs/PERFORMANCE.md, "Colour methods while dragging").
    mallopt(M_MMAP_THRESHOLD, 32 << 20);   // glibc's maximum
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
#endif
    nt::use_all_cpu_cores();
    ViewerOptions options;
    try {
        options = parse_viewer_options(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "neuraltransfer-viewer: %s\n", e.what());
        return 2;
    }
    if (options.show_help) {
        std::fputs(viewer_usage().c_str(), stdout);
        return 0;
    }
    if (options.show_version) {
        std::printf("neuraltransfer-viewer %s (LibTorch %s)\n", nt::kVersion, nt::kTorchVersion);
        return 0;
    }
    try {
        ViewerApp app(options, find_bundled_assets(executable_dir(), NT_SOURCE_ASSETS_DIR));
        return app.run();
    } catch (const std::exception& e) {
        // Only window or GL setup failures get here; everything else is shown in the window.
        std::fprintf(stderr, "neuraltransfer-viewer: %s\n", e.what());
        return 1;
    }
}
