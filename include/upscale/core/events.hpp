#pragma once
// Progress events: what a job reports while it runs. The pipeline emits them through a callback
// on its own thread; front ends turn them into console lines, JSON lines or GUI updates.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "upscale/core/error.hpp"

namespace upscale::core {

enum class EventKind {
    JobStarted,    ///< itemCount is known
    ItemStarted,   ///< input, itemIndex
    Batch,         ///< a batch of frames was upscaled and written to disk
    ItemFinished,  ///< output written under its final name
    ItemFailed,    ///< error is set (code Cancelled when a cancel stopped it); the job goes on
    JobFinished,   ///< itemsSucceeded / itemsFailed are final
};

[[nodiscard]] std::string_view eventKindName(EventKind kind);  ///< "batch", "item-finished", ...

struct Event {
    EventKind kind = EventKind::JobStarted;
    std::string input;   ///< input file, for item events
    std::string output;  ///< output file, once known
    int itemIndex = 0;   ///< 0-based index of the item in the job
    int itemCount = 0;

    int batchIndex = 0;  ///< 1-based, counted over the whole item
    int framesInBatch = 0;
    std::int64_t framesDone = 0;   ///< frames of this item written so far
    std::int64_t framesTotal = 0;  ///< frames of this item (1 for an image)
    double framesPerSecond = 0.0;
    double etaSeconds = -1.0;  ///< negative when unknown

    int inputWidth = 0, inputHeight = 0, outputWidth = 0, outputHeight = 0;
    double seconds = 0.0;  ///< wall time of the item or job, on *Finished

    bool skipped = false;  ///< on ItemFinished: an earlier run finished it (resume)
    int itemsSucceeded = 0, itemsFailed = 0;  ///< on JobFinished; succeeded includes skipped
    int itemsSkipped = 0;
    int itemsCancelled = 0;      ///< on JobFinished: items stopped by a cancel (not failures)
    std::optional<Error> error;  ///< on ItemFailed
};

using EventCallback = std::function<void(const Event&)>;

}  // namespace upscale::core
