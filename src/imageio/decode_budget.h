#pragma once
// The memory budget of one picture decode. stb_image allocates through decode_budget_malloc and
// friends (stb_impl.cpp), so a file whose data inflates beyond what its header declares (a
// decompression bomb) makes stb's allocation fail at the budget instead of taking the machine's
// memory. The budget is per thread: concurrent decodes (the viewer's worker, batch runs) each
// have their own.
#include <cstddef>
#include <cstdint>

namespace nt {

// What a decode of a width x height picture from a file of file_bytes may hold at once, in bytes:
// 32 bytes per pixel of the picture padded to whole 32x32 blocks (JPEG's largest MCU; a 16-bit
// interlaced RGBA PNG, the costliest legal input, peaks at 28 per pixel in stb_image: its inflated
// data in a buffer grown to twice their size, the final picture, one Adam7 pass),
// plus twice the file (PNG collects its IDAT chunks in one growing buffer), plus a fixed 16 MiB
// for tables and small images.
std::size_t decode_memory_budget(std::int64_t width, std::int64_t height, std::size_t file_bytes);

// Allocation statistics of the decode running on this thread.
struct DecodeBudget {
    std::size_t limit = 0;
    std::size_t in_use = 0;  // bytes held now
    std::size_t peak = 0;    // most bytes held at once
    std::size_t total = 0;   // bytes ever allocated (a measure of work done)
    bool exceeded = false;   // an allocation was refused because it would pass `limit`
};

// Installs `budget` as this thread's decode budget for the scope's lifetime.
class ScopedDecodeBudget {
public:
    explicit ScopedDecodeBudget(DecodeBudget& budget);
    ~ScopedDecodeBudget();
    ScopedDecodeBudget(const ScopedDecodeBudget&) = delete;
    ScopedDecodeBudget& operator=(const ScopedDecodeBudget&) = delete;

private:
    DecodeBudget* previous_;
};

// malloc/realloc/free for stb_image: accounted against this thread's budget when one is
// installed (nullptr when it would pass the limit), plain otherwise.
void* decode_budget_malloc(std::size_t size);
void* decode_budget_realloc(void* block, std::size_t size);
void decode_budget_free(void* block);

}  // namespace nt
