#pragma once
// Documented limits (README, "Limits"). Images whose header claims more are refused before any
// pixel memory is allocated, and working sizes beyond them are refused before computing.
#include <cstddef>
#include <cstdint>

namespace nt {

inline constexpr int kMaxImageSide = 32768;                   // pixels, either side
inline constexpr std::int64_t kMaxImagePixels = 100'000'000;  // 100 megapixels
inline constexpr std::int64_t kMaxFileBytes = 1LL << 30;      // 1 GiB per input file
// A progressive JPEG decoder passes over the whole picture once per scan; encoders write about
// 10 (jpegtran) to 60 (mozjpeg), so more is refused as a time bomb (docs: "Decoding budget").
inline constexpr std::size_t kMaxJpegScans = 100;

// True when a width x height picture is within both limits.
inline bool within_image_limits(std::int64_t width, std::int64_t height) {
    return width >= 1 && height >= 1 && width <= kMaxImageSide && height <= kMaxImageSide &&
           width * height <= kMaxImagePixels;
}

}  // namespace nt
