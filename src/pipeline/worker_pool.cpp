#include "upscale/pipeline/worker_pool.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "upscale/core/logging.hpp"

namespace upscale::pipeline {

namespace {

struct Task {
    std::vector<core::Image> frames;
    double outScale = 0.0;
    const core::CancelToken* cancel = nullptr;
    std::promise<WorkerPool::BatchResult> promise;
};

/// One batch through one worker. Nothing thrown may end the worker's thread (that would end
/// the process): an exception becomes the batch's error.
WorkerPool::BatchResult runBatch(engine::Upscaler& upscaler, const Task& task) {
    std::string what;
    try {
        return upscaler.upscaleFrames(task.frames, task.outScale, *task.cancel);
    } catch (const std::exception& e) {
        what = e.what();
    } catch (...) {
        what = "an exception of unknown type";
    }
    auto error = core::Error{core::ErrorCode::Internal,
                             fmt::format("The engine stopped on an unexpected error on {}: {}",
                                         upscaler.info().device, what)};
    core::logger("pipeline")->error("{}", error.message);
    return core::fail(std::move(error));
}

}  // namespace

struct WorkerPool::Impl {
    std::vector<std::unique_ptr<engine::Upscaler>> upscalers;
    std::vector<std::string> devices;  ///< one per engine instance
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
            task.promise.set_value(runBatch(upscaler, task));
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

core::Result<std::unique_ptr<WorkerPool>> WorkerPool::create(
    engine::Context& context, const models::ModelRef& model, const core::EngineSettings& settings,
    const std::vector<core::DeviceSpec>& devices) {
    const std::vector<core::DeviceSpec> targets =
        devices.empty() ? std::vector<core::DeviceSpec>{settings.device} : devices;
    const auto onCpu = static_cast<int>(std::count_if(
        targets.begin(), targets.end(),
        [](const core::DeviceSpec& d) { return d.kind == core::DeviceSpec::Kind::Cpu; }));
    auto impl = std::make_unique<Impl>();
    // One job: every worker on every device shares its warnings.
    const engine::JobState job(context);
    for (std::size_t t = 0; t < targets.size(); ++t) {
        const core::DeviceSpec& device = targets[t];
        core::EngineSettings one = settings;
        one.device = device;
        if (device.kind == core::DeviceSpec::Kind::Cpu) {
            // Every worker on the CPU, whichever instance it belongs to, gets its share of cores.
            one.workers = std::min(8, settings.workers * std::max(1, onCpu));
        }
        // Several instances on one device: each uses its own copy of the model.
        const auto copy = static_cast<int>(std::count_if(
            targets.begin(), targets.begin() + static_cast<std::ptrdiff_t>(t),
            [&device](const core::DeviceSpec& d) { return d.toString() == device.toString(); }));
        auto first = engine::Upscaler::create(job, model, one, copy);
        if (!first) {
            return core::fail(first.error());
        }
        impl->devices.push_back((*first)->info().device);
        const std::size_t begin = impl->upscalers.size();
        impl->upscalers.push_back(std::move(*first));
        try {
            while (static_cast<int>(impl->upscalers.size() - begin) < settings.workers) {
                impl->upscalers.push_back(impl->upscalers[begin]->sibling());
            }
        } catch (const std::exception& e) {
            return core::fail(core::ErrorCode::Internal,
                              fmt::format("A worker on {} could not be set up: {}",
                                          impl->devices.back(), e.what()));
        }
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

std::string WorkerPool::deviceNames() const {
    std::string names;
    for (const auto& name : m_impl->devices) {
        names += (names.empty() ? "" : ", ") + name;
    }
    return names;
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
