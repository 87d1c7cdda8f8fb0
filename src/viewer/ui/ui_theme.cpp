#include "viewer/ui/ui_theme.h"

#include <imgui.h>

#include <filesystem>

namespace nt::viewer {

namespace {

ImFont* g_monospace = nullptr;

const char* first_existing(std::initializer_list<const char*> paths) {
    std::error_code ec;
    for (const char* p : paths)
        if (std::filesystem::is_regular_file(p, ec)) return p;
    return nullptr;
}

void load_fonts(float scale) {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    const char* sans =
        first_existing({"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans.ttf",
                        "/usr/share/fonts/dejavu/DejaVuSans.ttf"});
    const char* mono =
        first_existing({"/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
                        "/usr/share/fonts/TTF/DejaVuSansMono.ttf", "/usr/share/fonts/dejavu/DejaVuSansMono.ttf"});
    // Latin plus the few symbols the UI uses (arrows, multiplication sign, middle dot).
    static const ImWchar ranges[] = {0x0020, 0x00FF, 0x2190, 0x21FF, 0x2022, 0x2026, 0};
    ImFont* ui = sans ? io.Fonts->AddFontFromFileTTF(sans, 15.0f * scale, nullptr, ranges) : nullptr;
    if (!ui) {
        ImFontConfig config;
        config.SizePixels = 13.0f * scale;
        ui = io.Fonts->AddFontDefault(&config);
    }
    g_monospace = mono ? io.Fonts->AddFontFromFileTTF(mono, 14.0f * scale, nullptr, ranges) : nullptr;
    if (!g_monospace) g_monospace = ui;
    io.FontDefault = ui;
}

void apply_colors(ImGuiStyle& style) {
    ImGui::StyleColorsDark(&style);
    ImVec4* c = style.Colors;
    const ImVec4 accent(0.28f, 0.56f, 0.90f, 1.00f);
    c[ImGuiCol_WindowBg] = ImVec4(0.11f, 0.11f, 0.12f, 1.00f);
    c[ImGuiCol_ChildBg] = ImVec4(0.11f, 0.11f, 0.12f, 1.00f);
    c[ImGuiCol_PopupBg] = ImVec4(0.13f, 0.13f, 0.14f, 0.98f);
    c[ImGuiCol_Border] = ImVec4(0.22f, 0.22f, 0.24f, 1.00f);
    c[ImGuiCol_FrameBg] = ImVec4(0.18f, 0.18f, 0.20f, 1.00f);
    c[ImGuiCol_FrameBgHovered] = ImVec4(0.23f, 0.23f, 0.26f, 1.00f);
    c[ImGuiCol_FrameBgActive] = ImVec4(0.26f, 0.26f, 0.30f, 1.00f);
    c[ImGuiCol_TitleBg] = ImVec4(0.09f, 0.09f, 0.10f, 1.00f);
    c[ImGuiCol_TitleBgActive] = ImVec4(0.12f, 0.12f, 0.14f, 1.00f);
    c[ImGuiCol_Button] = ImVec4(0.20f, 0.21f, 0.24f, 1.00f);
    c[ImGuiCol_ButtonHovered] = ImVec4(0.26f, 0.28f, 0.33f, 1.00f);
    c[ImGuiCol_ButtonActive] = accent;
    c[ImGuiCol_Header] = ImVec4(0.18f, 0.19f, 0.22f, 1.00f);
    c[ImGuiCol_HeaderHovered] = ImVec4(0.24f, 0.26f, 0.31f, 1.00f);
    c[ImGuiCol_HeaderActive] = ImVec4(0.28f, 0.30f, 0.36f, 1.00f);
    c[ImGuiCol_SliderGrab] = accent;
    c[ImGuiCol_SliderGrabActive] = ImVec4(0.40f, 0.66f, 0.98f, 1.00f);
    c[ImGuiCol_CheckMark] = accent;
    c[ImGuiCol_Separator] = ImVec4(0.22f, 0.22f, 0.24f, 1.00f);
    // The sidebar is resized by its edge; no corner grip drawn over it.
    c[ImGuiCol_ResizeGrip] = ImVec4(0, 0, 0, 0);
    c[ImGuiCol_ResizeGripHovered] = ImVec4(accent.x, accent.y, accent.z, 0.6f);
    c[ImGuiCol_ResizeGripActive] = accent;
    c[ImGuiCol_TextDisabled] = ImVec4(0.50f, 0.50f, 0.53f, 1.00f);
}

}  // namespace

void apply_theme(float scale) {
    load_fonts(scale);
    ImGuiStyle style;
    apply_colors(style);
    style.WindowRounding = 0.0f;
    style.WindowBorderSize = 0.0f;
    style.FrameRounding = 3.0f;
    style.GrabRounding = 3.0f;
    style.PopupRounding = 4.0f;
    style.FramePadding = ImVec2(7.0f, 4.0f);
    style.ItemSpacing = ImVec2(8.0f, 5.0f);
    style.WindowPadding = ImVec2(12.0f, 10.0f);
    style.GrabMinSize = 12.0f;
    style.ScaleAllSizes(scale);
    ImGui::GetStyle() = style;
}

ImFont* monospace_font() { return g_monospace ? g_monospace : ImGui::GetFont(); }

}  // namespace nt::viewer
