// libFuzzer target for nt::parse_safetensors (see docs/FUZZING.md). Any input must either parse
// or throw nt::Error; anything else (a crash, a sanitizer report, another exception escaping,
// a huge allocation) is a finding. Inputs that parse must also survive a write/parse round trip.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "base/error.h"
#include "nets/safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    nt::SafetensorsFile file;
    try {
        file = nt::parse_safetensors(data, size, "fuzz.safetensors");
    } catch (const nt::Error&) {
        return 0;
    }
    // What the reader accepted, the writer must write and the reader read back identically.
    const std::vector<std::uint8_t> bytes = nt::write_safetensors(file.tensors, file.metadata);
    const nt::SafetensorsFile again = nt::parse_safetensors(bytes.data(), bytes.size(), "roundtrip");
    if (again.metadata != file.metadata || again.tensors.size() != file.tensors.size()) std::abort();
    for (const auto& [name, tensor] : file.tensors) {
        const at::Tensor& other = again.tensors.at(name);
        if (other.scalar_type() != tensor.scalar_type() || other.sizes() != tensor.sizes()) std::abort();
        // Compare bytes, not values: NaN payloads in float tensors are legal and never equal.
        if (tensor.nbytes() && std::memcmp(other.data_ptr(), tensor.data_ptr(), tensor.nbytes()) != 0) std::abort();
    }
    return 0;
}
