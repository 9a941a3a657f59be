#pragma once
// What the model cache holds and hands to upscalers. Private to the engine.

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include "upscale/core/settings.hpp"
#include "upscale/engine/context.hpp"
#include "upscale/engine/model_cache.hpp"
#include "upscale/models/manifest.hpp"
#include "upscale/models/network.hpp"

namespace upscale::engine {

namespace detail {
struct JobWarnings;
}  // namespace detail

struct LoadedModel {
    std::string name;
    std::string identity;  ///< content hash of the file
    models::ArchSpec spec;
    std::shared_ptr<models::Network> network;  ///< on `device`, in `dtype`, eval mode
    c10::Device device{c10::kCPU};
    c10::ScalarType dtype = c10::kFloat;
    std::size_t bytes = 0;
};

struct ModelCache::Impl {
    struct Entry {
        std::shared_ptr<const LoadedModel> model;
        std::uint64_t lastUse = 0;
    };
    /// Everything about a file that resolving a precision needs, kept so that a cache hit does
    /// not read the weights again.
    struct FileInfo {
        std::string identity;
        models::DType weightsDType = models::DType::F32;
        models::Architecture arch = models::Architecture::Compact;
    };

    mutable std::mutex mutex;
    std::size_t budgetBytes;
    NetworkSource networks;
    std::unordered_map<std::string, Entry> entries;   // key: identity|dtype|device|copy
    std::unordered_map<std::string, FileInfo> files;  // key: path|size|mtime
    std::uint64_t clock = 0;
    int loads = 0;
    int hits = 0;

    Impl(std::size_t budget, NetworkSource source)
        : budgetBytes(budget), networks(std::move(source)) {}

    /// Returns copy `copy` of the network of `ref` on `device` at the resolved precision,
    /// loading it if needed (several engine instances on one device each use a copy of their
    /// own). A precision other than the one asked for is warned about once per job, first; then
    /// logs "<name> loaded on <device> (FP32) - 4x" or "Using cached model: <name> (FP32)".
    core::Result<std::shared_ptr<const LoadedModel>> acquire(const models::ModelRef& ref,
                                                             core::Precision precision,
                                                             const c10::Device& device, int copy,
                                                             detail::JobWarnings& warnings);

private:
    void evictLocked();
};

}  // namespace upscale::engine
