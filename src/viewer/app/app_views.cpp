// ViewerApp, the inspection views: the A/B key's state each frame, and the histograms of the
// pictures on the panels, recomputed only when a picture changed.
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <ATen/ATen.h>
#include <imgui.h>

#include "viewer/state/action_registry.h"
#include "viewer/app/viewer_app.h"

namespace nt::viewer {

void ViewerApp::update_inspect_view() {
    GLFWwindow* window = window_->handle();
    // Held, not pressed: the flip lasts as long as the key is down (and never while typing).
    toggles_.inspect.flip = !ImGui::GetIO().WantTextInput && action_key_held(Action::FlipAB, [window](int key) {
        return glfwGetKey(window, key) == GLFW_PRESS;
    });
    canvas_.inspect = toggles_.inspect;
}

void ViewerApp::attach_histograms(std::array<PanelContent, kPanelCount>& panels) {
    if (!toggles_.inspect.histograms) return;
    for (int i = 0; i < kPanelCount; ++i) {
        if (!panels[i].shows_picture) continue;
        const auto picture = static_cast<display::Picture>(i);
        HistogramCache& cache = histograms_[i];
        const std::uint64_t generation = display_.picture_generation(picture);
        if (cache.generation != generation) {  // checked here too: a GPU result is downloaded only then
            PixelView pixels = panels[i].pixels;
            if (i == kResultPanel && pipeline_.has_result()) {  // a GPU result too, not only under the pointer
                const at::Tensor& host = pipeline_.result_rgba_host();
                pixels = {host.data_ptr<std::uint8_t>(), pipeline_.result_width(), pipeline_.result_height(), 4};
            }
            if (pixels.empty()) continue;
            refresh_histogram(cache, generation, pixels.data, pixels.width, pixels.height, pixels.channels);
        }
        panels[i].histogram = &cache.histogram;
    }
}

}  // namespace nt::viewer
