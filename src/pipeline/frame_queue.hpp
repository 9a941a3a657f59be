#pragma once
// Private to the pipeline: a bounded, closable queue between the reader thread and the writer.
// A full queue blocks the producer, which is what keeps memory flat on a long video.

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>

namespace upscale::pipeline {

template <typename T>
class BoundedQueue {
public:
    explicit BoundedQueue(std::size_t capacity) : m_capacity(capacity) {}

    /// Blocks while full. Returns false (dropping the value) once the queue is closed.
    bool push(T value) {
        std::unique_lock lock(m_mutex);
        m_notFull.wait(lock, [this] { return m_closed || m_items.size() < m_capacity; });
        if (m_closed) {
            return false;
        }
        m_items.push_back(std::move(value));
        m_notEmpty.notify_one();
        return true;
    }

    /// Blocks while empty. nullopt once the queue is closed and drained.
    std::optional<T> pop() {
        std::unique_lock lock(m_mutex);
        m_notEmpty.wait(lock, [this] { return m_closed || !m_items.empty(); });
        if (m_items.empty()) {
            return std::nullopt;
        }
        T value = std::move(m_items.front());
        m_items.pop_front();
        m_notFull.notify_one();
        return value;
    }

    /// Wakes both sides; pushes fail from now on, pops drain what is left.
    void close() {
        std::lock_guard lock(m_mutex);
        m_closed = true;
        m_notFull.notify_all();
        m_notEmpty.notify_all();
    }

private:
    std::size_t m_capacity;
    std::mutex m_mutex;
    std::condition_variable m_notFull;
    std::condition_variable m_notEmpty;
    std::deque<T> m_items;
    bool m_closed = false;
};

}  // namespace upscale::pipeline
