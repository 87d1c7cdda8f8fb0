#pragma once
// A picture texture of the viewer's per-frame path: RGBA8, allocated once per size (immutable
// storage where the context has ARB_texture_storage), refilled each frame without reallocation,
// either straight from client memory (glTexSubImage2D) or through pixel-unpack buffers that the
// frame is written into directly (two, orphaned and mapped each frame, so the CPU never waits for
// the previous transfer). Sampled linearly; the panel shader fetches texels itself where it wants
// crisp pixels. Needs a current GL 3.3 context for every call, the destructor included.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace nt::gl {

enum class UploadMode { Direct, Pbo };
const char* to_string(UploadMode mode);

// Writes one frame of RGBA8 rows into `dst`: `stride` bytes per row, rows top to bottom.
using FrameWriter = std::function<void(std::uint8_t* dst, std::size_t stride)>;

class Rgba8Texture {
public:
    Rgba8Texture() = default;
    ~Rgba8Texture();
    Rgba8Texture(const Rgba8Texture&) = delete;
    Rgba8Texture& operator=(const Rgba8Texture&) = delete;

    // Storage for width x height. Immutable storage cannot change size, so a new size makes a new
    // texture object (its id changes; CUDA-GL registrations must be redone).
    void ensure_size(int width, int height);

    // Fills the whole texture with what `write` puts into the upload memory (see UploadMode).
    void fill(const FrameWriter& write);
    // Copies a frame that is already in memory (`stride` bytes per row, a multiple of 4).
    void upload(const std::uint8_t* rgba, std::size_t stride);

    void set_upload_mode(UploadMode mode) { mode_ = mode; }
    UploadMode upload_mode() const { return mode_; }

    unsigned id() const { return id_; }
    int width() const { return width_; }
    int height() const { return height_; }
    bool valid() const { return id_ != 0; }
    bool immutable() const { return immutable_; }

private:
    void release();
    void apply_filters();

    unsigned id_ = 0;
    int width_ = 0, height_ = 0;
    bool immutable_ = false;
    UploadMode mode_ = UploadMode::Direct;
    unsigned pbos_[2] = {0, 0};
    int next_pbo_ = 0;
    std::vector<std::uint8_t> staging_;  // Direct mode's frame memory, reused every frame
};

// True when the current context can allocate immutable texture storage (GL 4.2 or the extension).
bool context_has_texture_storage();

}  // namespace nt::gl
