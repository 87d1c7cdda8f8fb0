#pragma once
// What the display unit is asked to draw for one picture panel: which picture, where, which part
// of it, and how (the view mode). Plain data, without GL: the viewer's canvas fills it in.
namespace nt::display {

enum class Picture { Content = 0, Style = 1, Result = 2 };
inline constexpr int kPictureCount = 3;

// The channel views show one channel (or the luminance) as grey.
enum class Channel { Rgb, Red, Green, Blue, Luminance };
inline constexpr int kChannelCount = 5;
const char* channel_name(Channel c);  // "RGB", "R", "G", "B", "Luminance"
Channel next_channel(Channel c);      // RGB -> R -> G -> B -> Luminance -> RGB

// Magnified at least this much (framebuffer pixels per image pixel) a grid separates the pixels;
// from 1:1 up pixels are drawn as crisp squares (nearest sampling: exact values at 1:1 even where
// the panel sits between screen pixels), below it filtered.
inline constexpr float kGridFromMagnification = 8.0f;

struct PanelDraw {
    Picture picture = Picture::Content;
    float x = 0, y = 0, w = 0, h = 0;      // the quad in screen points: the picture's visible part
    float u0 = 0, v0 = 0, u1 = 1, v1 = 1;  // texture coordinates at its corners (0..1 of the picture)
    bool difference = false;               // |picture - content| * gain instead of the picture
    float gain = 1.0f;
    Channel channel = Channel::Rgb;
    float wipe = -1.0f;      // >= 0: the content left of this u, the picture right of it
    bool mask_tint = false;  // the mask's tint over the picture
};

}  // namespace nt::display
