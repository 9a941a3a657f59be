// libFuzzer target: the PyTorch checkpoint reader (zip container, legacy layout, restricted
// unpickler), then key canonicalisation and architecture detection on whatever it accepts.

#include <cstddef>
#include <cstdint>
#include <span>

#include "upscale/models/architecture.hpp"
#include "upscale/models/pytorch.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace upscale::models;
    auto weights = parsePytorch(std::span<const std::uint8_t>(data, size), "fuzz.pth");
    if (weights) {
        const StateDict canonical = canonicalizeKeys(std::move(*weights));
        if (auto spec = detectArchitecture(canonical, "fuzz.pth")) {
            (void)checkWeights(*spec, canonical, "fuzz.pth");
        }
    }
    return 0;
}
