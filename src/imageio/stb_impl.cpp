// The stb_image and stb_image_write implementations, compiled once here with our configuration.
// Headers come from Debian's libstb-dev; no stb source is copied into this repository.
#include "imageio/decode_budget.h"
#include "base/limits.h"

#define STBI_MAX_DIMENSIONS (nt::kMaxImageSide)
#define STBI_NO_STDIO  // we read files ourselves (size limits, clear errors) and decode from memory
#define STBI_NO_HDR    // 8-bit formats only
#define STBI_NO_PSD
#define STBI_NO_PIC
#define STBI_NO_PNM
#define STBI_FAILURE_USERMSG
// Every decoder allocation is counted against the decode's memory budget (decode_budget.h).
#define STBI_MALLOC(size) nt::decode_budget_malloc(size)
#define STBI_REALLOC(block, size) nt::decode_budget_realloc(block, size)
#define STBI_FREE(block) nt::decode_budget_free(block)
#define STB_IMAGE_IMPLEMENTATION
#define STBI_WRITE_NO_STDIO  // we encode to memory and write files atomically ourselves
#define STB_IMAGE_WRITE_IMPLEMENTATION

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-but-set-variable"
#endif
#include <stb_image.h>
#include <stb_image_write.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
