#pragma once
// The engine's state, made explicit. A Context is the long-lived part, owned by a front end (one
// per command-line process, one per window): the model cache, the cached tile blend weights and
// the set-up of each device, done the first time that device is used. A JobState is the part
// that belongs to one job: the warnings given once per job (FP16 on a device that cannot run it,
// an architecture that is not FP16-safe, a model whose reduced precision overflowed), so that
// every job warns as the first one did. Every engine instance of a job shares its JobState.
//
// Nothing of this is process-wide: two contexts share no model, weight map or warning.
// Thread-safe; a Context may serve several jobs at once.

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "upscale/core/error.hpp"
#include "upscale/engine/model_cache.hpp"

namespace upscale::models {
class Network;
struct ModelFile;
}  // namespace upscale::models

namespace upscale::engine {

namespace detail {
struct ContextState;
struct JobWarnings;
}  // namespace detail

/// Builds the network of a loaded model file, its weights in, on the CPU in the file's dtype.
/// The engine moves it to the device and precision it needs, and caches it.
using NetworkSource =
    std::function<core::Result<std::shared_ptr<models::Network>>(const models::ModelFile& file)>;

struct ContextOptions {
    /// Past this many bytes of weights the least recently used models are dropped.
    std::size_t modelBudgetBytes = ModelCache::kDefaultBudgetBytes;
    /// Where networks come from; empty: models::buildNetwork.
    NetworkSource networks;
};

class Upscaler;

class Context {
public:
    explicit Context(ContextOptions options = {});
    ~Context();
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;

    /// The networks loaded so far, on their devices.
    [[nodiscard]] ModelCache& models();
    [[nodiscard]] const ModelCache& models() const;

    /// The devices set up so far, in the order of their first use ("CPU", "cuda:0").
    [[nodiscard]] std::vector<std::string> devicesSetUp() const;

private:
    friend class JobState;
    friend class Upscaler;
    std::shared_ptr<detail::ContextState> m_state;
};

/// One job's state on a context. The engine instances created with it share its warnings; the
/// context's models stay shared with every other job. It keeps the context's state alive.
class JobState {
public:
    explicit JobState(Context& context);
    ~JobState();
    JobState(const JobState&) = delete;
    JobState& operator=(const JobState&) = delete;

private:
    friend class Upscaler;
    std::shared_ptr<detail::ContextState> m_context;
    std::shared_ptr<detail::JobWarnings> m_warnings;
};

}  // namespace upscale::engine
