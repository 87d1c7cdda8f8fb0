#pragma once
// The painter's toolbox, shared by both pictures: small maths helpers, an RGB colour in float,
// deterministic randomness (SplitMix64 and hashed value noise) and a float canvas that is
// quantised to 8 bits only at the very end.
//
// All randomness comes from fixed seeds and our own integer hashes, never from the clock or
// std::random distributions (whose output differs between standard libraries), so every run of
// a build paints the same bytes; another libm may round std::exp or std::sin differently and
// move a few pixel values by a step.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "image/image.h"

namespace nt::default_images {

constexpr float kPi = 3.14159265358979f;

// ---------------------------------------------------------------------------------------------
// Small maths helpers
// ---------------------------------------------------------------------------------------------

inline float clamp01(float v) { return std::min(1.0f, std::max(0.0f, v)); }

inline float smoothstep(float edge0, float edge1, float x) {
    const float t = clamp01((x - edge0) / (edge1 - edge0));
    return t * t * (3.0f - 2.0f * t);
}

inline float lerp(float a, float b, float t) { return a + (b - a) * t; }

struct Rgb {
    float r = 0, g = 0, b = 0;
};

inline Rgb operator+(Rgb a, Rgb b) { return {a.r + b.r, a.g + b.g, a.b + b.b}; }
inline Rgb operator*(Rgb a, float s) { return {a.r * s, a.g * s, a.b * s}; }
inline Rgb operator*(Rgb a, Rgb b) { return {a.r * b.r, a.g * b.g, a.b * b.b}; }

inline Rgb mix(Rgb a, Rgb b, float t) { return {lerp(a.r, b.r, t), lerp(a.g, b.g, t), lerp(a.b, b.b, t)}; }

inline float luma(Rgb c) { return 0.299f * c.r + 0.587f * c.g + 0.114f * c.b; }

// Pushes a colour away from (s > 1) or towards (s < 1) its own grey.
inline Rgb saturate(Rgb c, float s) { return mix(Rgb{luma(c), luma(c), luma(c)}, c, s); }

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
std::uint32_t hash2(std::int32_t x, std::int32_t y, std::uint32_t seed);

// The hash of a lattice point as a value in [0, 1).
float lattice_value(std::int32_t x, std::int32_t y, std::uint32_t seed);

// Value noise in [0, 1], smooth to the second derivative.
float value_noise(float x, float y, std::uint32_t seed);

// Fractal sum of value noise, normalised to [0, 1].
float fbm(float x, float y, int octaves, std::uint32_t seed);

// Ridged fractal: sharp creases where the noise crosses its middle, the classic mountain crest.
float ridged_fbm(float x, float y, int octaves, std::uint32_t seed);

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

// Quantises to an 8-bit picture with triangular dither drawn from `seed`.
Image to_image(const Canvas& canvas, std::uint64_t seed);

}  // namespace nt::default_images
