#pragma once
// Gaussian blend weights for tiles, computed once per (tile shape, ramp, device) and reused by
// every tile, frame and worker of an engine context after that. Thread-safe. Private to the
// engine.

#include <cstdint>
#include <map>
#include <mutex>
#include <tuple>

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

namespace upscale::engine {

class BlendWeights {
public:
    /// [1, 1, height, width] float32 weights on `device` for a tile of that output size whose
    /// edges ramp over `ramp` output pixels.
    [[nodiscard]] at::Tensor get(int height, int width, int ramp, const c10::Device& device);

    /// How many weight maps were computed (not reused) so far.
    [[nodiscard]] std::int64_t computed() const;

private:
    using Key = std::tuple<int, int, int, int, int>;  // h, w, ramp, device type, device index
    mutable std::mutex m_mutex;
    std::map<Key, at::Tensor> m_cache;
    std::int64_t m_computed = 0;
};

}  // namespace upscale::engine
