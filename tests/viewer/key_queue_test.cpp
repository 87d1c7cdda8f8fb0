// Quick key taps reach ImGui 1.86 one change per key per frame (issue 26: five BackSpaces 12 ms
// apart deleted three, and a quick Ctrl+A followed by typing appended to the old text).
#include <gtest/gtest.h>

#include <GLFW/glfw3.h>

#include "viewer/state/key_queue.h"

using namespace nt::viewer;

namespace {

void tap(KeyQueue& q, int key, int mods = 0) {
    q.push_key(key, 0, GLFW_PRESS, mods);
    q.push_key(key, 0, GLFW_RELEASE, mods);
}

}  // namespace

TEST(KeyQueue, FiveQuickBackspacesAreFivePressesInLaterFrames) {
    KeyQueue q;
    for (int i = 0; i < 5; ++i) tap(q, GLFW_KEY_BACKSPACE);  // all between two frames
    int presses = 0, frames = 0;
    while (!q.empty()) {
        const auto frame = q.take_frame();
        ASSERT_EQ(frame.size(), 1u) << "a press and its release in one frame: ImGui 1.86 sees neither";
        presses += frame[0].action == GLFW_PRESS;
        ++frames;
    }
    EXPECT_EQ(presses, 5);
    EXPECT_EQ(frames, 10);
}

TEST(KeyQueue, CharactersTypedAfterCtrlAComeAfterTheSelection) {
    KeyQueue q;
    q.push_key(GLFW_KEY_LEFT_CONTROL, 0, GLFW_PRESS, GLFW_MOD_CONTROL);
    tap(q, GLFW_KEY_A, GLFW_MOD_CONTROL);
    q.push_key(GLFW_KEY_LEFT_CONTROL, 0, GLFW_RELEASE, 0);
    for (char c : std::string("/new")) q.push_char(static_cast<unsigned>(c));
    // Frame 1: Ctrl and A down together, so the text field selects all.
    auto frame = q.take_frame();
    ASSERT_EQ(frame.size(), 2u);
    EXPECT_EQ(frame[1].key, GLFW_KEY_A);
    EXPECT_EQ(frame[1].action, GLFW_PRESS);
    EXPECT_EQ(frame[1].mods, GLFW_MOD_CONTROL);
    // Frame 2: the releases; no character yet (ImGui takes a frame's characters before its keys).
    frame = q.take_frame();
    ASSERT_EQ(frame.size(), 2u);
    for (const QueuedInput& e : frame) EXPECT_FALSE(e.is_char);
    // Frame 3: the typed text, all at once, replacing the selection.
    frame = q.take_frame();
    ASSERT_EQ(frame.size(), 4u);
    for (const QueuedInput& e : frame) EXPECT_TRUE(e.is_char);
    EXPECT_TRUE(q.empty());
}

TEST(KeyQueue, TypingAloneIsOneFrame) {
    KeyQueue q;
    for (char c : std::string("holiday.jpg")) q.push_char(static_cast<unsigned>(c));
    EXPECT_EQ(q.take_frame().size(), 11u);
    EXPECT_TRUE(q.take_frame().empty());
}
