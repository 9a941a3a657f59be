#pragma once
// The model cache of an engine context: networks already on a device, keyed by (content identity
// of the model file, resolved dtype, device, copy). Switching FP16 -> FP32 -> FP16 loads, loads,
// then reuses. Thread-safe. Past a memory budget the least recently used models are dropped (a
// model still in use stays alive until its last user lets go). Only a Context makes one.

#include <cstddef>
#include <memory>

namespace upscale::engine {

namespace detail {
struct ContextState;
}  // namespace detail

class ModelCache {
public:
    static constexpr std::size_t kDefaultBudgetBytes = std::size_t{2} << 30;

    ~ModelCache();
    ModelCache(const ModelCache&) = delete;
    ModelCache& operator=(const ModelCache&) = delete;

    struct Stats {
        int loads = 0;    ///< networks built and moved to a device
        int hits = 0;     ///< requests answered from the cache
        int entries = 0;  ///< networks held now
        std::size_t bytes = 0;
    };
    [[nodiscard]] Stats stats() const;
    void clear();

private:
    friend struct detail::ContextState;
    struct Impl;
    explicit ModelCache(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace upscale::engine
