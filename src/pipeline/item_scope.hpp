#pragma once
// Private to the pipeline: the one place where an item's start is paired with its one end
// (finished, failed or cancelled), and where the job's counts are kept. Every ItemStarted the
// job emits comes from JobLedger::start(), every item end from its ItemScope, so the counts of
// JobFinished are the ends that were emitted.

#include <chrono>
#include <memory>
#include <optional>
#include <string_view>

#include "upscale/core/cancel.hpp"
#include "upscale/core/events.hpp"
#include "upscale/pipeline/job.hpp"

namespace upscale::pipeline {

class ItemScope;

class JobLedger {
public:
    /// `onEvent` and `cancel` must outlive the ledger and every scope it starts.
    JobLedger(const core::EventCallback& onEvent, const core::CancelToken& cancel,
              std::size_t itemCount);

    /// Emits ItemStarted for item `index`; the scope returned emits its end.
    [[nodiscard]] std::shared_ptr<ItemScope> start(std::size_t index, const JobItem& item);

    /// Emits ItemFailed for an item the job never started, because it stopped before it.
    void notStarted(std::size_t index, const JobItem& item, const core::Error& error);

    /// Stops the job after the items already started: every later one would fail the same way
    /// (a full disk). The first reason is kept.
    void stop(const core::Error& reason);
    [[nodiscard]] const std::optional<core::Error>& stopped() const { return m_stopped; }

    [[nodiscard]] const JobSummary& summary() const { return m_summary; }
    [[nodiscard]] std::size_t itemCount() const { return m_itemCount; }

    /// Emits JobFinished with the counts of the item ends emitted.
    void finishJob(double seconds);

private:
    friend class ItemScope;
    [[nodiscard]] core::ItemIdentity identity(std::size_t index, const JobItem& item) const;

    const core::EventCallback& m_onEvent;
    const core::CancelToken& m_cancel;
    std::size_t m_itemCount = 0;
    JobSummary m_summary;
    std::optional<core::Error> m_stopped;
};

/// One started item. Its first end wins: finished(), skipped() or failed() (cancelled when the
/// error's code is Cancelled) emit the item's end event and count it; later calls do nothing.
/// A scope destroyed without an end emits one: cancelled if the job was cancelled, failed
/// otherwise.
class ItemScope {
public:
    ItemScope(JobLedger& ledger, core::ItemIdentity identity);
    ~ItemScope();
    ItemScope(const ItemScope&) = delete;
    ItemScope& operator=(const ItemScope&) = delete;

    /// The item's identity in its events; a change (a numbered output name) appears in every
    /// later event of the item.
    [[nodiscard]] core::ItemIdentity& identity() { return m_identity; }
    [[nodiscard]] double seconds() const;

    /// Emits a Batch event of this item.
    void batch(const core::Batch& event);
    /// Emits ItemFinished: the output is written under its final name.
    void finished(const core::ItemFinished& event);
    /// Emits ItemFinished marked skipped: an earlier run or an existing output stands for it.
    void skipped(std::string_view reason);
    /// Emits ItemFailed; an error with code Cancelled counts the item as cancelled.
    void failed(const core::Error& error);

    [[nodiscard]] bool ended() const { return m_ended; }

private:
    [[nodiscard]] bool end();

    JobLedger& m_ledger;
    core::ItemIdentity m_identity;
    std::chrono::steady_clock::time_point m_start;
    bool m_ended = false;
};

}  // namespace upscale::pipeline
