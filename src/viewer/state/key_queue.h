#pragma once
// Keys and typed characters, handed to Dear ImGui a frame's share at a time. ImGui 1.86 keeps
// one state per key per frame, so a press and its release between two frames were lost (five
// BackSpaces 12 ms apart deleted three; a quick Ctrl+A did nothing and a typed path was appended
// to the old one). The queue hands out at most one change per key per frame, and characters never
// after a key in the same frame (ImGui's text field takes the frame's characters before its keys).
// ImGui 1.87 and later queue input themselves; the window uses this with 1.86 only. No GL.
#include <cstddef>
#include <deque>
#include <vector>

namespace nt::viewer {

struct QueuedInput {
    bool is_char = false;
    int key = 0, scancode = 0, action = 0, mods = 0;  // a key event, as GLFW gave it
    unsigned character = 0;                           // a typed character
};

class KeyQueue {
public:
    void push_key(int key, int scancode, int action, int mods);
    void push_char(unsigned character);
    // This frame's share, in the order it came.
    std::vector<QueuedInput> take_frame();
    bool empty() const { return queue_.empty(); }
    std::size_t size() const { return queue_.size(); }

private:
    std::deque<QueuedInput> queue_;
};

}  // namespace nt::viewer
