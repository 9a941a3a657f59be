#include "upscale/app/job_controller.hpp"

#include <QEventLoop>

#include "upscale/app/error_text.hpp"
#include "upscale/core/barrier.hpp"
#include "upscale/core/logging.hpp"

namespace upscale::app {

namespace {

/// Runs one job on the controller's thread. It lives only as long as its job and reports
/// through signals, which Qt queues to the controller on the GUI thread.
class JobWorker final : public QObject {
    Q_OBJECT

public:
    JobWorker(engine::Context& context, pipeline::JobSettings settings,
              const core::CancelToken& cancel)
        : m_context(context), m_settings(std::move(settings)), m_cancel(cancel) {}

    void run() {
        // No exception may reach Qt's event loop: a library surprise becomes a failed job.
        const auto ran = core::guarded("running the job", [this]() -> core::Result<void> {
            pipeline::JobRunner runner(m_context, m_settings,
                                       [this](const core::Event& e) { emit progressed(e); });
            if (auto summary = runner.run(m_cancel); !summary) {
                return core::fail(summary.error());
            }
            return {};
        });
        if (!ran) {
            core::logger("app")->error("{}", ran.error().message);
            emit failed(ran.error());
        }
        emit done(m_cancel.cancelled());
    }

signals:
    void progressed(const upscale::core::Event& event);
    void failed(const upscale::core::Error& error);
    void done(bool cancelled);

private:
    engine::Context& m_context;
    pipeline::JobSettings m_settings;
    const core::CancelToken& m_cancel;
};

}  // namespace

JobController::JobController(QObject* parent) : QObject(parent) {
    qRegisterMetaType<core::Event>();
    qRegisterMetaType<core::Error>();
    m_thread.setObjectName(QStringLiteral("upscale-job"));
    m_thread.start();
}

JobController::~JobController() {
    // No event loop here: the worker sees the token after its current batch, and the thread's
    // own loop ends once run() returns.
    m_cancel.cancel();
    m_thread.quit();
    m_thread.wait();
}

bool JobController::start(const pipeline::JobSettings& settings) {
    if (m_running) {
        return false;
    }
    m_cancel.reset();
    m_running = true;
    emit runningChanged(true);

    auto* worker = new JobWorker(m_context, settings, m_cancel);
    worker->moveToThread(&m_thread);
    connect(worker, &JobWorker::progressed, this, &JobController::eventReceived);
    // Worded here, on the GUI thread, in the interface's language.
    connect(worker, &JobWorker::failed, this,
            [this](const core::Error& error) { emit jobFailed(describeError(error).full()); });
    connect(worker, &JobWorker::done, this, &JobController::onWorkerDone);
    connect(worker, &JobWorker::done, worker, &QObject::deleteLater);
    QMetaObject::invokeMethod(worker, &JobWorker::run, Qt::QueuedConnection);
    return true;
}

void JobController::cancel() {
    m_cancel.cancel();
}

void JobController::cancelAndWait() {
    if (!m_running) {
        return;
    }
    // The worker reports `done` through the GUI thread's event queue; a local loop delivers it,
    // and every event queued before it, in order before the caller goes on.
    QEventLoop loop;
    connect(this, &JobController::finished, &loop, &QEventLoop::quit);
    m_cancel.cancel();
    if (m_running) {
        loop.exec();
    }
}

void JobController::onWorkerDone(bool cancelled) {
    m_running = false;
    emit finished(cancelled);
    emit runningChanged(false);
}

}  // namespace upscale::app

#include "job_controller.moc"
