// style.jpg's composition (night_sky.h): where the swirls, stars, moon, cypress, hills and
// village lie, the colour each paints, and the flow field the strokes follow.
#include "night_sky.h"

#include <cmath>

namespace nt::default_images {
namespace {

struct Swirl {
    float u, v, strength, radius;
};

const Swirl kSwirls[] = {{0.50f, 0.36f, 0.26f, 0.15f}, {0.30f, 0.27f, -0.11f, 0.085f}, {0.70f, 0.50f, 0.07f, 0.07f}};
const Star kStars[] = {{0.33f, 0.09f, 0.028f}, {0.55f, 0.08f, 0.022f}, {0.70f, 0.23f, 0.030f},
                       {0.92f, 0.38f, 0.024f}, {0.44f, 0.56f, 0.020f}, {0.63f, 0.37f, 0.014f},
                       {0.10f, 0.09f, 0.018f}, {0.27f, 0.52f, 0.022f}, {0.85f, 0.58f, 0.016f}};

float hill_line(float u) { return 0.66f + 0.045f * std::sin(u * 5.0f + 0.6f) + 0.02f * std::sin(u * 11.0f + 1.3f); }

// Centre and half-width of the flame-shaped cypress at height v (half-width <= 0 above its tip).
void cypress_shape(float v, float& centre, float& half_width) {
    const float t = clamp01((v - 0.05f) / 0.95f);
    centre = 0.17f + 0.02f * std::sin(v * 9.0f);
    half_width = 0.085f * std::pow(t, 0.8f) * (1.0f + 0.22f * std::sin(v * 38.0f + 1.0f) + 0.1f * std::sin(v * 83.0f));
    if (v < 0.05f) half_width = 0;
}

// Stream function of the sky: a gentle rightward drift with waves, plus Gaussian vortices at
// the swirls, the stars and the moon. Its level lines are the paths strokes follow, so colour
// bands defined on it line up with the strokes for free.
float sky_stream(float u, float v) {
    float psi = 0.9f * v + 0.03f * std::sin(u * 9.0f + v * 4.0f);
    auto vortex = [&](float cu, float cv, float s, float r) {
        const float d2 = (u - cu) * (u - cu) + (v - cv) * (v - cv);
        psi += s * std::exp(-d2 / (r * r));
    };
    for (const Swirl& s : kSwirls) vortex(s.u, s.v, s.strength, s.radius);
    for (const Star& s : kStars) vortex(s.u, s.v, 0.10f * s.radius / 0.03f, s.radius * 2.2f);
    vortex(kMoon.u, kMoon.v, 0.12f, kMoon.radius * 2.2f);
    return psi;
}

// Sum of the big swirls' influence: where the sky is churning, the palette gets lighter bands.
float swirl_weight(float u, float v) {
    float w = 0;
    for (const Swirl& s : kSwirls) {
        const float d2 = (u - s.u) * (u - s.u) + (v - s.v) * (v - s.v);
        w += std::exp(-d2 / (s.radius * s.radius * 1.3f));
    }
    return clamp01(w);
}

// A star or the moon: bright core, then alternating gold and pale rings fading into the sky.
Rgb add_halo(Rgb sky, float u, float v, const Star& s) {
    const float r = std::hypot(u - s.u, v - s.v) / s.radius;
    if (r > 3.2f) return sky;
    if (r < 1.0f) return mix(Rgb{1.0f, 0.98f, 0.80f}, Rgb{0.98f, 0.80f, 0.22f}, r * r);
    const float ring = 0.5f + 0.5f * std::cos((r - 1.0f) * 2.0f * kPi * 0.9f);
    const Rgb ring_col = mix(Rgb{0.55f, 0.75f, 0.70f}, Rgb{0.98f, 0.85f, 0.35f}, ring);
    return mix(sky, ring_col, 0.9f * std::exp(-(r - 1.0f) * 1.3f));
}

Rgb sky_paint(float u, float v) {
    const float tone = fbm(u * 3.0f, v * 3.0f, 4, 2001);
    const Rgb deep{0.05f, 0.12f, 0.38f}, cobalt{0.15f, 0.32f, 0.66f};
    Rgb c = mix(deep, cobalt, smoothstep(0.25f, 0.75f, tone + 0.25f * (v - 0.3f)));
    // Bands along the stream lines; noise in the phase stops them looking like a contour plot.
    const float psi = sky_stream(u, v);
    const float band = 0.5f + 0.5f * std::sin(psi * 60.0f + 3.0f * fbm(u * 5.0f, v * 5.0f, 3, 2002));
    const float strength = 0.30f + 0.70f * swirl_weight(u, v);
    const Rgb light = mix(Rgb{0.45f, 0.65f, 0.88f}, Rgb{0.88f, 0.90f, 0.72f}, swirl_weight(u, v) * band);
    c = mix(c, light, strength * smoothstep(0.55f, 0.95f, band));
    c = c * (1.0f - 0.30f * strength * smoothstep(0.45f, 0.05f, band));
    // The sky brightens towards the hills.
    c = mix(c, Rgb{0.35f, 0.55f, 0.72f}, 0.45f * smoothstep(0.40f, 0.70f, v) * band);
    for (const Star& s : kStars) c = add_halo(c, u, v, s);
    return add_halo(c, u, v, kMoon);
}

Rgb cypress_paint(float u, float v) {
    float centre = 0, half_width = 0;
    cypress_shape(v, centre, half_width);
    const float across = (u - centre) / std::max(1e-3f, half_width);  // -1 left edge .. 1 right edge
    const float streaks = fbm(u * 40.0f, v * 6.0f, 3, 3001);
    Rgb c = mix(Rgb{0.05f, 0.09f, 0.07f}, Rgb{0.20f, 0.30f, 0.14f}, smoothstep(0.35f, 0.75f, streaks));
    c = mix(c, Rgb{0.35f, 0.24f, 0.10f}, 0.5f * smoothstep(0.62f, 0.80f, fbm(u * 25.0f, v * 9.0f, 2, 3002)));
    // Moonlight from the right picks out one flank in cool green.
    return mix(c, Rgb{0.28f, 0.45f, 0.40f}, 0.55f * smoothstep(0.3f, 1.0f, across));
}

// The near slope the village stands on; between it and hill_line lie the far hills.
float village_line(float u) { return 0.79f + 0.025f * std::sin(u * 6.0f + 2.5f); }

// The moon: a bright crescent, its shadowed part a warmer, dimmer orange.
Detail moon_detail(float u, float v, Rgb& colour) {
    const float r = std::hypot(u - kMoon.u, v - kMoon.v) / kMoon.radius;
    if (r >= 1.0f) return Detail::None;
    // The shadow is a disc offset towards the upper right, leaving a crescent open to that side.
    const float su = kMoon.u + 0.42f * kMoon.radius, sv = kMoon.v - 0.32f * kMoon.radius;
    const float rs = std::hypot(u - su, v - sv) / kMoon.radius;
    if (rs < 0.80f) {
        colour = mix(Rgb{0.86f, 0.52f, 0.14f}, Rgb{0.95f, 0.70f, 0.24f}, rs / 0.80f);
        return Detail::MoonShade;
    }
    colour = mix(Rgb{1.0f, 0.97f, 0.72f}, Rgb{1.0f, 0.84f, 0.30f}, r);
    return Detail::MoonLit;
}

// One house: walls, a pitched roof and one lit window, all derived from the house's index.
Detail house_detail(float u, float v, int index, Rgb& colour) {
    SplitMix64 rng(5000 + std::uint64_t(index));
    const int row = index % 2;
    const float hu = 0.30f + 0.045f * float(index) + rng.range(-0.012f, 0.012f);
    const float hw = rng.range(0.016f, 0.026f), hh = rng.range(0.026f, 0.040f);
    const float ground = village_line(hu) + 0.06f + 0.06f * float(row) + rng.range(-0.01f, 0.01f);
    const float window_u = hu + (rng.uniform() < 0.5f ? -0.4f : 0.4f) * hw;
    const Rgb walls[] = {{0.42f, 0.50f, 0.62f}, {0.58f, 0.52f, 0.36f}, {0.32f, 0.42f, 0.58f}};
    const Rgb wall = walls[rng.next() % 3];
    const Rgb roof = rng.uniform() < 0.5f ? Rgb{0.10f, 0.14f, 0.30f} : Rgb{0.16f, 0.30f, 0.34f};

    const float du = std::fabs(u - hu), eave = ground - hh;
    const float roof_half = hw * 1.2f, roof_h = hw * 0.9f;
    if (du < hw && v < ground && v >= eave) {
        const float wv = (ground - v) / hh;
        if (std::fabs(u - window_u) < 0.28f * hw && wv > 0.30f && wv < 0.66f) {
            colour = Rgb{1.0f, 0.80f, 0.26f};
            return Detail::Window;
        }
        colour = wall;
        return Detail::Wall;
    }
    if (du < roof_half && v < eave && v > eave - roof_h * (1.0f - du / roof_half)) {
        colour = roof;
        return Detail::Roof;
    }
    return Detail::None;
}

// The church: a nave and a tall, thin spire rising above the houses.
Detail church_detail(float u, float v, Rgb& colour) {
    const float cu = 0.585f, ground = village_line(cu) + 0.09f;
    if (std::fabs(u - cu) < 0.020f && v < ground && v > ground - 0.05f) {
        colour = Rgb{0.30f, 0.36f, 0.52f};
        return Detail::Church;
    }
    const float top = ground - 0.17f, spire_u = cu + 0.012f;
    if (v > top && v <= ground - 0.05f && std::fabs(u - spire_u) < 0.010f * (v - top) / 0.12f + 0.001f) {
        colour = Rgb{0.14f, 0.20f, 0.38f};
        return Detail::Church;
    }
    return Detail::None;
}

// Rolling blue hills behind a village: small houses with lit windows and a church spire.
Rgb hills_paint(float u, float v) {
    const float depth = v - hill_line(u);
    const float wobble = 4.0f * fbm(u * 4.0f, v * 4.0f, 3, 4001);
    Rgb c;
    if (v < village_line(u)) {
        // Far hills: folds parallel to the crest, lighter near the top where the sky lights them.
        const float folds = 0.5f + 0.5f * std::sin(depth * 70.0f + wobble);
        const float light = folds * (1.2f - smoothstep(0.0f, 0.12f, depth));
        c = mix(Rgb{0.12f, 0.20f, 0.42f}, Rgb{0.28f, 0.44f, 0.62f}, light);
        c = mix(c, Rgb{0.50f, 0.66f, 0.74f}, 0.75f * (1.0f - smoothstep(0.0f, 0.012f, depth)));  // lit crest
    } else {
        // Near ground: dark blue-green with streaks of green and ochre fields.
        const float near = v - village_line(u);
        const float fields = 0.5f + 0.5f * std::sin(near * 90.0f + 1.5f * wobble + u * 6.0f);
        c = mix(Rgb{0.07f, 0.12f, 0.22f}, Rgb{0.16f, 0.30f, 0.26f}, fields);
        c = mix(c, Rgb{0.50f, 0.45f, 0.22f}, 0.45f * smoothstep(0.68f, 0.85f, fbm(u * 8.0f, v * 14.0f, 3, 4002)));
        c = c * (1.0f - 0.35f * smoothstep(0.0f, 0.20f, near));  // darker towards the bottom edge
    }
    return c;
}

}  // namespace

Region region_at(float u, float v) {
    float centre = 0, half_width = 0;
    cypress_shape(v, centre, half_width);
    if (std::fabs(u - centre) < half_width) return Region::Cypress;
    return v > hill_line(u) ? Region::Hills : Region::Sky;
}

Detail detail_at(float u, float v, Rgb& colour) {
    if (const Detail d = moon_detail(u, v, colour); d != Detail::None) return d;
    if (v < 0.60f) return Detail::None;  // everything else is in the village
    for (int i = 0; i < 15; ++i)
        if (const Detail d = house_detail(u, v, i, colour); d != Detail::None) return d;
    return church_detail(u, v, colour);
}

// Multiplier on stroke length: shorter strokes in the star cores and the village, where long
// ones would drag colour across small shapes.
float stroke_length_scale(float u, float v) {
    for (const Star& s : kStars)
        if (std::hypot(u - s.u, v - s.v) < s.radius) return 0.6f;
    if (region_at(u, v) == Region::Hills && v > village_line(u) + 0.01f && u > 0.25f) return 0.5f;
    return 1.0f;
}

Rgb style_paint(float u, float v) {
    Rgb detail;
    if (detail_at(u, v, detail) != Detail::None) return detail;
    switch (region_at(u, v)) {
        case Region::Cypress: return cypress_paint(u, v);
        case Region::Hills: return hills_paint(u, v);
        case Region::Sky: break;
    }
    return sky_paint(u, v);
}

// Unit direction of the brush at (u, v): along the stream lines in the sky, up the flame of the
// cypress, along the contours in the hills.
void style_flow(float u, float v, float& dx, float& dy) {
    switch (region_at(u, v)) {
        case Region::Cypress: {
            const float a = 0.5f * kPi + 0.35f * std::sin(v * 28.0f + u * 40.0f);
            dx = std::cos(a);
            dy = std::sin(a);
            return;
        }
        case Region::Hills: {
            const float e = 0.004f;
            const float depth = v - hill_line(u);
            const float slope = (hill_line(u + e) - hill_line(u - e)) / (2 * e) * std::exp(-depth * 8.0f) +
                                0.25f * std::sin(u * 14.0f + v * 20.0f);
            const float len = std::hypot(1.0f, slope);
            dx = 1.0f / len;
            dy = slope / len;
            return;
        }
        case Region::Sky: break;
    }
    const float e = 0.5f / float(kStyleSize);
    const float gx = (sky_stream(u + e, v) - sky_stream(u - e, v)) / (2 * e);
    const float gy = (sky_stream(u, v + e) - sky_stream(u, v - e)) / (2 * e);
    const float len = std::hypot(gx, gy);
    if (len < 1e-6f) {
        dx = 1;
        dy = 0;
        return;
    }
    dx = gy / len;  // perpendicular to the gradient = along the level line
    dy = -gx / len;
}

}  // namespace nt::default_images
