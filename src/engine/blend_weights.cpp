#include "blend_weights.hpp"

#include <ATen/ATen.h>

#include "upscale/engine/tile_plan.hpp"

namespace upscale::engine {

at::Tensor BlendWeights::get(int height, int width, int ramp, const c10::Device& device) {
    const Key key{height, width, ramp, static_cast<int>(device.type()), device.index()};
    std::lock_guard lock(m_mutex);
    if (auto it = m_cache.find(key); it != m_cache.end()) {
        return it->second;
    }
    const auto ys = blendProfile(height, ramp);
    const auto xs = blendProfile(width, ramp);
    auto opts = at::TensorOptions().dtype(at::kFloat);
    const auto wy = at::from_blob(const_cast<float*>(ys.data()), {height, 1}, opts);
    const auto wx = at::from_blob(const_cast<float*>(xs.data()), {1, width}, opts);
    // The product owns fresh memory; only then does it move to the device.
    at::Tensor weights = (wy * wx).reshape({1, 1, height, width}).to(device);
    ++m_computed;
    m_cache.emplace(key, weights);
    return weights;
}

std::int64_t BlendWeights::computed() const {
    std::lock_guard lock(m_mutex);
    return m_computed;
}

}  // namespace upscale::engine
