#pragma once
// The GLFW window with an OpenGL 3.3 core context and Dear ImGui on top, set up as in Dear ImGui's
// example_glfw_opengl3. Also collects the input the viewer handles itself (shortcut keys,
// dropped files) and tells whether anything happened, so an idle viewer can sleep.
#include <string>
#include <vector>

#include "viewer/state/key_queue.h"

struct GLFWwindow;

namespace nt::viewer {

struct KeyPress {
    int key = 0;   // GLFW_KEY_*
    int mods = 0;  // GLFW_MOD_*
};

struct DroppedFiles {
    std::vector<std::string> paths;
    float x = 0, y = 0;  // cursor position in screen points when dropped
};

struct WindowEvents {
    std::vector<KeyPress> keys;        // presses and repeats
    std::vector<unsigned> characters;  // typed characters (for '?', whatever the keyboard layout)
    std::vector<DroppedFiles> drops;
};

class AppWindow {
public:
    // Creates the window, the GL context and the ImGui context with its backends. `imgui_ini`
    // is the saved window layout (empty: none). Throws nt::Error when GLFW or GL 3.3 is missing.
    AppWindow(int width, int height, const std::string& title, const std::string& imgui_ini);
    ~AppWindow();
    AppWindow(const AppWindow&) = delete;
    AppWindow& operator=(const AppWindow&) = delete;

    bool should_close() const;
    void request_close();
    // Sleeps until input arrives or `timeout_s` passes (timeout 0: just polls). True if any input
    // or window event arrived.
    bool wait_events(double timeout_s);
    WindowEvents take_events();

    void begin_frame();                      // ImGui NewFrame for both backends (re-scales fonts first when needed)
    void render(float r, float g, float b);  // clears and draws ImGui's draw data (no swap)
    void swap();

    void toggle_fullscreen();
    float ui_scale() const { return ui_scale_; }
    void framebuffer_size(int& width, int& height) const;
    void window_size(int& width, int& height) const;  // in screen points, windowed size
    GLFWwindow* handle() const { return window_; }

    // Called from the GLFW callbacks.
    void on_input() { input_seen_ = true; }
    void on_key(int key, int mods) { events_.keys.push_back({key, mods}); }
    void on_char(unsigned c) { events_.characters.push_back(c); }
    void on_drop(DroppedFiles drop) { events_.drops.push_back(std::move(drop)); }
    void on_scale_change() { rescale_pending_ = true; }
    KeyQueue& key_queue() { return key_queue_; }
    // Keys or characters still queued for ImGui (later frames must be drawn to hand them over).
    bool input_queued() const { return !key_queue_.empty(); }

private:
    void apply_ui_scale();

    GLFWwindow* window_ = nullptr;
    WindowEvents events_;
    KeyQueue key_queue_;  // ImGui 1.86 only (app_window.cpp)
    bool input_seen_ = false;
    bool rescale_pending_ = false;
    float ui_scale_ = 1.0f;
    int windowed_x_ = 0, windowed_y_ = 0, windowed_w_ = 0, windowed_h_ = 0;  // restored after fullscreen
};

}  // namespace nt::viewer
