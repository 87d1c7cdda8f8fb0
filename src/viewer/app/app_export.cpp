// ViewerApp, "Export full size": the current settings snapshotted here and rendered at the
// content's own resolution on the export thread (viewer/pipeline/full_size_export.h), written like
// Save (numbered, never overwriting, atomic), its outcome put in the message bar.
#include <imgui.h>

#include <cstdio>

#include "viewer/app/viewer_app.h"
#include "viewer/io/exclusive_export.h"
#include "viewer/state/path_text.h"

namespace nt::viewer {

namespace {
constexpr const char* kFullSizePrefix = "stylized_full_size";
}

void ViewerApp::export_full_size() {
    if (full_size_.running()) {
        show_error(MessageSource::Export, "A full-size export is already running: wait for it or Cancel it.");
        return;
    }
    if (starting_up() || loads_pending()) {
        show_error(MessageSource::Export, "Cannot export yet: the pictures are still loading.");
        return;
    }
    try {
        FullSizeRequest request = full_size_request(state_, folders_.models);
        request.options.memory_budget = options_.memory_budget;
        const std::string what = method_by_name(request.options.method).info().label + " " +
                                 size_text(request.size.width, request.size.height);
        // The folder as it is now: choosing another while the export runs does not move it.
        const std::filesystem::path dir = export_folder();
        full_size_.start(std::move(request),
                         [dir](const Image& result) { return save_numbered_png(result, dir, kFullSizePrefix); });
        show_info(MessageSource::Export, "Exporting the full-size " + what + " result in the background\xE2\x80\xA6");
    } catch (const std::exception& e) {
        show_error(MessageSource::Export, std::string("Cannot export full size: ") + e.what());
    }
}

void ViewerApp::cancel_full_size_export() { full_size_.cancel(); }

void ViewerApp::take_full_size_outcome() {
    const std::optional<FullSizeOutcome> done = full_size_.take();
    if (!done) return;
    const std::string size = size_text(done->size.width, done->size.height);
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.1f s", done->seconds);
    switch (done->kind) {
        case FullSizeOutcome::Kind::Written:
            show_info(MessageSource::Export, "Exported the full-size " + method_by_name(done->method).info().label +
                                                 " result " + size + " to " + done->path.string() + " (" + seconds +
                                                 ")");
            break;
        case FullSizeOutcome::Kind::Cancelled:
            show_info(MessageSource::Export,
                      "Full-size export cancelled after " + std::string(seconds) + ": nothing was written");
            break;
        case FullSizeOutcome::Kind::Failed:
            show_error(MessageSource::Export, "Cannot export full size (" + size + "): " + done->error);
            break;
    }
}

}  // namespace nt::viewer
