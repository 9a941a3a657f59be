#pragma once
// What a Context and a JobState hold. Private to the engine.

#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <c10/core/Device.h>

#include "blend_weights.hpp"
#include "upscale/engine/context.hpp"
#include "upscale/engine/model_cache.hpp"

namespace upscale::engine::detail {

struct ContextState {
    explicit ContextState(ContextOptions options);

    ModelCache models;
    BlendWeights blend;

    /// The device's set-up (cuDNN autotuning on CUDA, a log line naming it), the first time the
    /// device is used on this context; nothing after that.
    void setUp(const c10::Device& device);
    [[nodiscard]] std::vector<std::string> devicesSetUp() const;

    /// The model cache's acquire (see loaded_model.hpp).
    [[nodiscard]] ModelCache::Impl& cache() { return *models.m_impl; }

private:
    mutable std::mutex m_mutex;
    std::vector<std::string> m_devices;
};

/// The warnings of one job, each given once.
struct JobWarnings {
    /// True the first time `key` is asked for in this job.
    [[nodiscard]] bool first(const std::string& key);

private:
    std::mutex m_mutex;
    std::set<std::string> m_given;
};

}  // namespace upscale::engine::detail
