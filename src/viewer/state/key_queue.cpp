#include "viewer/state/key_queue.h"

#include <algorithm>

namespace nt::viewer {

void KeyQueue::push_key(int key, int scancode, int action, int mods) {
    QueuedInput e;
    e.key = key;
    e.scancode = scancode;
    e.action = action;
    e.mods = mods;
    queue_.push_back(e);
}

void KeyQueue::push_char(unsigned character) {
    QueuedInput e;
    e.is_char = true;
    e.character = character;
    queue_.push_back(e);
}

std::vector<QueuedInput> KeyQueue::take_frame() {
    std::vector<QueuedInput> frame;
    std::vector<int> keys_changed;
    while (!queue_.empty()) {
        const QueuedInput& e = queue_.front();
        if (e.is_char && !keys_changed.empty()) break;  // it would be taken before that key
        if (!e.is_char) {
            if (std::find(keys_changed.begin(), keys_changed.end(), e.key) != keys_changed.end()) break;
            keys_changed.push_back(e.key);
        }
        frame.push_back(e);
        queue_.pop_front();
    }
    return frame;
}

}  // namespace nt::viewer
