#include "viewer/state/action_registry.h"

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

namespace nt::viewer {

const std::vector<Shortcut>& shortcuts() {
    constexpr int ctrl = GLFW_MOD_CONTROL, shift = GLFW_MOD_SHIFT;
    static const std::vector<Shortcut> table = {
        {"Mouse wheel", "Zoom around the cursor (all panels)", std::nullopt, {}},
        {"Drag", "Pan (all panels)", std::nullopt, {}},
        {"M", "Mask brush on / off (turns the mask on)", Action::PaintMask, {{GLFW_KEY_M}}},
        {"Left / right drag", "With the brush: paint / erase on the content panel", std::nullopt, {}},
        {"Middle drag", "Pan, also while the brush is on", std::nullopt, {}},
        {"X", "Left drag paints or erases", Action::EraseMode, {{GLFW_KEY_X}}},
        {"[", "Smaller brush", Action::BrushSmaller, {{GLFW_KEY_LEFT_BRACKET}}},
        {"]", "Larger brush", Action::BrushLarger, {{GLFW_KEY_RIGHT_BRACKET}}},
        {"Ctrl+Z", "Undo the last mask edit (stroke, clear, invert, load)", Action::UndoMask, {{GLFW_KEY_Z, ctrl}}},
        {"Ctrl+Shift+Z, Ctrl+Y",
         "Redo the mask edit undone",
         Action::RedoMask,
         {{GLFW_KEY_Z, ctrl | shift}, {GLFW_KEY_Y, ctrl}}},
        {"Double-click", "Fit", std::nullopt, {}},
        {"Drag the divider", "Move the wipe (result panel)", std::nullopt, {}},
        {"F", "Fit the pictures to the panels", Action::Fit, {{GLFW_KEY_F}}},
        {"1", "1:1, one image pixel per screen pixel", Action::OneToOne, {{GLFW_KEY_1}, {GLFW_KEY_KP_1}}},
        {"W", "Wipe: content | result on the result panel", Action::Wipe, {{GLFW_KEY_W}}},
        {"D", "Difference: |result - content| x gain on the result panel", Action::Difference, {{GLFW_KEY_D}}},
        {"C", "Channels: RGB, R, G, B, luminance alone (every panel)", Action::CycleChannel, {{GLFW_KEY_C}}},
        {"Hold B", "A/B flip: the content in place of the result, same zoom and pan", Action::FlipAB, {{GLFW_KEY_B}}},
        {"G", "Histograms of content, style and result", Action::Histograms, {{GLFW_KEY_G}}},
        {"L", "Layout: three panels, result only, content | result", Action::CycleLayout, {{GLFW_KEY_L}}},
        {"Space", "Video: play / pause", Action::PlayPause, {{GLFW_KEY_SPACE}}},
        {".", "Video: pause and step one frame", Action::StepFrame, {{GLFW_KEY_PERIOD}}},
        {"Ctrl+R",
         "Video: start / stop recording the result (recording_NNNN.mp4)",
         Action::Record,
         {{GLFW_KEY_R, ctrl, true}}},
        {"Ctrl+S", "Save the result (stylized_output_NNNN.png)", Action::SaveResult, {{GLFW_KEY_S, ctrl, true}}},
        {"Ctrl+Shift+S",
         "Save the result as a file chosen in the desktop's dialog",
         Action::SaveResultAs,
         {{GLFW_KEY_S, ctrl | shift, true}}},
        {"Ctrl+E",
         "Export at the content's own size, in the background (stylized_full_size_NNNN.png)",
         Action::ExportFullSize,
         {{GLFW_KEY_E, ctrl, true}}},
        {"F12", "Screenshot of the window (screenshot_NNNN.png)", Action::Screenshot, {{GLFW_KEY_F12, 0, true}}},
        {"Tab", "Hide / show the controls", Action::ToggleUi, {{GLFW_KEY_TAB}}},
        {"F11", "Fullscreen", Action::Fullscreen, {{GLFW_KEY_F11, 0, true}}},
        {"H or ?", "This list", Action::Help, {{GLFW_KEY_H}}},
        {"Esc", "Close this list", Action::CloseHelp, {{GLFW_KEY_ESCAPE, 0, true}}},
        {"Ctrl+Q", "Quit", Action::Quit, {{GLFW_KEY_Q, ctrl, true}}},
        {"Drop files", "On the content or style panel to load there", std::nullopt, {}},
    };
    return table;
}

std::optional<Action> action_for_key(int key, int mods, bool plain_keys_off) {
    // Only Ctrl and Shift take part: Num Lock or Caps Lock must not turn a key off.
    const int held = mods & (GLFW_MOD_CONTROL | GLFW_MOD_SHIFT);
    for (const Shortcut& s : shortcuts())
        for (const KeyBinding& b : s.bindings) {
            if (b.key != key || (plain_keys_off && !b.while_typing)) continue;
            // Shift is free for plain keys ('[' may need it on some layouts), exact otherwise.
            const bool mods_match = (b.mods & GLFW_MOD_CONTROL) ? held == b.mods : (held & GLFW_MOD_CONTROL) == 0;
            if (mods_match) return s.action;
        }
    return std::nullopt;
}

bool key_types_a_character(int key) {
    return (key >= GLFW_KEY_SPACE && key <= GLFW_KEY_GRAVE_ACCENT) ||
           (key >= GLFW_KEY_KP_0 && key <= GLFW_KEY_KP_EQUAL);
}

bool action_key_held(Action action, const std::function<bool(int key)>& key_down) {
    for (const Shortcut& s : shortcuts())
        if (s.action == action)
            for (const KeyBinding& b : s.bindings)
                if (key_down(b.key)) return true;
    return false;
}

}  // namespace nt::viewer
