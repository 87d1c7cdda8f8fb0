#pragma once
// Every keyboard action of the viewer in one table: the key handler looks keys up here and the
// shortcuts window lists the same rows, so a key and its description can never disagree.
// Mouse gestures have rows without keys (the window lists them; the canvas handles them).
#include <functional>
#include <optional>
#include <vector>

namespace nt::viewer {

enum class Action {
    SaveResult,
    SaveResultAs,
    ExportFullSize,  // the current settings at the content's own resolution (app_export.cpp)
    Quit,
    Fullscreen,
    Screenshot,
    UndoMask,
    RedoMask,
    ToggleUi,
    CycleLayout,
    Fit,
    OneToOne,
    Wipe,
    PaintMask,
    EraseMode,
    BrushSmaller,
    BrushLarger,
    Help,
    CloseHelp,
    PlayPause,
    StepFrame,
    Record,  // live video (app_video.cpp)
    Difference,
    CycleChannel,
    FlipAB,
    Histograms,
};

struct KeyBinding {
    int key = 0;                // GLFW_KEY_*
    int mods = 0;               // GLFW_MOD_* that must be held (Ctrl, Shift); others must not be
    bool while_typing = false;  // also when a text field has the keyboard
};

struct Shortcut {
    const char* keys;  // as shown: "Ctrl+S"
    const char* description;
    std::optional<Action> action;  // none: a mouse gesture
    std::vector<KeyBinding> bindings;
};

const std::vector<Shortcut>& shortcuts();
// The action of a key press (mods: GLFW_MOD_*), or none. With `plain_keys_off` (a text field has
// the keyboard, or the canvas does not) only bindings marked while_typing count: plain keys and
// Ctrl+Z belong to the text field then, and a letter typed beside one must not toggle a view.
std::optional<Action> action_for_key(int key, int mods, bool plain_keys_off);
// Whether the key types a character into a text field (letters, digits, punctuation, Space, the
// keypad): such keys act on the pictures only while the canvas has the keyboard. Tab, Esc and the
// F-keys type nothing and act whenever no field is being typed in.
bool key_types_a_character(int key);
// Whether a key of `action` is held now, as `key_down(GLFW_KEY_*)` says (the A/B flip acts while
// its key is down, not on a press).
bool action_key_held(Action action, const std::function<bool(int key)>& key_down);

}  // namespace nt::viewer
