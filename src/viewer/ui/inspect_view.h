#pragma once
// The inspection views of the picture panels: the difference |result - content| with a gain, one
// channel (or the luminance) alone as grey, the A/B flip (the content in place of the result, at
// the same zoom and pan, while a key is held) and colour histograms. Plain state: the canvas
// turns it into display::PanelDraw requests.
#include "display/panel_draw.h"

namespace nt::viewer {

inline constexpr float kMinDifferenceGain = 1.0f;
inline constexpr float kMaxDifferenceGain = 64.0f;

struct InspectView {
    bool difference = false;                           // the result panel shows |result - content| * gain
    float difference_gain = 4.0f;                      // kMinDifferenceGain..kMaxDifferenceGain
    display::Channel channel = display::Channel::Rgb;  // on every panel
    bool flip = false;                                 // the A/B key is held: content on the result panel
    bool histograms = false;                           // small histograms over the panels' corners
    bool histogram_luminance = false;                  // ... of the luminance instead of R, G and B
};

}  // namespace nt::viewer
