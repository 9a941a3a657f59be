#include "item_scope.hpp"

#include <exception>

#include <fmt/format.h>

#include "upscale/core/logging.hpp"

namespace upscale::pipeline {

JobLedger::JobLedger(const core::EventCallback& onEvent, const core::CancelToken& cancel,
                     std::size_t itemCount)
    : m_onEvent(onEvent), m_cancel(cancel), m_itemCount(itemCount) {}

core::ItemIdentity JobLedger::identity(std::size_t index, const JobItem& item) const {
    return {item.input.string(), item.output.string(), static_cast<int>(index),
            static_cast<int>(m_itemCount)};
}

std::shared_ptr<ItemScope> JobLedger::start(std::size_t index, const JobItem& item) {
    m_onEvent(core::ItemStarted{identity(index, item)});
    return std::make_shared<ItemScope>(*this, identity(index, item));
}

void JobLedger::notStarted(std::size_t index, const JobItem& item, const core::Error& error) {
    core::ItemFailed failed{identity(index, item)};
    failed.error = error;
    ++(failed.cancelled() ? m_summary.cancelled : m_summary.failed);
    m_onEvent(failed);
}

void JobLedger::stop(const core::Error& reason) {
    if (!m_stopped) {
        m_stopped = reason;
    }
}

void JobLedger::finishJob(double seconds) {
    m_summary.seconds = seconds;
    m_onEvent(core::JobFinished{.itemCount = static_cast<int>(m_itemCount),
                                .itemsSucceeded = m_summary.succeeded,
                                .itemsFailed = m_summary.failed,
                                .itemsSkipped = m_summary.skipped,
                                .itemsCancelled = m_summary.cancelled,
                                .seconds = seconds});
}

ItemScope::ItemScope(JobLedger& ledger, core::ItemIdentity identity)
    : m_ledger(ledger),
      m_identity(std::move(identity)),
      m_start(std::chrono::steady_clock::now()) {}

ItemScope::~ItemScope() {
    if (m_ended) {
        return;
    }
    // An item whose work was dropped (the job stopped, or an exception unwound it) still ends.
    try {
        if (m_ledger.m_cancel.cancelled()) {
            failed(core::Error{core::ErrorCode::Cancelled,
                               fmt::format("Cancelled before '{}' was saved.", m_identity.input)});
        } else {
            failed(core::Error{
                core::ErrorCode::Internal,
                fmt::format("'{}' stopped before its result was saved.", m_identity.input)});
        }
    } catch (const std::exception&) {
        // A destructor must not throw; the job's own error reports what went wrong.
    }
}

double ItemScope::seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
}

bool ItemScope::end() {
    if (m_ended) {
        return false;
    }
    m_ended = true;
    return true;
}

void ItemScope::batch(const core::Batch& event) {
    if (m_ended) {
        return;
    }
    m_ledger.m_onEvent(event);
}

void ItemScope::finished(const core::ItemFinished& event) {
    if (!end()) {
        return;
    }
    ++m_ledger.m_summary.succeeded;
    m_ledger.m_onEvent(event);
}

void ItemScope::skipped(std::string_view reason) {
    if (!end()) {
        return;
    }
    ++m_ledger.m_summary.succeeded;
    ++m_ledger.m_summary.skipped;
    core::logger("pipeline")
        ->info("Skipped {}: {} {}.", m_identity.input, m_identity.output, reason);
    core::ItemFinished skipped{m_identity};
    skipped.skipped = true;
    m_ledger.m_onEvent(skipped);
}

void ItemScope::failed(const core::Error& error) {
    if (!end()) {
        return;
    }
    const bool cancelled = error.code == core::ErrorCode::Cancelled;
    ++(cancelled ? m_ledger.m_summary.cancelled : m_ledger.m_summary.failed);
    if (error.code == core::ErrorCode::DiskFull) {
        m_ledger.stop(error);
    }
    auto log = core::logger("pipeline");
    if (cancelled) {
        log->warn("{}", error.message);
    } else {
        log->error("{}", error.message);
    }
    core::ItemFailed failed{m_identity};
    failed.error = error;
    failed.seconds = seconds();
    m_ledger.m_onEvent(failed);
}

}  // namespace upscale::pipeline
