// Hashed value noise and the canvas's final quantisation (paint.h).
#include "paint.h"

#include <cmath>

namespace nt::default_images {

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

// The quintic fade keeps the first and second derivatives continuous, so the cloud lighting,
// which takes differences of the noise, shows no grid creases.
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

// Each octave is rotated as well as scaled so the lattice axes of different octaves never line
// up (that is what makes plain value noise look blocky).
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

// Triangular dither breaks up the 8-bit steps of the long, smooth sky and water gradients, which
// would otherwise band (and JPEG would make the bands worse).
Image to_image(const Canvas& canvas, std::uint64_t seed) {
    SplitMix64 rng(seed);
    Image image(canvas.width, canvas.height);
    std::uint8_t* out = image.pixels.data();
    for (const Rgb& c : canvas.px) {
        for (float v : {c.r, c.g, c.b}) {
            const float dither = rng.uniform() - rng.uniform();
            *out++ = std::uint8_t(std::min(255.0f, std::max(0.0f, std::floor(v * 255.0f + 0.5f + dither))));
        }
    }
    return image;
}

}  // namespace nt::default_images
