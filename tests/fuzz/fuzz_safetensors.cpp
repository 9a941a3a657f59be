// libFuzzer target: the safetensors reader, then architecture detection on what it accepts.

#include <cstddef>
#include <cstdint>
#include <span>

#include "upscale/models/architecture.hpp"
#include "upscale/models/safetensors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace upscale::models;
    auto file = parseSafetensors(std::span<const std::uint8_t>(data, size), "fuzz.safetensors");
    if (file) {
        const StateDict canonical = canonicalizeKeys(std::move(file->tensors));
        if (auto spec = detectArchitecture(canonical, "fuzz.safetensors")) {
            (void)checkWeights(*spec, canonical, "fuzz.safetensors");
        }
    }
    return 0;
}
