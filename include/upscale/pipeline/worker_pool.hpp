#pragma once
// W engine workers on W threads for each device: one job's engine. Each worker owns an
// Upscaler, and so its own device stream; the workers of a device share one network through the
// engine context's model cache, and the whole pool one engine JobState (its warnings). Batches
// go to whichever worker is free; every batch is processed whole by one worker, in a fixed tile
// order, so the result does not depend on the worker count. Callers keep the futures in
// submission order to write in order.

#include <future>
#include <memory>
#include <string>
#include <vector>

#include "upscale/core/cancel.hpp"
#include "upscale/core/image.hpp"
#include "upscale/core/settings.hpp"
#include "upscale/engine/context.hpp"
#include "upscale/engine/upscaler.hpp"
#include "upscale/models/manifest.hpp"

namespace upscale::pipeline {

class WorkerPool {
public:
    using BatchResult = core::Result<std::vector<core::Image>>;

    /// Creates settings.workers Upscalers on `context` (loading the model once) and starts their
    /// threads. With several `devices`, each one gets settings.workers Upscalers and a model
    /// copy of its own (two entries for the CPU are two engine instances); a batch goes to
    /// whichever worker is free on any device, so a faster device takes more. The CPU's cores
    /// are shared out between all the workers on it. Empty `devices`: settings.device alone.
    /// The context must outlive the pool's use of it only as a handle: the pool keeps what it
    /// needs of it alive.
    /// `settings` must be valid (EngineSettings::validate): they are checked once, where a job's
    /// settings come in (JobRunner::run), not again here.
    [[nodiscard]] static core::Result<std::unique_ptr<WorkerPool>> create(
        engine::Context& context, const models::ModelRef& model,
        const core::EngineSettings& settings, const std::vector<core::DeviceSpec>& devices = {});

    /// Finishes the batches already queued, then joins the threads.
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    [[nodiscard]] const engine::UpscalerInfo& info() const;
    [[nodiscard]] int workers() const;
    /// The devices the workers run on, as the engine names them: "CPU", "cuda:0, cuda:1".
    [[nodiscard]] std::string deviceNames() const;
    [[nodiscard]] std::pair<int, int> outputSize(int width, int height, double outScale) const;

    /// Queues frames of one shape to be upscaled together; thread-safe. The cancel token must
    /// outlive the batch. A cancelled batch resolves to ErrorCode::Cancelled; an exception in
    /// the worker resolves it to ErrorCode::Internal, and the worker goes on with the next.
    [[nodiscard]] std::future<BatchResult> submit(std::vector<core::Image> frames, double outScale,
                                                  const core::CancelToken& cancel);

private:
    struct Impl;
    explicit WorkerPool(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace upscale::pipeline
