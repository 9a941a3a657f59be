#pragma once
// Private to the pipeline: what image and video items share. The JobRunner starts each item's
// scope and hands it to the runner of the item's kind, which ends it exactly once through the
// scope: at once, or when the item's last batch is written.

#include <memory>

#include "in_flight.hpp"
#include "item_scope.hpp"
#include "resume.hpp"
#include "upscale/core/cancel.hpp"
#include "upscale/models/manifest.hpp"
#include "upscale/pipeline/job.hpp"
#include "upscale/pipeline/worker_pool.hpp"

namespace upscale::pipeline {

/// Refuses an existing output unless overwriting, and creates the output's folder.
[[nodiscard]] core::Result<void> checkOutput(const std::filesystem::path& output, bool overwrite);

/// The model a job names, or the default one, from the available models.
[[nodiscard]] core::Result<models::ModelRef> resolveJobModel(const JobSettings& settings);

/// What every item of one job works with. It outlives the job's items and their batches.
struct ItemContext {
    const JobSettings& settings;  ///< already validated
    WorkerPool& pool;
    double scale = 0.0;  ///< the effective output scale
    /// Frames of a video decoded and submitted to the pool as one task (an image is one frame).
    /// Not the engine's tiles per forward pass, though the one user setting gives both.
    std::size_t framesPerSubmission = 1;
    const core::CancelToken& cancel;
    OutputJournals& journals;  ///< finished outputs, and the fingerprint of the job's results
    JobLedger& ledger;
    InFlightWriter& writer;  ///< the job's batches in flight, written in queue order
};

/// Upscales one kind of item.
class ItemRunner {
public:
    virtual ~ItemRunner() = default;

    /// Reads `item`, upscales it through context.writer and writes its result; ends `scope`
    /// exactly once (finished, failed or cancelled), before returning or once the item's last
    /// batch is written.
    virtual void run(const JobItem& item, std::shared_ptr<ItemScope> scope,
                     const ItemContext& context) = 0;
};

/// An image: read whole, submitted as one batch of one frame; later items go on while it is
/// upscaled, and it is written when its turn in the queue comes.
[[nodiscard]] std::unique_ptr<ItemRunner> makeImageRunner();

/// A video: the batches before it are written first; then a reader thread decodes ahead into a
/// bounded queue, groups of context.framesPerSubmission frames go through context.writer, and each
/// is written to the video as soon as it is done, with one Batch event each. On cancel the frames
/// already written are kept in "<name>.partial.<ext>" and the item ends cancelled.
[[nodiscard]] std::unique_ptr<ItemRunner> makeVideoRunner();

/// The frames per submission a job's settings ask for (see ItemContext).
[[nodiscard]] std::size_t framesPerSubmission(const JobSettings& settings);

/// Records a finished output for a resumed run; a journal that cannot be written (a full disk)
/// stops the job like any other failed write.
void recordFinished(const ItemContext& context, const JobItem& item);

}  // namespace upscale::pipeline
