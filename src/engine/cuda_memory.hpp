#pragma once
// How much device memory a worker may plan its tiles for. Private to the engine.

#include <c10/core/Device.h>

namespace upscale::engine {

/// The bytes one of the `workers` workers on `device` may spend on a batch of tiles
/// (deviceTileBudget over the device's free memory and its caching allocator's statistics);
/// -1 when unknown (the CPU, or a build without CUDA).
[[nodiscard]] long long workerMemoryBudget(const c10::Device& device, int workers);

}  // namespace upscale::engine
