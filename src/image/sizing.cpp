#include "image/sizing.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>

#include "base/error.h"
#include "base/limits.h"

namespace nt {

namespace {

// Strict decimal: digits only, no sign, no spaces; -1 when malformed or absurdly long.
long long parse_count(const std::string& s) {
    if (s.empty() || s.size() > 9) return -1;
    for (char c : s)
        if (!std::isdigit(static_cast<unsigned char>(c))) return -1;
    return std::stoll(s);
}

void check_side(const std::string& text, long long side) {
    if (side < 0) throw Error("--size " + text, "expected 512, WxH (e.g. 640x480), long:N or original");
    if (side == 0) throw Error("--size " + text, "size must be at least 1 pixel");
    if (side > kMaxImageSide)
        throw Error("--size " + text,
                    "size is beyond the limit of " + std::to_string(kMaxImageSide) + " pixels per side");
}

void check_area(const std::string& what, long long w, long long h) {
    if (w * h > kMaxImagePixels)
        throw Error(what, std::to_string(w) + "x" + std::to_string(h) + " is beyond the limit of " +
                              std::to_string(kMaxImagePixels / 1'000'000) + " megapixels");
}

}  // namespace

SizeSpec parse_size_spec(const std::string& text) {
    std::string t = text;
    std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    SizeSpec spec;
    if (t == "original") {
        spec.mode = SizeSpec::Mode::Original;
        spec.width = spec.height = 0;
        return spec;
    }
    if (t.rfind("long:", 0) == 0) {
        const long long n = parse_count(t.substr(5));
        check_side(text, n);
        spec.mode = SizeSpec::Mode::LongestSide;
        spec.width = spec.height = int(n);
        return spec;
    }
    if (const auto x = t.find('x'); x != std::string::npos) {
        const long long w = parse_count(t.substr(0, x));
        const long long h = parse_count(t.substr(x + 1));
        check_side(text, w);
        check_side(text, h);
        check_area("--size " + text, w, h);
        spec.mode = SizeSpec::Mode::Exact;
        spec.width = int(w);
        spec.height = int(h);
        return spec;
    }
    const long long n = parse_count(t);
    check_side(text, n);
    check_area("--size " + text, n, n);
    spec.mode = SizeSpec::Mode::Square;
    spec.width = spec.height = int(n);
    return spec;
}

std::string to_string(const SizeSpec& spec) {
    switch (spec.mode) {
        case SizeSpec::Mode::Square: return std::to_string(spec.width);
        case SizeSpec::Mode::Exact: return std::to_string(spec.width) + "x" + std::to_string(spec.height);
        case SizeSpec::Mode::LongestSide: return "long:" + std::to_string(spec.width);
        case SizeSpec::Mode::Original: return "original";
    }
    return "512";
}

Size2 working_size(const SizeSpec& spec, Size2 content) {
    Size2 out;
    switch (spec.mode) {
        case SizeSpec::Mode::Square: out = {spec.width, spec.width}; break;
        case SizeSpec::Mode::Exact: out = {spec.width, spec.height}; break;
        case SizeSpec::Mode::Original: out = content; break;
        case SizeSpec::Mode::LongestSide: {
            const int longest = std::max(content.width, content.height);
            const double scale = double(spec.width) / std::max(longest, 1);
            const int w = std::max(1, int(std::lround(content.width * scale)));
            const int h = std::max(1, int(std::lround(content.height * scale)));
            out = content.width >= content.height ? Size2{spec.width, h} : Size2{w, spec.width};
            break;
        }
    }
    if (!within_image_limits(out.width, out.height))
        throw Error("working size " + std::to_string(out.width) + "x" + std::to_string(out.height),
                    "beyond the limits of " + std::to_string(kMaxImageSide) + " pixels per side and " +
                        std::to_string(kMaxImagePixels / 1'000'000) + " megapixels");
    return out;
}

Size2 style_working_size(Size2 style, Size2 target) {
    const std::int64_t budget = std::int64_t(target.width) * target.height;
    const std::int64_t own = std::int64_t(style.width) * style.height;
    if (own <= budget || budget <= 0) return style;
    const double scale = std::sqrt(double(budget) / double(own));
    int w = int(std::lround(style.width * scale)), h = int(std::lround(style.height * scale));
    // Rounded up past the budget: truncated instead, so that the area stays within it and the
    // size maps to itself.
    if (std::int64_t(w) * h > budget) {
        w = int(style.width * scale);
        h = int(style.height * scale);
    }
    // A style far thinner than the target keeps one pixel across and as much length as fits.
    if (w < 1) {
        w = 1;
        h = int(std::min<std::int64_t>(style.height, budget));
    }
    if (h < 1) {
        h = 1;
        w = int(std::min<std::int64_t>(style.width, budget));
    }
    return {w, h};
}

}  // namespace nt
