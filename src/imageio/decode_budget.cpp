#include "imageio/decode_budget.h"

#include <cstdlib>
#include <cstring>
#include <limits>

namespace nt {

namespace {

constexpr std::size_t kDecodeBytesPerPixel = 32;
constexpr std::size_t kFixedDecodeBytes = std::size_t(16) << 20;

thread_local DecodeBudget* current_budget = nullptr;

// Each block carries its size in front (free() does not tell it), padded to keep malloc's alignment.
constexpr std::size_t kHeader = alignof(std::max_align_t) > sizeof(std::size_t) ? alignof(std::max_align_t)
                                                                                : sizeof(std::size_t);

std::size_t& stored_size(void* header) { return *static_cast<std::size_t*>(header); }

// True (and accounted) when growing the held bytes by `more` stays within the budget.
bool reserve(std::size_t more) {
    DecodeBudget* budget = current_budget;
    if (!budget) return true;
    if (more > budget->limit || budget->in_use > budget->limit - more) {
        budget->exceeded = true;
        return false;
    }
    budget->in_use += more;
    budget->total += more;
    if (budget->in_use > budget->peak) budget->peak = budget->in_use;
    return true;
}

void release(std::size_t less) {
    if (DecodeBudget* budget = current_budget) budget->in_use -= less < budget->in_use ? less : budget->in_use;
}

}  // namespace

std::size_t decode_memory_budget(std::int64_t width, std::int64_t height, std::size_t file_bytes) {
    const auto padded = [](std::int64_t side) { return std::size_t(side < 1 ? 1 : (side + 31) / 32 * 32); };
    return kDecodeBytesPerPixel * padded(width) * padded(height) + 2 * file_bytes + kFixedDecodeBytes;
}

ScopedDecodeBudget::ScopedDecodeBudget(DecodeBudget& budget) : previous_(current_budget) { current_budget = &budget; }

ScopedDecodeBudget::~ScopedDecodeBudget() { current_budget = previous_; }

void* decode_budget_malloc(std::size_t size) {
    if (size > std::numeric_limits<std::size_t>::max() - kHeader || !reserve(size)) return nullptr;
    // Zeroed: stb_image 2.28 reads parts of its JPEG state a corrupt file never set (a Huffman
    // table no DHT segment defined); with malloc's stale memory that was an undefined shift the
    // fuzzer found only after other inputs had run, and it would leak old heap bytes into pixels.
    void* header = std::calloc(1, kHeader + size);
    if (!header) {
        release(size);
        return nullptr;
    }
    stored_size(header) = size;
    return static_cast<char*>(header) + kHeader;
}

void* decode_budget_realloc(void* block, std::size_t size) {
    if (!block) return decode_budget_malloc(size);
    void* header = static_cast<char*>(block) - kHeader;
    const std::size_t old_size = stored_size(header);
    if (size > std::numeric_limits<std::size_t>::max() - kHeader) return nullptr;
    if (size > old_size && !reserve(size - old_size)) return nullptr;  // the old block stays valid
    void* grown = std::realloc(header, kHeader + size);
    if (!grown) {
        if (size > old_size) release(size - old_size);
        return nullptr;
    }
    if (size < old_size) release(old_size - size);
    stored_size(grown) = size;
    return static_cast<char*>(grown) + kHeader;
}

void decode_budget_free(void* block) {
    if (!block) return;
    void* header = static_cast<char*>(block) - kHeader;
    release(stored_size(header));
    std::free(header);
}

}  // namespace nt
