#pragma once
// The memory preflight: before any pixel work, a job's peak memory is estimated from its working
// size and its method's memory model (MethodInfo::memory); a network that would pass the budget
// runs on tiles instead (MethodInfo::tiles, nets/tiled_inference.h), and a job that cannot
// fit even tiled is refused at once with one line naming its size and the memory it needs,
// rather than failing in the allocator a minute later or waking the OOM killer.
//
// The budget: --memory, else 80 % of the memory this process can still take: /proc/meminfo's
// MemAvailable, lowered to the cgroup's limit less its usage when one is set (cgroup v2
// memory.max / memory.current, or v1 memory.limit_in_bytes / memory.usage_in_bytes).
#include <cstdint>
#include <string>

#include "methods/method.h"
#include "image/sizing.h"

namespace nt {

// The memory the process can still take, in bytes (0 when nothing can be read: no limit known).
std::int64_t available_memory_bytes();
// The default budget: 80 % of available_memory_bytes(), or 4 GiB when that is unknown.
std::int64_t default_memory_budget();

// "4G", "2.5GiB", "1500M", "800MB", "123456789" (bytes): binary units (K, M, G, T = 1024^n, with or
// without "B"/"iB"). Throws nt::Error naming `option` for anything else, 0, or over 1 PiB.
std::int64_t parse_memory_size(const std::string& text, const std::string& option = "--memory");
// "2.4 GiB", "512 MiB": for messages.
std::string memory_text(std::int64_t bytes);

// The process before any picture: LibTorch, the libraries, the code (RSS of a refused run).
inline constexpr std::int64_t kProcessBytes = std::int64_t(384) << 20;

// What the process and the stylize pipeline hold for a job at the working size (kProcessBytes,
// the content as loaded and resized, its tensor, the style's, the result's, the picture written),
// beyond the method's run: a peak RSS within --memory.
std::int64_t pipeline_bytes(const MethodInfo& info, Size2 working, Size2 content);

// The same for a network's run in tiles of `tile` (MemoryPlan::tile), which streams the picture
// through them as 8-bit (nt::stylize): the pictures in 8-bit, a few bands of float rows, the
// thumbnail. Flat in the picture's size but for its 8-bit copies (6 to 9 bytes a pixel).
std::int64_t streamed_pipeline_bytes(const MethodInfo& info, Size2 working, Size2 content, int tile);

// What a video job holds beside each frame's stylize: the decoder's frames in flight and the
// encoder's (libx264, preset fast) look-ahead and reference frames, about this many bytes per pixel
// of the input frame and per pixel of the output frame. Measured at 3840x2160 (docs/PERFORMANCE.md,
// "Video at 4K"): a Reinhard video peaked 350 MB above the same still, an AdaIN one 530 MB.
inline constexpr std::int64_t kVideoBytesPerPixel = 40;
std::int64_t video_stream_bytes(Size2 input, Size2 output);

// The budget each frame of a video is planned with: `budget` less video_stream_bytes. Throws
// nt::Error naming `video` when the decoder and encoder alone would take the budget.
std::int64_t video_frame_budget(std::int64_t budget, Size2 input, Size2 output, const std::string& video);

// The share of a feed-forward network's per-pixel memory that it takes computing in bf16 or fp16
// (measured 0.54 for fast style and 0.53 for AdaIN; rounded up).
inline constexpr double kHalfPrecisionShare = 0.6;

struct MemoryPlan {
    std::int64_t budget = 0;    // bytes
    std::int64_t estimate = 0;  // the job's estimated peak, bytes
    int tile = 0;               // the tile side when the network runs tiled; 0: whole
    // A coarse-to-fine method's largest level when the working size does not fit (then upsampled
    // to it); {0, 0}: the working size itself.
    Size2 top{};
};

// The plan for `info` at `working` (content of size `content` as loaded): whole when it fits the
// budget and no tile is forced; else, for a method that tiles, `forced_tile` or the largest tile
// that fits; for a coarse-to-fine method, the largest size that fits (MemoryPlan::top). Throws nt::Error, one line naming the size, the memory it needs and the budget, when
// even the smallest tile (or, for a method that does not tile, the job) does not fit.
// half_precision: the network computes in bf16 or fp16 (kHalfPrecisionShare, for methods that tile).
// extra_bytes: what the job holds beside the pictures and the method for its whole length, in
// tiles or not (a mask at the working size: kMaskBytesPerPixel).
MemoryPlan plan_memory(const MethodInfo& info, Size2 working, Size2 content, std::int64_t budget, int forced_tile = 0,
                       bool half_precision = false, std::int64_t extra_bytes = 0);

// A mask (a picture's or a segmentation model's) is held whole at the working size in float32,
// feathered: 4 bytes a working pixel (its feathering's temporaries pass before the method runs).
inline constexpr std::int64_t kMaskBytesPerPixel = 4;

}  // namespace nt
