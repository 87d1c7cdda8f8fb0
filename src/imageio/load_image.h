#pragma once
// Loading pictures from disk: JPEG (baseline, progressive), PNG (8/16-bit, palette, grey, alpha),
// BMP, TGA and GIF (first frame), always converted to 8-bit RGB. JPEG EXIF orientation is applied.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "image/image.h"

namespace nt {

// Throws nt::Error with a one-line "<path>: <reason>" on any failure: missing file, folder,
// empty, truncated or corrupt data, unsupported contents (CMYK or 12-bit JPEG), an EXIF
// orientation out of range, a header beyond the limits in base/limits.h (refused before any
// pixel memory is allocated), data that cannot fill the declared size, or a decode that would
// pass its memory budget (decode_budget.h; docs/FUZZING.md, "Decoding budget").
Image load_image(const std::filesystem::path& path);

struct DecodeBudget;

// The same from bytes already in memory; `name` is used in error messages. `stats`, when given,
// receives the memory budget of the decode and what stb_image allocated within it.
Image decode_image(const std::uint8_t* data, std::size_t size, const std::string& name, DecodeBudget* stats = nullptr);

}  // namespace nt
