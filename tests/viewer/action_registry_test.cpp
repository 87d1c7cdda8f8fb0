// One table of keys: the handler's lookups and the shortcuts window's rows come from it.
#include <gtest/gtest.h>

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include <set>

#include "viewer/state/action_registry.h"

using namespace nt::viewer;

TEST(ActionRegistry, UndoRedoAndTheirModifiers) {
    EXPECT_EQ(action_for_key(GLFW_KEY_Z, GLFW_MOD_CONTROL, false), Action::UndoMask);
    EXPECT_EQ(action_for_key(GLFW_KEY_Z, GLFW_MOD_CONTROL | GLFW_MOD_SHIFT, false), Action::RedoMask);
    EXPECT_EQ(action_for_key(GLFW_KEY_Y, GLFW_MOD_CONTROL, false), Action::RedoMask);
    EXPECT_FALSE(action_for_key(GLFW_KEY_Z, 0, false));
    // Num Lock does not turn a shortcut off.
    EXPECT_EQ(action_for_key(GLFW_KEY_Z, GLFW_MOD_CONTROL | GLFW_MOD_NUM_LOCK, false), Action::UndoMask);
}

TEST(ActionRegistry, PlainKeysBelongToATextFieldWhileTyping) {
    EXPECT_EQ(action_for_key(GLFW_KEY_L, 0, false), Action::CycleLayout);
    EXPECT_EQ(action_for_key(GLFW_KEY_SPACE, 0, false), Action::PlayPause);
    EXPECT_EQ(action_for_key(GLFW_KEY_SPACE, 0, true), std::nullopt);  // a space typed in a path field
    EXPECT_EQ(action_for_key(GLFW_KEY_R, GLFW_MOD_CONTROL, true), Action::Record);
    EXPECT_FALSE(action_for_key(GLFW_KEY_L, 0, true));
    EXPECT_FALSE(action_for_key(GLFW_KEY_Z, GLFW_MOD_CONTROL, true));  // the field's own undo
    EXPECT_EQ(action_for_key(GLFW_KEY_S, GLFW_MOD_CONTROL, true), Action::SaveResult);
    EXPECT_EQ(action_for_key(GLFW_KEY_S, GLFW_MOD_CONTROL | GLFW_MOD_SHIFT, true), Action::SaveResultAs);
    EXPECT_FALSE(action_for_key(GLFW_KEY_W, GLFW_MOD_CONTROL, false));  // Ctrl+W is not the wipe
}

TEST(ActionRegistry, EveryActionHasAKeyAndEveryKeyOneAction) {
    std::set<Action> with_keys;
    std::set<std::pair<int, int>> bound;
    for (const Shortcut& s : shortcuts()) {
        EXPECT_NE(std::string(s.description), "");
        if (!s.action) continue;
        EXPECT_FALSE(s.bindings.empty()) << s.keys;
        with_keys.insert(*s.action);
        for (const KeyBinding& b : s.bindings) EXPECT_TRUE(bound.insert({b.key, b.mods}).second) << s.keys;
    }
    EXPECT_EQ(with_keys.size(), static_cast<std::size_t>(Action::Histograms) + 1);
}

// The inspection views' keys, and the A/B flip acting while its key is held.
TEST(ActionRegistry, ViewKeysAndTheHeldFlip) {
    EXPECT_EQ(action_for_key(GLFW_KEY_D, 0, false), Action::Difference);
    EXPECT_EQ(action_for_key(GLFW_KEY_C, 0, false), Action::CycleChannel);
    EXPECT_EQ(action_for_key(GLFW_KEY_G, 0, false), Action::Histograms);
    EXPECT_EQ(action_for_key(GLFW_KEY_B, 0, true), std::nullopt);  // a text field has it
    EXPECT_TRUE(action_key_held(Action::FlipAB, [](int key) { return key == GLFW_KEY_B; }));
    EXPECT_FALSE(action_key_held(Action::FlipAB, [](int key) { return key == GLFW_KEY_D; }));
    EXPECT_FALSE(action_key_held(Action::FlipAB, [](int) { return false; }));
}

// With plain keys off (a text field or the sidebar has the keyboard), Esc still closes the
// shortcuts list: it is typed into no field.
TEST(ActionRegistry, EscClosesTheListWhereverTheKeyboardIs) {
    EXPECT_EQ(action_for_key(GLFW_KEY_ESCAPE, 0, true), Action::CloseHelp);
    EXPECT_FALSE(action_for_key(GLFW_KEY_M, 0, true));
    EXPECT_FALSE(action_for_key(GLFW_KEY_TAB, 0, true));  // Tab moves between W and H then
    // Only keys that type a character wait for the canvas to have the keyboard.
    EXPECT_TRUE(key_types_a_character(GLFW_KEY_M));
    EXPECT_TRUE(key_types_a_character(GLFW_KEY_SPACE));
    EXPECT_TRUE(key_types_a_character(GLFW_KEY_LEFT_BRACKET));
    EXPECT_FALSE(key_types_a_character(GLFW_KEY_TAB));
    EXPECT_FALSE(key_types_a_character(GLFW_KEY_F12));
}
