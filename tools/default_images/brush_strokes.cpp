// style.jpg's brushwork (brush_strokes.h): strokes traced along night_sky's flow field and
// stopped at its shapes' borders, painted as tapered ribbons with bristles, in passes from broad
// to fine, on a toned ground with a canvas weave on top.
#include "brush_strokes.h"

#include <cmath>
#include <utility>
#include <vector>

#include "night_sky.h"
#include "paint.h"

namespace nt::default_images {
namespace {

struct BrushPass {
    float spacing;     // px between stroke seeds
    float half_width;  // px
    float length;      // px
    float opacity;
    float keep;  // fraction of seeds actually painted
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

}  // namespace

Image make_style() {
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

}  // namespace nt::default_images
