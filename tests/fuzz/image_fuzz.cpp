// libFuzzer target for the picture loader (see docs/FUZZING.md): nt::decode_image is load_image
// after the file is read, with the same container checks, limits and memory budget. Any input
// must either decode into a picture of the size its header declares, within base/limits.h, or
// throw nt::Error with one line naming the input; anything else (a crash, a sanitizer report,
// another exception escaping, an allocation beyond -malloc_limit_mb, a timeout) is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "base/error.h"
#include "imageio/load_image.h"
#include "base/limits.h"

namespace {

std::uint32_t crc32(const std::uint8_t* data, std::size_t size) {
    std::uint32_t c = 0xFFFFFFFFu;
    for (std::size_t i = 0; i < size; ++i) {
        c ^= data[i];
        for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    }
    return c ^ 0xFFFFFFFFu;
}

// A mutated PNG almost always fails its chunk CRCs, which the loader checks first; a copy with
// the CRCs made right lets the mutations reach stb_image's PNG decoder too.
std::vector<std::uint8_t> with_png_crcs_fixed(const std::uint8_t* data, std::size_t size) {
    std::vector<std::uint8_t> png(data, data + size);
    for (std::size_t pos = 8; pos + 12 <= size;) {
        const std::size_t length =
            (std::size_t(png[pos]) << 24) | (png[pos + 1] << 16) | (png[pos + 2] << 8) | png[pos + 3];
        if (length > size - pos - 12) break;
        const std::uint32_t crc = crc32(png.data() + pos + 4, 4 + length);
        for (int b = 0; b < 4; ++b) png[pos + 8 + length + b] = std::uint8_t(crc >> (24 - 8 * b));
        pos += 12 + length;
    }
    return png;
}

void decode_one(const std::uint8_t* data, std::size_t size) {
    const std::string name = "fuzz-input";
    try {
        const nt::Image image = nt::decode_image(data, size, name);
        if (!nt::within_image_limits(image.width, image.height)) std::abort();
        if (image.pixels.size() != std::size_t(image.width) * image.height * 3) std::abort();
    } catch (const nt::Error& e) {
        const std::string what = e.what();
        if (what.rfind(name + ": ", 0) != 0 || what.find('\n') != std::string::npos) std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    decode_one(data, size);
    if (size > 8 && std::memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0) {
        const std::vector<std::uint8_t> fixed = with_png_crcs_fixed(data, size);
        decode_one(fixed.data(), fixed.size());
    }
    return 0;
}
