#pragma once
// Working-size modes: how big the content is made before stylizing. The style is always resized
// to the content's working size.
#include <string>

namespace nt {

struct Size2 {
    int width = 0;
    int height = 0;
    bool operator==(const Size2& o) const { return width == o.width && height == o.height; }
    bool operator!=(const Size2& o) const { return !(*this == o); }
};

struct SizeSpec {
    enum class Mode { Square, Exact, LongestSide, Original };
    Mode mode = Mode::Square;
    int width = 512;   // Square: side; Exact: width; LongestSide: the longest side
    int height = 512;  // Exact: height
    bool operator==(const SizeSpec& o) const { return mode == o.mode && width == o.width && height == o.height; }
};

// The original workflow's Resize((512, 512)).
inline SizeSpec default_size_spec() { return {}; }

// Parses "512" (square), "640x480" (exact), "long:1024" (longest side, aspect kept) or
// "original". Throws nt::Error naming the text for malformed input, a size of 0, or a size
// beyond the limits in core/limits.h.
SizeSpec parse_size_spec(const std::string& text);

// The canonical text form, e.g. "512", "640x480", "long:1024", "original".
std::string to_string(const SizeSpec& spec);

// The working size for content of the given size. Throws nt::Error when the result would be
// beyond the limits.
Size2 working_size(const SizeSpec& spec, Size2 content);

}  // namespace nt
