#pragma once
// Networks that fail on purpose, handed to the engine through its context's network source, so
// that tests drive the engine's recovery paths on any machine: a device out-of-memory error
// (recovered by halving the tile), a non-finite reduced-precision output (recovered by redoing
// the batch in FP32) and an exception nobody expects (which the worker pool's threads must
// survive). Each test owns its Faults; nothing is shared between tests.

#include <atomic>
#include <memory>

#include "upscale/engine/context.hpp"

namespace upscale::test {

struct Faults {
    /// The next forward passes that throw the error a GPU throws when it runs out of memory.
    std::atomic<int> outOfMemory{0};
    /// The next forward passes in FP16 or BF16 that produce NaN, as an overflow does.
    std::atomic<int> nonFinite{0};
    /// The next forward passes that throw an exception the engine does not expect.
    std::atomic<int> unexpected{0};
};

/// models::buildNetwork, with every network wrapped to fail as `faults` asks.
[[nodiscard]] engine::NetworkSource faultyNetworks(std::shared_ptr<Faults> faults);

}  // namespace upscale::test
