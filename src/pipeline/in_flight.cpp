#include "in_flight.hpp"

#include <algorithm>

namespace upscale::pipeline {

InFlightWriter::InFlightWriter(WorkerPool& pool, double scale, const core::CancelToken& cancel)
    : m_pool(pool),
      m_scale(scale),
      m_cancel(cancel),
      m_window(static_cast<std::size_t>(std::max(1, 2 * pool.workers()))) {}

InFlightWriter::~InFlightWriter() {
    for (auto& batch : m_batches) {
        batch.result.wait();
    }
}

core::Result<void> InFlightWriter::submit(std::vector<core::Image> frames, Finish finish) {
    if (m_error) {
        return core::fail(*m_error);
    }
    m_batches.push_back({m_pool.submit(std::move(frames), m_scale, m_cancel), std::move(finish)});
    while (m_batches.size() >= m_window) {
        finishOldest();
    }
    if (m_error) {
        return core::fail(*m_error);
    }
    return {};
}

core::Result<void> InFlightWriter::drain() {
    while (!m_batches.empty()) {
        finishOldest();
    }
    std::optional<core::Error> error;
    std::swap(error, m_error);
    if (error) {
        return core::fail(*error);
    }
    return {};
}

void InFlightWriter::finishOldest() {
    Batch batch = std::move(m_batches.front());
    m_batches.pop_front();
    auto result = batch.result.get();
    if (m_error) {
        return;
    }
    if (auto finished = batch.finish(std::move(result)); !finished) {
        m_error = finished.error();
    }
}

}  // namespace upscale::pipeline
