#pragma once
// Private to the pipeline: one video item, from reader thread to writer, and the checks that
// image and video items share.

#include <functional>

#include "upscale/core/cancel.hpp"
#include "upscale/core/events.hpp"
#include "upscale/models/manifest.hpp"
#include "upscale/pipeline/job.hpp"
#include "upscale/pipeline/worker_pool.hpp"

namespace upscale::pipeline {

/// Refuses an existing output unless overwriting, and creates the output's folder.
[[nodiscard]] core::Result<void> checkOutput(const std::filesystem::path& output, bool overwrite);

/// The model a job names, or the default one, from the available models.
[[nodiscard]] core::Result<models::ModelRef> resolveJobModel(const JobSettings& settings);

struct VideoItemContext {
    const JobSettings& settings;
    WorkerPool& pool;
    double scale = 0.0;
    const core::CancelToken& cancel;
    const core::EventCallback& onEvent;
    const std::string& fingerprint;  ///< of the job's results, for the segment journal
};

/// Upscales one video: a reader thread decodes ahead into a bounded queue, batches of
/// settings.engine.batch frames go to the worker pool, and the calling thread writes them in
/// order as they finish, emitting one Batch event each. `event` carries the item's identity;
/// on success the returned event is the item's ItemFinished. On cancel the frames already
/// written are kept in "<name>.partial.<ext>" and the error is Cancelled.
[[nodiscard]] core::Result<core::Event> runVideoItem(const JobItem& item, core::Event event,
                                                     const VideoItemContext& context);

}  // namespace upscale::pipeline
