#pragma once
// style.jpg of assets/: a swirling night sky over a cypress, hills and a village, 768 x 768.
//
// The composition is described twice over the unit square (u right, v down): a base colour and
// a flow direction. Strokes then sample the colour where they start and follow the flow.
#include "paint.h"

namespace nt::default_images {

constexpr int kStyleSize = 768;

// A star or the moon: a disc with halo rings around it.
struct Star {
    float u, v, radius;
};

const Star kMoon{0.84f, 0.13f, 0.055f};

enum class Region { Sky, Cypress, Hills };

// Which of the big shapes (u, v) lies in; strokes never cross from one into another.
Region region_at(float u, float v);

// Small shapes that broad strokes would smear away; a last pass repaints them with small strokes.
enum class Detail { None, MoonLit, MoonShade, Wall, Roof, Window, Church };

// The small shape at (u, v), with its colour in `colour`; Detail::None outside them all.
Detail detail_at(float u, float v, Rgb& colour);

// The base colour of the composition at (u, v).
Rgb style_paint(float u, float v);

// Unit direction of the brush at (u, v) (the field has no sign).
void style_flow(float u, float v, float& dx, float& dy);

// Multiplier on stroke length: shorter strokes where long ones would drag colour across small shapes.
float stroke_length_scale(float u, float v);

}  // namespace nt::default_images
