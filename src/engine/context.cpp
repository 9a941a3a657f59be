#include "upscale/engine/context.hpp"

#include <algorithm>

#include "context_state.hpp"
#include "device.hpp"
#include "loaded_model.hpp"

namespace upscale::engine {

namespace detail {

ContextState::ContextState(ContextOptions options)
    : models(std::make_unique<ModelCache::Impl>(options.modelBudgetBytes,
                                                std::move(options.networks))) {}

void ContextState::setUp(const c10::Device& device) {
    const std::string name = describeDevice(device);
    // Under the lock: a second worker on the device waits until the first has set it up.
    std::lock_guard lock(m_mutex);
    if (std::find(m_devices.begin(), m_devices.end(), name) != m_devices.end()) {
        return;
    }
    configureDevice(device);
    m_devices.push_back(name);
}

std::vector<std::string> ContextState::devicesSetUp() const {
    std::lock_guard lock(m_mutex);
    return m_devices;
}

bool JobWarnings::first(const std::string& key) {
    std::lock_guard lock(m_mutex);
    return m_given.insert(key).second;
}

}  // namespace detail

Context::Context(ContextOptions options)
    : m_state(std::make_shared<detail::ContextState>(std::move(options))) {}

Context::~Context() = default;

ModelCache& Context::models() {
    return m_state->models;
}

const ModelCache& Context::models() const {
    return m_state->models;
}

std::vector<std::string> Context::devicesSetUp() const {
    return m_state->devicesSetUp();
}

JobState::JobState(Context& context)
    : m_context(context.m_state), m_warnings(std::make_shared<detail::JobWarnings>()) {}

JobState::~JobState() = default;

}  // namespace upscale::engine
