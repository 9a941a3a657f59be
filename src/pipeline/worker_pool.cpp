#include "upscale/pipeline/worker_pool.hpp"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace upscale::pipeline {

namespace {

struct Task {
    std::vector<core::Image> frames;
    double outScale = 0.0;
    const core::CancelToken* cancel = nullptr;
    std::promise<WorkerPool::BatchResult> promise;
};

}  // namespace

struct WorkerPool::Impl {
    std::vector<std::unique_ptr<engine::Upscaler>> upscalers;
    std::vector<std::thread> threads;
    std::mutex mutex;
    std::condition_variable ready;
    std::deque<Task> tasks;
    bool stopping = false;

    void work(engine::Upscaler& upscaler) {
        for (;;) {
            Task task;
            {
                std::unique_lock lock(mutex);
                ready.wait(lock, [this] { return stopping || !tasks.empty(); });
                if (tasks.empty()) {
                    return;
                }
                task = std::move(tasks.front());
                tasks.pop_front();
            }
            task.promise.set_value(
                upscaler.upscaleFrames(task.frames, task.outScale, *task.cancel));
        }
    }
};

WorkerPool::WorkerPool(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}

WorkerPool::~WorkerPool() {
    {
        std::lock_guard lock(m_impl->mutex);
        m_impl->stopping = true;
    }
    m_impl->ready.notify_all();
    for (auto& t : m_impl->threads) {
        t.join();
    }
}

core::Result<std::unique_ptr<WorkerPool>> WorkerPool::create(const models::ModelRef& model,
                                                             const core::EngineSettings& settings) {
    if (auto valid = settings.validate(); !valid) {
        return core::fail(valid.error());
    }
    auto impl = std::make_unique<Impl>();
    auto first = engine::Upscaler::create(model, settings);
    if (!first) {
        return core::fail(first.error());
    }
    impl->upscalers.push_back(std::move(*first));
    while (static_cast<int>(impl->upscalers.size()) < settings.workers) {
        impl->upscalers.push_back(impl->upscalers.front()->sibling());
    }
    auto* raw = impl.get();
    for (auto& up : impl->upscalers) {
        impl->threads.emplace_back([raw, u = up.get()] { raw->work(*u); });
    }
    return std::unique_ptr<WorkerPool>(new WorkerPool(std::move(impl)));
}

const engine::UpscalerInfo& WorkerPool::info() const {
    return m_impl->upscalers.front()->info();
}

int WorkerPool::workers() const {
    return static_cast<int>(m_impl->upscalers.size());
}

std::pair<int, int> WorkerPool::outputSize(int width, int height, double outScale) const {
    return m_impl->upscalers.front()->outputSize(width, height, outScale);
}

std::future<WorkerPool::BatchResult> WorkerPool::submit(std::vector<core::Image> frames,
                                                        double outScale,
                                                        const core::CancelToken& cancel) {
    Task task{std::move(frames), outScale, &cancel, {}};
    auto future = task.promise.get_future();
    {
        std::lock_guard lock(m_impl->mutex);
        m_impl->tasks.push_back(std::move(task));
    }
    m_impl->ready.notify_one();
    return future;
}

}  // namespace upscale::pipeline
