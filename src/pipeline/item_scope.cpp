#include "item_scope.hpp"

#include <exception>

#include <fmt/format.h>

#include "upscale/core/logging.hpp"

namespace upscale::pipeline {

JobLedger::JobLedger(const core::EventCallback& onEvent, const core::CancelToken& cancel,
                     std::size_t itemCount)
    : m_onEvent(onEvent), m_cancel(cancel), m_itemCount(itemCount) {}

core::Event JobLedger::itemEvent(std::size_t index, const JobItem& item) const {
    core::Event ev;
    ev.input = item.input.string();
    ev.output = item.output.string();
    ev.itemIndex = static_cast<int>(index);
    ev.itemCount = static_cast<int>(m_itemCount);
    ev.framesTotal = 1;
    return ev;
}

std::shared_ptr<ItemScope> JobLedger::start(std::size_t index, const JobItem& item) {
    core::Event started = itemEvent(index, item);
    started.kind = core::EventKind::ItemStarted;
    m_onEvent(started);
    return std::make_shared<ItemScope>(*this, itemEvent(index, item));
}

void JobLedger::notStarted(std::size_t index, const JobItem& item, const core::Error& error) {
    core::Event ev = itemEvent(index, item);
    ev.kind = core::EventKind::ItemFailed;
    ev.error = error;
    ++(error.code == core::ErrorCode::Cancelled ? m_summary.cancelled : m_summary.failed);
    m_onEvent(ev);
}

void JobLedger::stop(const core::Error& reason) {
    if (!m_stopped) {
        m_stopped = reason;
    }
}

void JobLedger::finishJob(double seconds) {
    m_summary.seconds = seconds;
    core::Event done{.kind = core::EventKind::JobFinished};
    done.itemCount = static_cast<int>(m_itemCount);
    done.itemsSucceeded = m_summary.succeeded;
    done.itemsFailed = m_summary.failed;
    done.itemsSkipped = m_summary.skipped;
    done.itemsCancelled = m_summary.cancelled;
    done.seconds = seconds;
    m_onEvent(done);
}

ItemScope::ItemScope(JobLedger& ledger, core::Event identity)
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

void ItemScope::batch(core::Event event) {
    if (m_ended) {
        return;
    }
    event.kind = core::EventKind::Batch;
    m_ledger.m_onEvent(event);
}

void ItemScope::finished(core::Event event) {
    if (!end()) {
        return;
    }
    ++m_ledger.m_summary.succeeded;
    event.kind = core::EventKind::ItemFinished;
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
    core::Event ev = m_identity;
    ev.kind = core::EventKind::ItemFinished;
    ev.skipped = true;
    ev.framesTotal = 0;
    m_ledger.m_onEvent(ev);
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
    core::Event ev = m_identity;
    ev.kind = core::EventKind::ItemFailed;
    ev.error = error;
    ev.seconds = seconds();
    m_ledger.m_onEvent(ev);
}

}  // namespace upscale::pipeline
