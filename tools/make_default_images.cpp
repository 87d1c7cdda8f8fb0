// make_default_images: paints the two pictures bundled in assets/ from nothing but code, so the
// defaults carry no third-party copyright and can be regenerated at any time.
//
//   make_default_images OUT_FOLDER   ->  OUT_FOLDER/content.jpg, OUT_FOLDER/style.jpg
//
// content.jpg is a photographic-looking lake landscape; style.jpg is an expressionist night sky
// made of oriented brush strokes. All randomness comes from fixed seeds and our own integer
// hashes, never from the clock or std::random distributions (whose output differs between
// standard libraries), so every run of a build paints the same bytes; another libm may round
// std::exp or std::sin differently and move a few pixel values by a step.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <future>
#include <string>
#include <vector>

#include "core/image.h"
#include "core/imageio/save_image.h"

namespace {

constexpr float kPi = 3.14159265358979f;
constexpr int kJpegQuality = 92;

// ---------------------------------------------------------------------------------------------
// Small maths helpers
// ---------------------------------------------------------------------------------------------

float clamp01(float v) { return std::min(1.0f, std::max(0.0f, v)); }

float smoothstep(float edge0, float edge1, float x) {
    const float t = clamp01((x - edge0) / (edge1 - edge0));
    return t * t * (3.0f - 2.0f * t);
}

float lerp(float a, float b, float t) { return a + (b - a) * t; }

struct Rgb {
    float r = 0, g = 0, b = 0;
};

Rgb operator+(Rgb a, Rgb b) { return {a.r + b.r, a.g + b.g, a.b + b.b}; }
Rgb operator*(Rgb a, float s) { return {a.r * s, a.g * s, a.b * s}; }
Rgb operator*(Rgb a, Rgb b) { return {a.r * b.r, a.g * b.g, a.b * b.b}; }

Rgb mix(Rgb a, Rgb b, float t) { return {lerp(a.r, b.r, t), lerp(a.g, b.g, t), lerp(a.b, b.b, t)}; }

float luma(Rgb c) { return 0.299f * c.r + 0.587f * c.g + 0.114f * c.b; }

// Pushes a colour away from (s > 1) or towards (s < 1) its own grey.
Rgb saturate(Rgb c, float s) { return mix(Rgb{luma(c), luma(c), luma(c)}, c, s); }

// ---------------------------------------------------------------------------------------------
// Deterministic randomness
// ---------------------------------------------------------------------------------------------

// SplitMix64: tiny, well mixed, and identical on every platform.
class SplitMix64 {
public:
    explicit SplitMix64(std::uint64_t seed) : state_(seed) {}

    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }

    // Uniform in [0, 1) with 24 bits, which is all a float can hold.
    float uniform() { return float(next() >> 40) * (1.0f / 16777216.0f); }

    float range(float lo, float hi) { return lo + (hi - lo) * uniform(); }

private:
    std::uint64_t state_;
};

// Stateless hash of a lattice point, so noise can be evaluated anywhere in any order.
std::uint32_t hash2(std::int32_t x, std::int32_t y, std::uint32_t seed) {
    std::uint32_t h = seed * 0x9E3779B9u;
    h ^= std::uint32_t(x) * 0x85EBCA6Bu;
    h = (h << 13) | (h >> 19);
    h ^= std::uint32_t(y) * 0xC2B2AE35u;
    h ^= h >> 16;
    h *= 0x7FEB352Du;
    h ^= h >> 15;
    h *= 0x846CA68Bu;
    h ^= h >> 16;
    return h;
}

float lattice_value(std::int32_t x, std::int32_t y, std::uint32_t seed) {
    return float(hash2(x, y, seed) >> 8) * (1.0f / 16777216.0f);
}

// Value noise in [0, 1]; the quintic fade keeps the first and second derivatives continuous, so
// the cloud lighting, which takes differences of the noise, shows no grid creases.
float value_noise(float x, float y, std::uint32_t seed) {
    const float fx = std::floor(x), fy = std::floor(y);
    const auto ix = std::int32_t(fx), iy = std::int32_t(fy);
    const float tx = x - fx, ty = y - fy;
    const float sx = tx * tx * tx * (tx * (tx * 6 - 15) + 10);
    const float sy = ty * ty * ty * (ty * (ty * 6 - 15) + 10);
    const float a = lattice_value(ix, iy, seed), b = lattice_value(ix + 1, iy, seed);
    const float c = lattice_value(ix, iy + 1, seed), d = lattice_value(ix + 1, iy + 1, seed);
    return lerp(lerp(a, b, sx), lerp(c, d, sx), sy);
}

// Fractal sum of value noise, normalised to [0, 1]. Each octave is rotated as well as scaled so
// the lattice axes of different octaves never line up (that is what makes plain value noise
// look blocky).
float fbm(float x, float y, int octaves, std::uint32_t seed) {
    float sum = 0, amplitude = 0.5f, norm = 0;
    for (int i = 0; i < octaves; ++i) {
        sum += amplitude * value_noise(x, y, seed + std::uint32_t(i) * 1013u);
        norm += amplitude;
        const float nx = 1.6f * x - 1.2f * y + 17.3f;  // scale 2, rotate ~37 degrees
        const float ny = 1.2f * x + 1.6f * y + 5.1f;
        x = nx;
        y = ny;
        amplitude *= 0.5f;
    }
    return sum / norm;
}

// Ridged fractal: sharp creases where the noise crosses its middle, the classic mountain crest.
float ridged_fbm(float x, float y, int octaves, std::uint32_t seed) {
    float sum = 0, amplitude = 0.5f, norm = 0;
    for (int i = 0; i < octaves; ++i) {
        const float n = 1.0f - std::fabs(2.0f * value_noise(x, y, seed + std::uint32_t(i) * 7919u) - 1.0f);
        sum += amplitude * n * n;
        norm += amplitude;
        const float nx = 1.6f * x - 1.2f * y + 3.7f;
        const float ny = 1.2f * x + 1.6f * y + 11.9f;
        x = nx;
        y = ny;
        amplitude *= 0.5f;
    }
    return sum / norm;
}

// ---------------------------------------------------------------------------------------------
// Float canvas
// ---------------------------------------------------------------------------------------------

// Painting happens in float so layers can be mixed without rounding; only the final step
// quantises to 8 bits.
struct Canvas {
    int width = 0, height = 0;
    std::vector<Rgb> px;

    Canvas(int w, int h) : width(w), height(h), px(std::size_t(w) * std::size_t(h)) {}

    Rgb& at(int x, int y) { return px[std::size_t(y) * std::size_t(width) + std::size_t(x)]; }
    const Rgb& at(int x, int y) const { return px[std::size_t(y) * std::size_t(width) + std::size_t(x)]; }

    // Bilinear read with the coordinates clamped into [0, width-1] x [y_min, y_max].
    Rgb sample(float x, float y, float y_min, float y_max) const {
        x = std::min(float(width - 1), std::max(0.0f, x));
        y = std::min(y_max, std::max(y_min, y));
        const int x0 = std::min(width - 2, int(x)), y0 = std::min(height - 2, int(y));
        const float tx = x - float(x0), ty = y - float(y0);
        return mix(mix(at(x0, y0), at(x0 + 1, y0), tx), mix(at(x0, y0 + 1), at(x0 + 1, y0 + 1), tx), ty);
    }
};

// Quantises with triangular dither: it breaks up the 8-bit steps of the long, smooth sky and
// water gradients, which would otherwise band (and JPEG would make the bands worse).
nt::Image to_image(const Canvas& canvas, std::uint64_t seed) {
    SplitMix64 rng(seed);
    nt::Image image(canvas.width, canvas.height);
    std::uint8_t* out = image.pixels.data();
    for (const Rgb& c : canvas.px) {
        for (float v : {c.r, c.g, c.b}) {
            const float dither = rng.uniform() - rng.uniform();
            *out++ = std::uint8_t(std::min(255.0f, std::max(0.0f, std::floor(v * 255.0f + 0.5f + dither))));
        }
    }
    return image;
}

// ---------------------------------------------------------------------------------------------
// content.jpg: lake landscape
// ---------------------------------------------------------------------------------------------

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
    const struct { float x, height, half_width; } spots[] = {
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

nt::Image make_content() {
    const Landscape L;
    Canvas canvas(L.width, L.height);
    paint_upper_landscape(L, canvas);
    paint_lake(L, canvas);
    paint_foreground(L, canvas);
    finish_photo(canvas);
    return to_image(canvas, 1);
}

// ---------------------------------------------------------------------------------------------
// style.jpg: swirling night sky in oriented brush strokes
// ---------------------------------------------------------------------------------------------
// The composition is described twice over the unit square (u right, v down): a base colour and
// a flow direction. Strokes then sample the colour where they start and follow the flow.

constexpr int kStyleSize = 768;

struct Swirl {
    float u, v, strength, radius;
};

struct Star {
    float u, v, radius;
};

const Swirl kSwirls[] = {{0.50f, 0.36f, 0.26f, 0.15f}, {0.30f, 0.27f, -0.11f, 0.085f}, {0.70f, 0.50f, 0.07f, 0.07f}};
const Star kStars[] = {{0.33f, 0.09f, 0.028f}, {0.55f, 0.08f, 0.022f}, {0.70f, 0.23f, 0.030f},
                       {0.92f, 0.38f, 0.024f}, {0.44f, 0.56f, 0.020f}, {0.63f, 0.37f, 0.014f},
                       {0.10f, 0.09f, 0.018f}, {0.27f, 0.52f, 0.022f}, {0.85f, 0.58f, 0.016f}};
const Star kMoon{0.84f, 0.13f, 0.055f};

enum class Region { Sky, Cypress, Hills };

float hill_line(float u) { return 0.66f + 0.045f * std::sin(u * 5.0f + 0.6f) + 0.02f * std::sin(u * 11.0f + 1.3f); }

// Centre and half-width of the flame-shaped cypress at height v (half-width <= 0 above its tip).
void cypress_shape(float v, float& centre, float& half_width) {
    const float t = clamp01((v - 0.05f) / 0.95f);
    centre = 0.17f + 0.02f * std::sin(v * 9.0f);
    half_width = 0.085f * std::pow(t, 0.8f) * (1.0f + 0.22f * std::sin(v * 38.0f + 1.0f) + 0.1f * std::sin(v * 83.0f));
    if (v < 0.05f) half_width = 0;
}

Region region_at(float u, float v) {
    float centre = 0, half_width = 0;
    cypress_shape(v, centre, half_width);
    if (std::fabs(u - centre) < half_width) return Region::Cypress;
    return v > hill_line(u) ? Region::Hills : Region::Sky;
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

// Small shapes that broad strokes would smear away; a last pass repaints them with small strokes.
enum class Detail { None, MoonLit, MoonShade, Wall, Roof, Window, Church };

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

Detail detail_at(float u, float v, Rgb& colour) {
    if (const Detail d = moon_detail(u, v, colour); d != Detail::None) return d;
    if (v < 0.60f) return Detail::None;  // everything else is in the village
    for (int i = 0; i < 15; ++i)
        if (const Detail d = house_detail(u, v, i, colour); d != Detail::None) return d;
    return church_detail(u, v, colour);
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

struct BrushPass {
    float spacing;     // px between stroke seeds
    float half_width;  // px
    float length;      // px
    float opacity;
    float keep;        // fraction of seeds actually painted
};

using Polyline = std::vector<std::pair<float, float>>;

// Traces a stroke from its seed both ways along `direction(x, y, dx, dy)` (pixels), stopping
// where `label(x, y)` changes, so strokes never cross the border between two shapes and the
// silhouettes stay crisp.
template <typename Direction, typename Label>
Polyline trace_stroke(float x, float y, float length, Direction direction, Label label) {
    const float step = 1.5f;
    const auto home = label(x, y);
    Polyline back, fwd;
    for (int dir = -1; dir <= 1; dir += 2) {
        Polyline& out = dir < 0 ? back : fwd;
        float px = x, py = y, pdx = 0, pdy = 0;
        for (float travelled = 0; travelled < 0.5f * length; travelled += step) {
            float dx = 0, dy = 0;
            direction(px, py, dx, dy);
            // The field has no sign: start each half in its own direction, then keep heading on.
            const bool first = pdx == 0 && pdy == 0;
            if ((first && dir < 0) || (!first && dx * pdx + dy * pdy < 0)) {
                dx = -dx;
                dy = -dy;
            }
            px += dx * step;
            py += dy * step;
            if (label(px, py) != home) break;
            out.emplace_back(px, py);
            pdx = dx;
            pdy = dy;
        }
    }
    Polyline line(back.rbegin(), back.rend());
    line.emplace_back(x, y);
    line.insert(line.end(), fwd.begin(), fwd.end());
    return line;
}

// Nearest point on a stroke's centre line for every pixel near it: squared distance, arc length
// there and which side of the line the pixel is on.
struct StrokeFootprint {
    int x0 = 0, y0 = 0, width = 0, height = 0;
    std::vector<float> dist2, along, side;

    std::size_t index(int x, int y) const { return std::size_t(y - y0) * std::size_t(width) + std::size_t(x - x0); }
};

// Rasterises each segment over its own small box only, keeping the nearest segment per pixel; far
// cheaper than testing every pixel of the stroke's box against every segment.
StrokeFootprint stroke_footprint(const Polyline& line, float reach, int canvas_w, int canvas_h) {
    float lx0 = 1e9f, ly0 = 1e9f, lx1 = -1e9f, ly1 = -1e9f;
    for (const auto& [px, py] : line) {
        lx0 = std::min(lx0, px), ly0 = std::min(ly0, py), lx1 = std::max(lx1, px), ly1 = std::max(ly1, py);
    }
    StrokeFootprint f;
    f.x0 = std::max(0, int(lx0 - reach));
    f.y0 = std::max(0, int(ly0 - reach));
    f.width = std::min(canvas_w - 1, int(lx1 + reach)) - f.x0 + 1;
    f.height = std::min(canvas_h - 1, int(ly1 + reach)) - f.y0 + 1;
    if (f.width <= 0 || f.height <= 0) return f;
    const std::size_t n = std::size_t(f.width) * std::size_t(f.height);
    f.dist2.assign(n, 1e18f);
    f.along.assign(n, 0.0f);
    f.side.assign(n, 0.0f);

    float arc = 0;  // arc length at the start of the current segment
    for (std::size_t i = 0; i + 1 < line.size(); ++i) {
        const auto [ax, ay] = line[i];
        const auto [cx, cy] = line[i + 1];
        const float sx = cx - ax, sy = cy - ay, len2 = sx * sx + sy * sy, len = std::sqrt(len2);
        const int bx0 = std::max(f.x0, int(std::min(ax, cx) - reach));
        const int bx1 = std::min(f.x0 + f.width - 1, int(std::max(ax, cx) + reach));
        const int by0 = std::max(f.y0, int(std::min(ay, cy) - reach));
        const int by1 = std::min(f.y0 + f.height - 1, int(std::max(ay, cy) + reach));
        for (int y = by0; y <= by1; ++y) {
            for (int x = bx0; x <= bx1; ++x) {
                const float fx = float(x) + 0.5f - ax, fy = float(y) + 0.5f - ay;
                const float t = len2 > 0 ? clamp01((fx * sx + fy * sy) / len2) : 0.0f;
                const float qx = t * sx - fx, qy = t * sy - fy;
                const float d2 = qx * qx + qy * qy;
                const std::size_t k = f.index(x, y);
                if (d2 < f.dist2[k]) {
                    f.dist2[k] = d2;
                    f.along[k] = arc + t * len;
                    f.side[k] = (sx * fy - sy * fx) >= 0 ? 1.0f : -1.0f;
                }
            }
        }
        arc += len;
    }
    return f;
}

// One brush stroke: a tapered ribbon with bristle streaks along its length, a lighter impasto
// edge, and dry-brush breakup at its tail. Each pixel is blended once, from its nearest point on
// the ribbon, so the joints between segments do not double up.
void paint_stroke(Canvas& canvas, Polyline line, float half_width, float opacity, Rgb colour, std::uint32_t seed) {
    if (line.empty()) return;
    if (line.size() == 1) line.push_back(line.front());  // a dab: a zero-length segment
    float total = 0;
    for (std::size_t i = 1; i < line.size(); ++i)
        total += std::hypot(line[i].first - line[i - 1].first, line[i].second - line[i - 1].second);
    total = std::max(1.0f, total);

    const StrokeFootprint f = stroke_footprint(line, half_width + 2, canvas.width, canvas.height);
    for (int y = f.y0; y < f.y0 + f.height; ++y) {
        for (int x = f.x0; x < f.x0 + f.width; ++x) {
            const std::size_t k = f.index(x, y);
            const float best = std::sqrt(f.dist2[k]);
            const float along = f.along[k] / total;  // 0..1
            // Blunt ends; the max() guards sin(pi) coming out a hair below zero.
            const float taper = 0.55f + 0.45f * std::sqrt(std::max(0.0f, std::sin(kPi * clamp01(along))));
            const float w = half_width * taper;
            if (best > w + 1) continue;
            const float across = f.side[k] * best / w;  // -1..1
            const float bristle = value_noise(across * 4.5f + 0.5f, float(seed % 997u), seed);
            float alpha = opacity * (1.0f - smoothstep(w - 1.0f, w + 1.0f, best));
            alpha *= 0.80f + 0.20f * bristle;
            alpha *= smoothstep(0.0f, 0.25f, bristle + 0.9f - along);  // paint runs dry at the tail
            if (alpha <= 0) continue;
            const float shade = (0.86f + 0.26f * bristle) * (1.0f + 0.07f * across);
            Rgb& dst = canvas.at(x, y);
            dst = mix(dst, colour * shade, alpha);
        }
    }
}

// Random colour variation per stroke, as if the brush picked up a little more or less of each
// pigment every time.
Rgb jitter_colour(Rgb c, SplitMix64& rng) {
    const float bright = rng.range(0.90f, 1.10f);
    return Rgb{clamp01(c.r * bright + rng.range(-0.035f, 0.035f)), clamp01(c.g * bright + rng.range(-0.035f, 0.035f)),
               clamp01(c.b * bright + rng.range(-0.035f, 0.035f))};
}

// Lays strokes from a jittered grid of seeds, shuffled so no scan direction shows.
void paint_pass(Canvas& canvas, const BrushPass& pass, std::uint64_t seed) {
    SplitMix64 rng(seed);
    std::vector<std::pair<float, float>> seeds;
    for (float y = 0; y < float(canvas.height); y += pass.spacing)
        for (float x = 0; x < float(canvas.width); x += pass.spacing)
            if (rng.uniform() < pass.keep)
                seeds.emplace_back(x + rng.range(0, pass.spacing), y + rng.range(0, pass.spacing));
    for (std::size_t i = seeds.size(); i > 1; --i) std::swap(seeds[i - 1], seeds[std::size_t(rng.next() % i)]);

    const float s = float(kStyleSize);
    const auto direction = [s](float px, float py, float& dx, float& dy) { style_flow(px / s, py / s, dx, dy); };
    const auto label = [s](float px, float py) { return region_at(px / s, py / s); };
    for (const auto& [x, y] : seeds) {
        const Rgb colour = jitter_colour(style_paint(x / s, y / s), rng);
        const float length = pass.length * rng.range(0.7f, 1.3f) * stroke_length_scale(x / s, y / s);
        const float half_width = pass.half_width * rng.range(0.8f, 1.2f);
        paint_stroke(canvas, trace_stroke(x, y, length, direction, label), half_width, pass.opacity, colour,
                     std::uint32_t(rng.next()));
    }
}

// Repaints the small shapes (moon, houses, church) with small strokes that follow each shape and
// stop at its edge: round the moon, up the walls, along the roofs, a single dab per window.
void paint_detail_pass(Canvas& canvas, std::uint64_t seed) {
    SplitMix64 rng(seed);
    const float s = float(kStyleSize), spacing = 2.5f;
    const auto label = [s](float px, float py) {
        Rgb unused;
        return detail_at(px / s, py / s, unused);
    };
    const auto direction = [s, &label](float px, float py, float& dx, float& dy) {
        switch (label(px, py)) {
            case Detail::MoonLit:
            case Detail::MoonShade: {  // tangent to the moon's rim
                const float rx = px / s - kMoon.u, ry = py / s - kMoon.v, len = std::max(1e-6f, std::hypot(rx, ry));
                dx = -ry / len;
                dy = rx / len;
                return;
            }
            case Detail::Wall:
            case Detail::Church: dx = 0, dy = 1; return;
            default: dx = 1, dy = 0; return;
        }
    };
    for (float y = 0; y < float(canvas.height); y += spacing) {
        for (float x = 0; x < float(canvas.width); x += spacing) {
            const float px = x + rng.range(0, spacing), py = y + rng.range(0, spacing);
            Rgb colour;
            const Detail d = detail_at(px / s, py / s, colour);
            if (d == Detail::None) continue;
            const float length = d == Detail::Window ? 2.0f : rng.range(6.0f, 11.0f);
            const float half_width = d == Detail::Window ? 1.8f : rng.range(1.3f, 1.9f);
            paint_stroke(canvas, trace_stroke(px, py, length, direction, label), half_width, 0.9f,
                         jitter_colour(colour, rng), std::uint32_t(rng.next()));
        }
    }
}

// A faint canvas weave, visible in the flat areas the way real canvas shows through paint.
void add_canvas_texture(Canvas& canvas) {
    for (int y = 0; y < canvas.height; ++y) {
        for (int x = 0; x < canvas.width; ++x) {
            const float weave = std::sin(float(x) * 2.1f) * std::sin(float(y) * 2.1f);
            const float fibre = value_noise(float(x) * 0.7f, float(y) * 0.07f, 6006) - 0.5f;
            canvas.at(x, y) = canvas.at(x, y) * (1.0f + 0.03f * weave + 0.04f * fibre);
        }
    }
}

nt::Image make_style() {
    Canvas canvas(kStyleSize, kStyleSize);
    const float s = float(kStyleSize);
    // Toned ground: the underpainting shows through wherever the strokes leave a gap.
    for (int y = 0; y < canvas.height; ++y)
        for (int x = 0; x < canvas.width; ++x) canvas.at(x, y) = style_paint(float(x) / s, float(y) / s) * 0.75f;

    const BrushPass passes[] = {
        {9.0f, 6.5f, 34.0f, 0.92f, 1.0f},  // broad underpainting
        {6.0f, 4.0f, 24.0f, 0.90f, 1.0f},  // main strokes
        {4.5f, 2.4f, 14.0f, 0.85f, 0.7f},  // detail
    };
    std::uint64_t seed = 9000;
    for (const BrushPass& pass : passes) paint_pass(canvas, pass, seed++);
    paint_detail_pass(canvas, seed);
    add_canvas_texture(canvas);
    return to_image(canvas, 2);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: make_default_images OUT_FOLDER\n"
                             "Paints content.jpg and style.jpg (the bundled default pictures) into OUT_FOLDER.\n");
        return 2;
    }
    try {
        const std::filesystem::path folder = argv[1];
        std::filesystem::create_directories(folder);
        const nt::SaveOptions options{kJpegQuality};
        const std::filesystem::path content = folder / "content.jpg", style = folder / "style.jpg";
        // The two pictures share nothing, so they are painted side by side; each is still
        // sequential inside, which keeps its strokes in a fixed order and the output identical.
        std::future<nt::Image> content_image = std::async(std::launch::async, make_content);
        const nt::Image style_image = make_style();
        nt::save_image(content_image.get(), content, options);
        std::printf("%s\n", content.string().c_str());
        nt::save_image(style_image, style, options);
        std::printf("%s\n", style.string().c_str());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "make_default_images: %s\n", e.what());
        return 1;
    }
    return 0;
}
