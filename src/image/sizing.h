#pragma once
// Working-size modes: how big the content is made before stylizing, and how big the style is
// made for it: stretched to the content's working size only for a method that combines the two
// pixel by pixel (MethodInfo::style_pixel_aligned, the blend); for every other method with its own
// aspect ratio at about the same number of pixels, never upscaled (style_working_size).
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
// beyond the limits in base/limits.h.
SizeSpec parse_size_spec(const std::string& text);

// The canonical text form, e.g. "512", "640x480", "long:1024", "original".
std::string to_string(const SizeSpec& spec);

// The working size for content of the given size. Throws nt::Error when the result would be
// beyond the limits.
Size2 working_size(const SizeSpec& spec, Size2 content);

// The size a style of size `style` is brought to for content at working size `target`, for the
// methods that read the style's own pixels (every method but the pixel-aligned blend): the
// style's aspect ratio, about as many pixels as `target` has (never more), and never more than
// its own pixels (a small style is not upscaled: patches and strokes stay its own). Sides are at
// least 1. A size it returns maps to itself, so a style prepared once (a video's) is not resized
// again.
Size2 style_working_size(Size2 style, Size2 target);

}  // namespace nt
