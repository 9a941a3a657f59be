#pragma once
// CancelToken: one atomic flag shared by whoever may cancel (a signal handler, the GUI's Cancel
// button) and the code that honours it between batches. Thread-safe, lock-free.

#include <atomic>

namespace upscale::core {

class CancelToken {
public:
    void cancel() noexcept { m_cancelled.store(true, std::memory_order_relaxed); }
    void reset() noexcept { m_cancelled.store(false, std::memory_order_relaxed); }
    [[nodiscard]] bool cancelled() const noexcept {
        return m_cancelled.load(std::memory_order_relaxed);
    }

private:
    std::atomic<bool> m_cancelled{false};
};

}  // namespace upscale::core
