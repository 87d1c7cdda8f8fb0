// content.jpg: a photographic-looking lake landscape at evening (landscape.h).
//
// Painted back to front: sky, clouds and sun; three mountain ranges and the far tree line; the
// lake mirroring all of it; the near shore with its pines; then a lens vignette and grain.
#include "landscape.h"

#include <cmath>
#include <vector>

#include "paint.h"

namespace nt::default_images {
namespace {

constexpr int kContentWidth = 1024, kContentHeight = 768;

// Where things sit in the landscape, in pixels. One struct so every painter agrees.
struct Landscape {
    int width = kContentWidth, height = kContentHeight;
    float horizon = 0.60f * kContentHeight;  // the far shore, where water meets land
    float sun_x = 0.66f * kContentWidth, sun_y = 0.27f * kContentHeight;
    float sun_radius = 17;
};

// Clear-sky colour: deep blue at the zenith, warm haze at the horizon, glow around the sun.
Rgb sky_gradient(const Landscape& L, float x, float y) {
    const Rgb zenith{0.16f, 0.32f, 0.60f}, middle{0.40f, 0.58f, 0.80f}, horizon{0.97f, 0.84f, 0.66f};
    const float t = y / L.horizon;
    Rgb c = mix(zenith, middle, smoothstep(0.0f, 0.65f, t));
    c = mix(c, horizon, std::pow(smoothstep(0.30f, 1.02f, t), 1.4f));
    const float d = std::hypot(x - L.sun_x, y - L.sun_y) / float(L.height);
    // Three falloffs: a white-hot bloom hugging the disk, a warm corona, a wide tint of the sky.
    const float glow = 0.9f * std::exp(-d * 28.0f) + 0.40f * std::exp(-d * 9.0f) + 0.20f * std::exp(-d * 2.8f);
    return c + Rgb{1.0f, 0.78f, 0.50f} * glow;
}

// Cloud density field, stretched horizontally like real cumulus/stratus layers and domain-warped
// so the edges billow instead of following the noise grid.
float cloud_density(float nx, float ny) {
    const float warp = fbm(nx * 0.8f + 4.0f, ny * 0.8f, 3, 101);
    return fbm(nx + 1.3f * warp, ny + 0.6f * warp, 6, 202);
}

// Soft clouds lit from the sun: a point is bright when the cloud thins out towards the sun.
Rgb add_clouds(const Landscape& L, Rgb sky, float x, float y) {
    const float nx = x / float(L.width) * 3.2f, ny = y / float(L.height) * 9.0f;
    const float v = y / L.horizon;
    // Clouds gather in a band across the upper middle of the sky and thin out near the horizon.
    const float band = smoothstep(0.02f, 0.25f, v) * (1.0f - smoothstep(0.55f, 0.92f, v));
    const float sun_dist = std::hypot(x - L.sun_x, y - L.sun_y) / float(L.height);
    // Keep the sun itself clear: a cloud right over it would hide the picture's light source.
    const float clearing = 0.22f * std::exp(-sun_dist * 8.0f);
    const float density = cloud_density(nx, ny) + 0.16f * band - 0.08f - clearing;
    const float coverage = smoothstep(0.50f, 0.66f, density);
    if (coverage <= 0.0f) return sky;

    const float dx = L.sun_x - x, dy = L.sun_y - y;
    const float len = std::max(1.0f, std::hypot(dx, dy));
    const float toward_sun = cloud_density(nx + 0.05f * dx / len * 3.2f, ny + 0.05f * dy / len * 9.0f);
    const float light = clamp01(0.55f + (density - toward_sun) * 7.0f);

    const float sun_near = std::exp(-sun_dist * 5.0f);
    const Rgb shadow = mix(Rgb{0.60f, 0.64f, 0.74f}, Rgb{0.82f, 0.72f, 0.66f}, smoothstep(0.3f, 1.0f, v));
    const Rgb lit = mix(Rgb{1.0f, 0.96f, 0.90f}, Rgb{1.0f, 0.86f, 0.62f}, smoothstep(0.2f, 1.0f, v));
    Rgb cloud = mix(shadow, lit, light) + Rgb{0.35f, 0.25f, 0.12f} * (sun_near * light);
    return mix(sky, cloud, coverage * 0.92f);
}

// The sun disk and its bloom, drawn over the clouds: bright light scatters in front of thin
// cloud, and a disk without bloom reads as the moon.
Rgb add_sun(const Landscape& L, Rgb c, float x, float y) {
    const float d = std::hypot(x - L.sun_x, y - L.sun_y);
    const float bloom = std::exp(-std::max(0.0f, d - L.sun_radius) / (1.2f * L.sun_radius));
    c = c + Rgb{1.0f, 0.88f, 0.65f} * (0.85f * bloom);
    const float disk = 1.0f - smoothstep(L.sun_radius - 1.5f, L.sun_radius + 1.0f, d);
    return c + Rgb{0.6f, 0.6f, 0.55f} * disk;  // added, so the disk outshines its own bloom
}

// Colour the air gives to anything far away; the "atmospheric perspective" target.
Rgb haze_color(const Landscape& L, float x, float y) {
    return mix(sky_gradient(L, x, std::min(y, L.horizon - 1)), Rgb{0.78f, 0.80f, 0.84f}, 0.35f);
}

struct MountainLayer {
    float base;       // lowest crest height above the horizon, fraction of image height
    float height;     // extra crest height, fraction of image height
    float frequency;  // crests across the picture
    float haze;       // 0 = no atmosphere, 1 = vanishes into the sky
    Rgb rock;
    bool snow;
    std::uint32_t seed;
};

// A range ready to paint: its crest line (y per column) and that line's running sum, from which
// the crest averaged over any width is one subtraction away.
struct MountainRange {
    MountainLayer layer;
    std::vector<float> crest;
    std::vector<double> prefix;  // prefix[i] = crest[0] + ... + crest[i-1]

    // Mean crest height over [x - radius, x + radius], clipped to the picture.
    float smoothed(float x, float radius) const {
        const int last = int(crest.size()) - 1;
        const int i0 = std::min(last, std::max(0, int(x - radius)));
        const int i1 = std::min(last, std::max(0, int(x + radius)));
        return float((prefix[std::size_t(i1) + 1] - prefix[std::size_t(i0)]) / double(i1 - i0 + 1));
    }

    // How steeply the crest falls to the right around x (image y per px), from two adjacent
    // boxes: the derivative of a triangle filter, smooth enough not to stripe the rock.
    float fall(float x, float radius) const {
        const float half = 0.5f * radius;
        return (smoothed(x + half, half) - smoothed(x - half, half)) / radius;
    }
};

MountainRange make_range(const Landscape& L, const MountainLayer& m) {
    MountainRange range{m, std::vector<float>(std::size_t(L.width)),
                        std::vector<double>(std::size_t(L.width) + 1, 0.0)};
    for (int x = 0; x < L.width; ++x) {
        const float u = float(x) / float(L.width) * m.frequency;
        const float ridge = ridged_fbm(u, 0.37f * float(m.seed % 7u), 6, m.seed);
        // A slow envelope gives the range a few dominant peaks instead of a uniform saw.
        const float envelope = 0.25f + 0.75f * smoothstep(0.25f, 0.75f, fbm(u * 0.45f, 9.1f, 3, m.seed + 5u));
        range.crest[std::size_t(x)] = L.horizon - float(L.height) * (m.base + m.height * ridge * envelope);
        range.prefix[std::size_t(x) + 1] = range.prefix[std::size_t(x)] + double(range.crest[std::size_t(x)]);
    }
    return range;
}

// Rock face lit from the sun on the right. Seen from afar, a range is a set of big planar facets
// falling away from its peaks; at depth d below the crest the facets follow the crest smoothed
// over a width that grows with d, so small notches die out downwards while the flanks of the big
// peaks carry on as broad lit or shaded faces. Noise adds gullies and texture on top.
Rgb mountain_face(const Landscape& L, const MountainRange& range, int x, float y) {
    const MountainLayer& m = range.layer;
    const float fx = float(x);
    const float top = range.crest[std::size_t(x)];
    const float depth = y - top;
    // The fine facets fade with depth: carried far down, every notch would paint a vertical stripe.
    const float facets = 0.60f * range.fall(fx, 4.0f + 1.2f * depth) +
                         0.30f * std::exp(-depth / 25.0f) * range.fall(fx, 2.0f + 0.25f * depth);

    const float scale = m.frequency * 0.0045f;
    const float gully = ridged_fbm(fx * scale * 3.0f, y * scale * 2.0f, 4, m.seed + 31u);  // streaks down the slope
    const float detail = fbm(fx * scale * 14.0f, y * scale * 14.0f, 3, m.seed + 32u);
    float shade = 0.78f + facets + 0.16f * (gully - 0.5f);
    shade = std::min(1.30f, std::max(0.30f, shade));
    Rgb c = m.rock * (shade * (0.82f + 0.36f * detail));

    if (m.snow) {
        // A snow line at a fixed height, pushed down along the gullies and up on steep rock.
        const float wander = fbm(fx * 0.01f, 4.4f, 3, m.seed + 33u) - 0.5f;
        const float snow_line = L.horizon - float(L.height) * (0.20f + 0.05f * wander);
        const float reach = 55.0f * (gully - 0.4f) + 30.0f * (detail - 0.5f);
        const float snow = 1.0f - smoothstep(snow_line - 4.0f, snow_line + 4.0f, y - reach);
        const Rgb snow_col = mix(Rgb{0.58f, 0.66f, 0.84f}, Rgb{1.0f, 0.97f, 0.93f}, clamp01((shade - 0.55f) * 1.4f));
        c = mix(c, snow_col, snow);
    }
    // Valley mist collects at the foot of each range, which separates the layers.
    const float foot = smoothstep(top + 0.30f * (L.horizon - top), L.horizon, y);
    const float haze = clamp01(m.haze + (1.0f - m.haze) * 0.45f * foot);
    return mix(c, haze_color(L, fx, y), haze);
}

// A distant forest along the far shore: a row of small conical tops.
std::vector<float> treeline_profile(const Landscape& L) {
    std::vector<float> top(std::size_t(L.width), L.horizon - 2);
    SplitMix64 rng(77);
    for (float cx = -10; cx < float(L.width) + 10; cx += rng.range(3.0f, 7.0f)) {
        const float cluster = fbm(cx * 0.006f, 3.3f, 3, 303);  // forest thins and thickens
        const float h = rng.range(5.0f, 14.0f) * (0.3f + 1.6f * cluster * cluster);
        const float half_w = rng.range(2.5f, 4.5f);
        for (int x = std::max(0, int(cx - half_w)); x <= std::min(L.width - 1, int(cx + half_w) + 1); ++x) {
            const float t = 1.0f - std::fabs(float(x) - cx) / half_w;
            if (t > 0) top[std::size_t(x)] = std::min(top[std::size_t(x)], L.horizon - 2 - h * t);
        }
    }
    return top;
}

Rgb treeline_color(const Landscape& L, int x, float y) {
    const float n = fbm(float(x) * 0.15f, y * 0.15f, 3, 404);
    const Rgb c = mix(Rgb{0.10f, 0.17f, 0.12f}, Rgb{0.24f, 0.30f, 0.17f}, n);
    const float mist = 0.30f + 0.35f * smoothstep(L.horizon - 8, L.horizon, y);
    return mix(c, haze_color(L, float(x), y), mist);
}

// Sky, mountains and far shore: everything above the water line.
void paint_upper_landscape(const Landscape& L, Canvas& canvas) {
    const MountainLayer layers[] = {
        {0.04f, 0.30f, 2.0f, 0.42f, {0.40f, 0.43f, 0.56f}, true, 11},
        {0.02f, 0.18f, 2.8f, 0.30f, {0.30f, 0.33f, 0.44f}, false, 23},
        {0.01f, 0.15f, 2.2f, 0.12f, {0.14f, 0.22f, 0.16f}, false, 37},  // forested foothills
    };
    std::vector<MountainRange> ranges;
    for (const MountainLayer& m : layers) ranges.push_back(make_range(L, m));
    const std::vector<float> trees = treeline_profile(L);

    for (int y = 0; y < int(L.horizon) + 1; ++y) {
        for (int x = 0; x < L.width; ++x) {
            const float fy = float(y);
            Rgb c = add_sun(L, add_clouds(L, sky_gradient(L, float(x), fy), float(x), fy), float(x), fy);
            for (const MountainRange& range : ranges) {
                // Coverage from the sub-pixel crest position anti-aliases the silhouette.
                const float cover = clamp01(fy - range.crest[std::size_t(x)] + 0.5f);
                if (cover > 0) c = mix(c, mountain_face(L, range, x, fy), cover);
            }
            const float tree_cover = clamp01(fy - trees[std::size_t(x)] + 0.5f);
            if (tree_cover > 0) c = mix(c, treeline_color(L, x, fy), tree_cover);
            canvas.at(x, y) = c;
        }
    }
}

// The lake mirrors the upper half with ripples. Noise is evaluated in ground-plane coordinates
// (x / distance, 1 / distance) so the waves shrink and flatten towards the horizon like real
// perspective.
void paint_lake(const Landscape& L, Canvas& canvas) {
    const int top = int(L.horizon) + 1;
    const float span = float(L.height) - L.horizon;
    for (int y = top; y < L.height; ++y) {
        const float d = float(y) - L.horizon;
        const float wz = 260.0f / (d + 4.0f);
        const float fresnel = 0.10f + 0.50f * smoothstep(0.0f, span, d);  // near water shows its own colour
        for (int x = 0; x < L.width; ++x) {
            const float wx = (float(x) - 0.5f * float(L.width)) / (d + 4.0f) * 3.0f;
            const float ripple = fbm(wx * 0.35f, wz * 1.2f, 4, 505) - 0.5f;
            const float streak = fbm(wx * 0.6f, wz * 5.0f, 3, 606) - 0.5f;
            const float ox = ripple * (1.5f + d * 0.06f), oy = ripple * (1.0f + d * 0.04f);
            Rgb c = canvas.sample(float(x) + ox, L.horizon - d + oy, 0.0f, L.horizon - 1);
            // Clip what the sky holds above white: rippled water smears the sun into the glitter
            // path below rather than mirroring its disk.
            c = Rgb{std::min(c.r, 1.0f), std::min(c.g, 1.0f), std::min(c.b, 1.0f)};
            c = c * (0.82f + 0.40f * streak);
            // Wind lanes: patches of rougher water reflect the brighter sky higher up.
            const float lane = smoothstep(0.55f, 0.70f, fbm(wx * 0.08f, wz * 0.9f, 3, 656));
            c = mix(c, haze_color(L, float(x), L.horizon * 0.6f) * 0.9f, 0.35f * lane);
            c = mix(c, Rgb{0.08f, 0.18f, 0.22f}, fresnel);

            // The sun's glitter path: short horizontal glints in a cone widening towards us.
            const float path = std::exp(-std::pow((float(x) - L.sun_x) / (5.0f + d * 0.35f), 2.0f));
            const float glint = fbm(wx * 4.0f, wz * 16.0f, 2, 707);
            const float sparkle = smoothstep(0.62f, 0.85f, glint);
            c = c + Rgb{1.0f, 0.86f, 0.62f} * (path * (0.10f + 1.4f * sparkle) * std::exp(-d / span * 1.8f));

            // A calm, bright band right at the shore line.
            c = mix(c, haze_color(L, float(x), L.horizon - 1), 0.35f * (1.0f - smoothstep(0.0f, 4.0f, d)));
            canvas.at(x, y) = c;
        }
    }
}

// Height (y) of the grassy near shore: a hill on the left, a low bank on the right.
float bank_top(const Landscape& L, float x) {
    const float w = float(L.width), h = float(L.height);
    const float left_hill = 0.24f * h * std::exp(-std::pow(x / (0.34f * w), 2.0f));
    const float right_bank = 0.10f * h * std::exp(-std::pow((w - x) / (0.18f * w), 2.0f));
    const float wobble = 0.035f * h * (fbm(x * 0.008f, 1.7f, 4, 808) - 0.5f);
    return 0.95f * h - left_hill - right_bank + wobble;
}

Rgb grass_color(const Landscape& L, float x, float y, float edge) {
    const float patches = fbm(x * 0.012f, y * 0.02f, 5, 909);
    const float blades = value_noise(x * 0.9f, y * 0.10f, 1010);  // thin vertical streaks
    Rgb c = mix(Rgb{0.13f, 0.22f, 0.08f}, Rgb{0.38f, 0.42f, 0.16f}, smoothstep(0.3f, 0.7f, patches));
    c = c * (0.75f + 0.45f * blades);
    // Warm evening light grazes the crest of the bank; the base falls into shade.
    const float below = (y - edge) / (0.15f * float(L.height));
    c = mix(c * Rgb{1.25f, 1.10f, 0.80f}, c * 0.55f, smoothstep(0.0f, 1.0f, below));
    return c;
}

struct Pine {
    float x, base_y, height, half_width;
    std::uint32_t seed;
};

// Coverage (0..1) of a pine at (x, y); `rim` tells how far towards the sunlit edge the point is
// and `tier_shade` darkens the underside of each whorl of branches.
float pine_coverage(const Pine& p, float x, float y, float& rim, float& tier_shade) {
    const float t = (p.base_y - y) / p.height;  // 0 at the foot, 1 at the tip
    if (t < 0 || t > 1) return 0;
    const float dx = x - p.x;
    rim = 0.5f;
    tier_shade = 0.7f;
    if (t < 0.05f) return clamp01(p.half_width * 0.06f + 1.0f - std::fabs(dx));  // trunk below the branches

    // Whorls of branches: each hangs from a narrow top to a wide, ragged bottom edge. Their
    // spacing and reach vary per whorl and per side, so the tree is not a perfect saw tooth.
    const float tiers = 10.0f + float(p.seed % 5u);
    // Branches droop towards their tips, so each whorl's lower edge curves down and outwards
    // instead of being a flat shelf.
    const float out = std::fabs(dx) / std::max(1.0f, p.half_width * (1.0f - t));
    const float pos = (1.0f - t) * tiers + 0.35f * value_noise(t * 12.0f, 0.5f, p.seed) - 0.22f * out * out +
                      0.25f * (value_noise(x * 0.15f, y * 0.05f, p.seed + 3u) - 0.5f);
    const auto tier_index = std::int32_t(pos);
    const float phase = pos - float(tier_index);
    const std::int32_t side = dx >= 0 ? 1 : 0;
    const float reach = 0.75f + 0.5f * lattice_value(tier_index, side, p.seed + 7u);
    const float envelope = p.half_width * std::pow(1.0f - t, 0.9f) * reach;
    // Coarse clumps of branches plus fine needle fuzz break up the outline.
    const float clumps = 0.55f * (fbm(x * 0.08f, y * 0.11f, 3, p.seed + 1u) - 0.5f);
    const float fuzz = 0.30f * (value_noise(x * 0.6f, y * 0.6f, p.seed + 2u) - 0.5f);
    const float w = envelope * (0.50f + 0.50f * std::pow(phase, 0.6f) + clumps + fuzz) + 1.2f;
    rim = clamp01(dx / std::max(1.0f, w));
    tier_shade = 1.0f - 0.5f * phase * phase;
    return clamp01((w - std::fabs(dx)) / 1.5f + 0.5f);  // a soft edge: needles, not a cut-out
}

std::vector<Pine> make_pines(const Landscape& L) {
    const float w = float(L.width), h = float(L.height);
    const struct {
        float x, height, half_width;
    } spots[] = {
        {0.030f, 0.66f, 0.060f}, {0.095f, 0.74f, 0.068f}, {0.160f, 0.58f, 0.055f}, {0.215f, 0.44f, 0.045f},
        {0.262f, 0.33f, 0.036f}, {0.300f, 0.22f, 0.026f}, {0.925f, 0.40f, 0.042f}, {0.980f, 0.52f, 0.055f},
    };
    std::vector<Pine> pines;
    std::uint32_t seed = 1200;
    for (const auto& s : spots) {
        const float x = s.x * w;
        pines.push_back({x, bank_top(L, x) + 0.02f * h, s.height * h, s.half_width * w, seed++});
    }
    return pines;
}

// Near shore and the pines standing on it; drawn last because they cover water and sky.
void paint_foreground(const Landscape& L, Canvas& canvas) {
    const std::vector<Pine> pines = make_pines(L);
    for (int y = 0; y < L.height; ++y) {
        for (int x = 0; x < L.width; ++x) {
            const float fx = float(x), fy = float(y);
            Rgb c = canvas.at(x, y);
            const float edge = bank_top(L, fx);
            const float bank = clamp01(fy - edge + 0.5f);
            if (bank > 0) c = mix(c, grass_color(L, fx, fy, edge), bank);
            // A strip of wet sand and pebbles where the grass meets the water.
            const float strip = 4.0f + 3.0f * fbm(fx * 0.02f, 2.2f, 2, 1111);
            if (fy >= edge - 0.5f && fy < edge + strip) {
                const float pebbles = value_noise(fx * 0.5f, fy * 0.8f, 1212);
                const Rgb sand = mix(Rgb{0.30f, 0.26f, 0.20f}, Rgb{0.62f, 0.55f, 0.42f}, pebbles);
                c = mix(c, sand, bank * (1.0f - smoothstep(strip * 0.6f, strip, fy - edge)));
            }
            for (const Pine& p : pines) {
                if (std::fabs(fx - p.x) > p.half_width * 1.4f + 2) continue;
                float rim = 0, tier_shade = 1;
                const float cover = pine_coverage(p, fx, fy, rim, tier_shade);
                if (cover <= 0) continue;
                const float n = fbm(fx * 0.15f, fy * 0.15f, 3, p.seed);
                const Rgb dark{0.03f, 0.07f, 0.05f}, light{0.12f, 0.19f, 0.10f};
                Rgb needles = mix(dark, light, n) * (0.6f + 0.6f * tier_shade);
                // The sun is to the right: the right edge of each tree catches warm light.
                needles = needles + Rgb{0.24f, 0.17f, 0.05f} * (smoothstep(0.45f, 1.0f, rim) * n * tier_shade);
                c = mix(c, needles, cover);
            }
            canvas.at(x, y) = c;
        }
    }
}

// Lens vignette and a whisper of sensor grain: what makes a render read as a photograph.
void finish_photo(Canvas& canvas) {
    SplitMix64 rng(4242);
    const float cx = 0.5f * float(canvas.width), cy = 0.5f * float(canvas.height);
    const float r_max = std::hypot(cx, cy);
    for (int y = 0; y < canvas.height; ++y) {
        for (int x = 0; x < canvas.width; ++x) {
            const float r = std::hypot(float(x) - cx, float(y) - cy) / r_max;
            const float grain = 1.0f + 0.025f * (rng.uniform() + rng.uniform() - 1.0f);
            Rgb& c = canvas.at(x, y);
            c = saturate(c, 1.08f) * ((1.0f - 0.28f * r * r * r) * grain);
        }
    }
}

}  // namespace

Image make_content() {
    const Landscape L;
    Canvas canvas(L.width, L.height);
    paint_upper_landscape(L, canvas);
    paint_lake(L, canvas);
    paint_foreground(L, canvas);
    finish_photo(canvas);
    return to_image(canvas, 1);
}

}  // namespace nt::default_images
