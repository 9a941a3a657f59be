#pragma once
// The job controller runs one pipeline job at a time on a worker thread it owns, so the window
// never blocks. Everything it reports travels as values through queued signals; Cancel goes
// straight to the job's atomic cancel token. The controller owns the window's engine context:
// the models loaded and devices set up stay for the next job, whose engine state (its warnings)
// is its own.
//
// Thread contract: create, start, cancel and destroy on the GUI thread. Signals are delivered on
// the thread the controller lives in (the GUI thread).

#include <QObject>
#include <QString>
#include <QThread>

#include "upscale/core/cancel.hpp"
#include "upscale/core/events.hpp"
#include "upscale/engine/context.hpp"
#include "upscale/pipeline/job.hpp"

namespace upscale::app {

class JobController final : public QObject {
    Q_OBJECT

public:
    explicit JobController(QObject* parent = nullptr);
    /// Cancels a running job and waits for its thread to finish.
    ~JobController() override;
    JobController(const JobController&) = delete;
    JobController& operator=(const JobController&) = delete;

    /// Starts a job; returns false (and does nothing) while another one runs.
    bool start(const pipeline::JobSettings& settings);
    /// Asks the running job to stop after its current batch. Safe when idle.
    void cancel();
    /// Cancels and blocks until the worker thread is done; used when the window closes.
    void cancelAndWait();
    [[nodiscard]] bool isRunning() const { return m_running; }

signals:
    void runningChanged(bool running);
    /// One pipeline event, copied.
    void eventReceived(const upscale::core::Event& event);
    /// The job could not start (bad settings, a model that fails to load): the message says why,
    /// in the window's words, with the library's details.
    void jobFailed(const QString& message);
    /// The worker thread is done with the job, whatever the outcome.
    void finished(bool cancelled);

private:
    void onWorkerDone(bool cancelled);

    engine::Context m_context;  ///< outlives the thread, which runs the jobs on it
    QThread m_thread;
    core::CancelToken m_cancel;
    bool m_running = false;
};

}  // namespace upscale::app

Q_DECLARE_METATYPE(upscale::core::Event)
Q_DECLARE_METATYPE(upscale::core::Error)
