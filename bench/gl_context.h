#pragma once
// One hidden GLFW window with a GL 3.3 core context for the whole benchmark run (under xvfb-run on
// machines without a display); nullptr when no display is reachable.
#define GL_GLEXT_PROTOTYPES 1
#include <GLFW/glfw3.h>

namespace nt::bench {

inline GLFWwindow* gl_context() {
    static GLFWwindow* window = [] {
        if (!glfwInit()) return static_cast<GLFWwindow*>(nullptr);
        glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
        glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
        glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
        glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
        GLFWwindow* w = glfwCreateWindow(64, 64, "nt_bench", nullptr, nullptr);
        if (w) glfwMakeContextCurrent(w);
        return w;
    }();
    return window;
}

}  // namespace nt::bench
