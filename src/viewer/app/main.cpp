// neuraltransfer-viewer: the interactive viewer. See docs/VIEWER.md.
#include <chrono>
#include <cstdio>
#include <exception>

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include "base/device.h"
#include "base/version.h"
#include "viewer/io/default_assets.h"
#include "viewer/io/quit_guard.h"
#include "viewer/app/viewer_app.h"
#include "viewer/state/viewer_options.h"

namespace {
// Once the window loop has ended (settings saved), stopping the workers gets this long: a job
// stuck inside a library call must not leave a frozen window behind.
constexpr std::chrono::seconds kShutdownGrace{3};
}  // namespace

int main(int argc, char** argv) {
    using namespace nt::viewer;
    // First: a quit signal from now on is an orderly quit (viewer/io/quit_guard.h).
    catch_quit_signals([] { glfwPostEmptyEvent(); });
    // Its UI, decoder, workers and Mesa share the cores with LibTorch's threads (base/device.h).
    nt::prefer_passive_openmp(argv);
    // Every recompute allocates frame-sized tensors and frees them again: the next frame reuses
    // them instead of paying page faults on fresh memory (docs/PERFORMANCE.md).
    nt::reuse_freed_memory();
    nt::use_all_cpu_cores();
    nt::single_threaded_blas();  // OpenBLAS's pool waits for busy cores (base/device.h)
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
        const int code = app.run();
        arm_quit_watchdog(kShutdownGrace, code);  // ~ViewerApp joins the workers
        return code;
    } catch (const std::exception& e) {
        // Only window or GL setup failures get here; everything else is shown in the window.
        std::fprintf(stderr, "neuraltransfer-viewer: %s\n", e.what());
        return 1;
    }
}
