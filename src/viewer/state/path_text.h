#pragma once
// How the viewer writes paths and sizes for people, and reads the paths they type: no GL.
#include <functional>
#include <string>

namespace nt::viewer {

// The last component of a path ("photo.jpg" of "/a/b/photo.jpg").
std::string file_name(const std::string& path);
// Short form for the path fields: relative to the current folder when inside it, else ~/...
std::string display_path(const std::string& path);
// "~/x" with $HOME put in.
std::string expand_home(const std::string& path);
// A typed path made absolute (~ expanded), so the settings and recent files still work from
// another folder.
std::string absolute_path(const std::string& typed);
// "W × H".
std::string size_text(int width, int height);

// The end of `text` that fits `max_width`, after an ellipsis ("…/photos/2024/holiday.jpg"):
// of a path, the file name is what matters. `text` itself when it fits.
std::string tail_that_fits(const std::string& text, float max_width,
                           const std::function<float(const std::string&)>& measure);

// A panel caption that fits `max_width` as `measure` measures text: "title · caption" when it
// fits, else "title · capt…" while at least the start of the file name fits beside the title (a
// caption without "Style" or "Result" leaves the user guessing), else the caption alone, else the
// caption cut at the end with an ellipsis, keeping as much of its start as fits.
std::string fit_caption(const std::string& title, const std::string& caption, float max_width,
                        const std::function<float(const std::string&)>& measure);

}  // namespace nt::viewer
