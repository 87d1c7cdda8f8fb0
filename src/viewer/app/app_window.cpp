#include "viewer/app/app_window.h"

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <GL/gl.h>
#include <imgui.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>

#include <algorithm>
#include <cstdio>

#include "base/error.h"
#include "viewer/ui/ui_theme.h"

namespace nt::viewer {

namespace {

// GLFW callbacks carry no context pointer we could use without clashing with ImGui's backend
// (newer backends use the window user pointer), and there is only one window.
AppWindow* g_app_window = nullptr;
std::string g_last_glfw_error;

void on_glfw_error(int code, const char* description) {
    g_last_glfw_error = description ? description : "unknown error";
    std::fprintf(stderr, "neuraltransfer-viewer: GLFW error %d: %s\n", code, g_last_glfw_error.c_str());
}

// ImGui 1.87 and later queue input themselves: their backend installs its callbacks and chains
// to ours. With 1.86 ours are the only ones: they pass mouse and focus events on at once and queue
// keys and characters (viewer/state/key_queue.h), handed to the backend a frame's share at a time.
#if IMGUI_VERSION_NUM < 18700
constexpr bool kQueueKeys = true;
#else
constexpr bool kQueueKeys = false;
#endif

void key_callback(GLFWwindow*, int key, int scancode, int action, int mods) {
    g_app_window->on_input();
    if (action == GLFW_PRESS || action == GLFW_REPEAT) g_app_window->on_key(key, mods);
    if (kQueueKeys) g_app_window->key_queue().push_key(key, scancode, action, mods);
}
void char_callback(GLFWwindow*, unsigned c) {
    g_app_window->on_input();
    g_app_window->on_char(c);
    if (kQueueKeys) g_app_window->key_queue().push_char(c);
}
void mouse_button_callback(GLFWwindow* window, int button, int action, int mods) {
    g_app_window->on_input();
    if (kQueueKeys) ImGui_ImplGlfw_MouseButtonCallback(window, button, action, mods);
}
void scroll_callback(GLFWwindow* window, double dx, double dy) {
    g_app_window->on_input();
    if (kQueueKeys) ImGui_ImplGlfw_ScrollCallback(window, dx, dy);
}
void cursor_pos_callback(GLFWwindow*, double, double) { g_app_window->on_input(); }
void cursor_enter_callback(GLFWwindow* window, int entered) {
    g_app_window->on_input();
    if (kQueueKeys) ImGui_ImplGlfw_CursorEnterCallback(window, entered);
}
void focus_callback(GLFWwindow* window, int focused) {
    g_app_window->on_input();
    if (kQueueKeys) ImGui_ImplGlfw_WindowFocusCallback(window, focused);
}
void size_callback(GLFWwindow*, int, int) { g_app_window->on_input(); }
void refresh_callback(GLFWwindow*) { g_app_window->on_input(); }
void scale_callback(GLFWwindow*, float, float) {
    g_app_window->on_input();
    g_app_window->on_scale_change();
}
void drop_callback(GLFWwindow* window, int count, const char** paths) {
    DroppedFiles drop;
    for (int i = 0; i < count; ++i)
        if (paths[i]) drop.paths.emplace_back(paths[i]);
    double x = 0, y = 0;
    glfwGetCursorPos(window, &x, &y);
    drop.x = static_cast<float>(x);
    drop.y = static_cast<float>(y);
    g_app_window->on_input();
    g_app_window->on_drop(std::move(drop));
}

}  // namespace

AppWindow::AppWindow(int width, int height, const std::string& title, const std::string& imgui_ini) {
    glfwSetErrorCallback(on_glfw_error);
    if (!glfwInit())
        throw Error("cannot open a window",
                    g_last_glfw_error.empty() ? "no display (set DISPLAY or use xvfb-run)" : g_last_glfw_error);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);  // required on macOS
    glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);       // HiDPI: the window grows with the content scale
    window_ = glfwCreateWindow(width, height, title.c_str(), nullptr, nullptr);
    if (!window_) {
        const std::string why = g_last_glfw_error.empty() ? "no OpenGL 3.3 core context" : g_last_glfw_error;
        glfwTerminate();
        throw Error("cannot open a window", why);
    }
    g_app_window = this;
    glfwMakeContextCurrent(window_);
    glfwSwapInterval(1);  // vsync: no frame faster than the display

    glfwSetKeyCallback(window_, key_callback);
    glfwSetCharCallback(window_, char_callback);
    glfwSetMouseButtonCallback(window_, mouse_button_callback);
    glfwSetScrollCallback(window_, scroll_callback);
    glfwSetCursorPosCallback(window_, cursor_pos_callback);
    glfwSetCursorEnterCallback(window_, cursor_enter_callback);
    glfwSetWindowFocusCallback(window_, focus_callback);
    glfwSetFramebufferSizeCallback(window_, size_callback);
    glfwSetWindowRefreshCallback(window_, refresh_callback);
    glfwSetWindowContentScaleCallback(window_, scale_callback);
    glfwSetDropCallback(window_, drop_callback);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // the viewer saves the layout itself, atomically
    if (!imgui_ini.empty()) ImGui::LoadIniSettingsFromMemory(imgui_ini.data(), imgui_ini.size());
    ImGui_ImplGlfw_InitForOpenGL(window_, !kQueueKeys);
    if (kQueueKeys) glfwSetMonitorCallback(ImGui_ImplGlfw_MonitorCallback);
    ImGui_ImplOpenGL3_Init("#version 330 core");
    apply_ui_scale();
}

AppWindow::~AppWindow() {
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window_);
    glfwTerminate();
    g_app_window = nullptr;
}

void AppWindow::apply_ui_scale() {
    float sx = 1.0f, sy = 1.0f;
    glfwGetWindowContentScale(window_, &sx, &sy);
    ui_scale_ = std::clamp(std::max(sx, sy), 1.0f, 4.0f);
    apply_theme(ui_scale_);
    rescale_pending_ = false;
}

bool AppWindow::should_close() const { return glfwWindowShouldClose(window_); }
void AppWindow::request_close() { glfwSetWindowShouldClose(window_, GLFW_TRUE); }

bool AppWindow::wait_events(double timeout_s) {
    input_seen_ = false;
    if (timeout_s > 0) glfwWaitEventsTimeout(timeout_s);
    else glfwPollEvents();
    return input_seen_;
}

WindowEvents AppWindow::take_events() {
    WindowEvents out = std::move(events_);
    events_ = {};
    return out;
}

void AppWindow::begin_frame() {
    if (rescale_pending_) {
        // The font atlas is baked at one size: rebuild it and its texture for the new scale.
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        apply_ui_scale();
        ImGui_ImplOpenGL3_CreateFontsTexture();
    }
    for (const QueuedInput& e : key_queue_.take_frame()) {
        if (e.is_char) ImGui_ImplGlfw_CharCallback(window_, e.character);
        else ImGui_ImplGlfw_KeyCallback(window_, e.key, e.scancode, e.action, e.mods);
    }
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
}

void AppWindow::render(float r, float g, float b) {
    ImGui::Render();
    int w = 0, h = 0;
    glfwGetFramebufferSize(window_, &w, &h);
    glViewport(0, 0, w, h);
    glClearColor(r, g, b, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

void AppWindow::swap() { glfwSwapBuffers(window_); }

void AppWindow::framebuffer_size(int& width, int& height) const { glfwGetFramebufferSize(window_, &width, &height); }

void AppWindow::window_size(int& width, int& height) const {
    if (glfwGetWindowMonitor(window_)) {
        width = windowed_w_;
        height = windowed_h_;
    } else {
        glfwGetWindowSize(window_, &width, &height);
    }
}

void AppWindow::toggle_fullscreen() {
    if (GLFWmonitor* current = glfwGetWindowMonitor(window_)) {
        (void)current;
        glfwSetWindowMonitor(window_, nullptr, windowed_x_, windowed_y_, windowed_w_, windowed_h_, GLFW_DONT_CARE);
        return;
    }
    GLFWmonitor* monitor = glfwGetPrimaryMonitor();
    const GLFWvidmode* mode = monitor ? glfwGetVideoMode(monitor) : nullptr;
    if (!mode) return;
    glfwGetWindowPos(window_, &windowed_x_, &windowed_y_);
    glfwGetWindowSize(window_, &windowed_w_, &windowed_h_);
    glfwSetWindowMonitor(window_, monitor, 0, 0, mode->width, mode->height, mode->refreshRate);
}

}  // namespace nt::viewer
