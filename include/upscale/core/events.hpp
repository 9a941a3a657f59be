#pragma once
// Progress events: what a job reports while it runs. The pipeline emits them through a callback
// on its own thread; front ends turn them into console lines, JSON lines or GUI updates.
//
// An event is one of the structs below, each with the fields its kind has. Every ItemStarted is
// followed, later in the same job, by exactly one end of the same item: ItemFinished, or
// ItemFailed (cancelled when its error's code is Cancelled). An item the job never started (it
// stopped on a full disk first) gets an ItemFailed alone.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <variant>

#include "upscale/core/error.hpp"

namespace upscale::core {

/// Which item of the job an item event is about.
struct ItemIdentity {
    std::string input;   ///< input file
    std::string output;  ///< output file, once known
    int itemIndex = 0;   ///< 0-based index of the item in the job
    int itemCount = 0;
};

/// How far an item has come.
struct ItemProgress {
    std::int64_t framesDone = 0;   ///< frames of this item written so far
    std::int64_t framesTotal = 0;  ///< frames of this item (1 for an image)
    double framesPerSecond = 0.0;
    double etaSeconds = -1.0;  ///< negative when unknown
    int inputWidth = 0, inputHeight = 0, outputWidth = 0, outputHeight = 0;
    double seconds = 0.0;  ///< wall time of the item so far
};

struct JobStarted {
    int itemCount = 0;
};

struct ItemStarted : ItemIdentity {};

/// A batch of frames was upscaled and written to disk.
struct Batch : ItemIdentity, ItemProgress {
    int batchIndex = 0;  ///< 1-based, counted over the whole item
    int framesInBatch = 0;
};

/// The output is written under its final name, or an earlier run's output stands for it.
struct ItemFinished : ItemIdentity, ItemProgress {
    bool skipped = false;  ///< an earlier run finished it (resume), or its output was kept
};

/// The item failed, or a cancel stopped it (error.code Cancelled: not counted as failed); the
/// job goes on with the next item unless it was cancelled.
struct ItemFailed : ItemIdentity {
    Error error;
    double seconds = 0.0;  ///< wall time of the item

    [[nodiscard]] bool cancelled() const { return error.code == ErrorCode::Cancelled; }
};

struct JobFinished {
    int itemCount = 0;
    int itemsSucceeded = 0;  ///< skipped items included
    int itemsFailed = 0;
    int itemsSkipped = 0;
    int itemsCancelled = 0;  ///< items stopped by a cancel (not failures)
    double seconds = 0.0;    ///< wall time of the job
};

using Event = std::variant<JobStarted, ItemStarted, Batch, ItemFinished, ItemFailed, JobFinished>;

/// "job-started", "item-started", "batch", "item-finished", "item-failed", "job-finished".
[[nodiscard]] std::string_view eventKindName(const Event& event);

using EventCallback = std::function<void(const Event&)>;

/// Lambdas overloaded into one visitor: std::visit(Overloaded{[](const Batch&) {...}, ...}, e).
template <typename... Ts>
struct Overloaded : Ts... {
    using Ts::operator()...;
};
template <typename... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

}  // namespace upscale::core
