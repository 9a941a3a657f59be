#pragma once
// Private to the pipeline: the batches in flight on the worker pool, oldest first. Each finished
// batch is handed to its finish step (write it, report it) as soon as it and every batch before
// it are done, so files and events come out in submission order whatever the worker count. At
// most twice the worker count are queued, which keeps memory flat.

#include <deque>
#include <functional>
#include <optional>
#include <vector>

#include "upscale/core/cancel.hpp"
#include "upscale/core/error.hpp"
#include "upscale/core/image.hpp"
#include "upscale/pipeline/worker_pool.hpp"

namespace upscale::pipeline {

class InFlightWriter {
public:
    /// What is done with one batch's result, in submission order: write it and report it. An
    /// error stops the writer: the batches queued after it are waited for and dropped unwritten,
    /// and no batch is submitted until the next drain().
    using Finish = std::function<core::Result<void>(WorkerPool::BatchResult)>;

    /// The cancel token must outlive the writer; every batch is submitted with it.
    InFlightWriter(WorkerPool& pool, double scale, const core::CancelToken& cancel);
    /// Waits for the batches still in flight and drops them unwritten.
    ~InFlightWriter();
    InFlightWriter(const InFlightWriter&) = delete;
    InFlightWriter& operator=(const InFlightWriter&) = delete;

    /// Queues frames of one shape; while the window is full, finishes the oldest batches first.
    /// The error that stopped the writer, if any (the frames are then dropped).
    [[nodiscard]] core::Result<void> submit(std::vector<core::Image> frames, Finish finish);

    /// Finishes every batch in flight. Returns the error that stopped the writer since the last
    /// drain, if any, and makes the writer ready for new batches.
    [[nodiscard]] core::Result<void> drain();

private:
    void finishOldest();

    struct Batch {
        std::future<WorkerPool::BatchResult> result;
        Finish finish;
    };
    WorkerPool& m_pool;
    double m_scale = 0.0;
    const core::CancelToken& m_cancel;
    std::size_t m_window = 2;
    std::deque<Batch> m_batches;
    std::optional<core::Error> m_error;
};

}  // namespace upscale::pipeline
