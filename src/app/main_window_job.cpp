// MainWindow, running the queue and following its job: which rows run and with what settings,
// each item's outcome in its row, progress by frames, the result shown when an item finishes.

#include <algorithm>
#include <climits>

#include <QDir>
#include <QStatusBar>

#include "ui_main_window.h"
#include "upscale/app/advanced_panel.hpp"
#include "upscale/app/compare_view.hpp"
#include "upscale/app/error_text.hpp"
#include "upscale/app/job_controller.hpp"
#include "upscale/app/main_window.hpp"
#include "upscale/app/media_preview.hpp"
#include "upscale/app/model_picker.hpp"
#include "upscale/app/output_options.hpp"
#include "upscale/app/queue_widget.hpp"

namespace upscale::app {

namespace {

QString formatDuration(double seconds) {
    const int total = static_cast<int>(seconds + 0.5);
    if (total >= 3600) {
        return QStringLiteral("%1:%2:%3")
            .arg(total / 3600)
            .arg(total / 60 % 60, 2, 10, QLatin1Char('0'))
            .arg(total % 60, 2, 10, QLatin1Char('0'));
    }
    return QStringLiteral("%1:%2").arg(total / 60).arg(total % 60, 2, 10, QLatin1Char('0'));
}

}  // namespace

bool MainWindow::startJob() {
    // Cancelled items continue where they stopped rather than starting over.
    const QVector<int> rows = m_ui->queue->rowsToRun();
    return runQueue(std::any_of(rows.begin(), rows.end(), [this](int row) {
        return m_ui->queue->entries()[row].status == QueueEntry::Status::Cancelled;
    }));
}

bool MainWindow::resumeJob() {
    return runQueue(true);
}

bool MainWindow::runQueue(bool resume) {
    if (m_controller->isRunning()) {
        return false;
    }
    const QVector<int> rows = m_ui->queue->rowsToRun();
    if (rows.isEmpty()) {
        showStatus(
            tr("Nothing to upscale: add pictures or videos to the queue, or select "
               "finished items to run them again."));
        return false;
    }
    pipeline::JobSettings job;
    for (int row : rows) {
        job.inputs.emplace_back(m_ui->queue->entries()[row].input.toStdString());
    }
    const QString outputDir = m_ui->outputEdit->text().trimmed();
    if (!outputDir.isEmpty()) {
        // A folder that does not exist yet would be taken for a file name with one input.
        if (!QDir().mkpath(outputDir)) {
            showError(tr("The output folder cannot be created"),
                      tr("The folder '%1' cannot be created. Choose another output folder.")
                          .arg(outputDir));
            return false;
        }
        job.output = outputDir.toStdString();
    }
    job.model = m_ui->modelPicker->currentModel().toStdString();
    job.scale = m_ui->advanced->outputScale();
    m_ui->outputOptions->apply(job);
    if (const QString pattern = m_ui->nameEdit->text().trimmed(); !pattern.isEmpty()) {
        if (auto valid = pipeline::validateNamePattern(pattern.toStdString()); !valid) {
            showError(tr("The name pattern cannot be used"),
                      tr("The name pattern '%1' must be a file name without a folder, using "
                         "{name}, {scale} and {model}.")
                          .arg(pattern));
            return false;
        }
        job.namePattern = pattern.toStdString();
    }
    job.engine = m_ui->advanced->engineSettings();
    job.resume = resume;

    // Until the job ends, its queue and settings are stored as interrupted, so that a crash or
    // a power cut offers Resume at the next start.
    m_interruptedQueue.clear();
    for (const auto& input : job.inputs) {
        m_interruptedQueue << QString::fromStdString(input.string());
    }
    saveSettings();
    m_jobRows = rows;
    m_jobResumes = resume;
    QVector<qint64> frames;
    for (int row : rows) {
        frames.append(m_ui->queue->entries()[row].frames);
        m_ui->queue->setStatus(row, QueueEntry::Status::Waiting);
    }
    m_progress.start(frames);
    m_secondsLeft = -1.0;
    m_followedRow = m_ui->queue->currentRow();
    m_jobClock.start();
    updateProgress();
    return m_controller->start(job);
}

void MainWindow::onEvent(const core::Event& event) {
    const auto rowOf = [this](const core::ItemIdentity& e) {
        return e.itemIndex >= 0 && e.itemIndex < m_jobRows.size() ? m_jobRows[e.itemIndex] : -1;
    };
    std::visit(
        core::Overloaded{
            [&](const core::JobStarted& e) {
                showStatus(tr("Upscaling %n item(s)...", nullptr, e.itemCount));
            },
            [&](const core::ItemStarted& e) {
                m_ui->queue->setStatus(rowOf(e), QueueEntry::Status::Running);
            },
            [&](const core::Batch& e) {
                const int row = rowOf(e);
                m_ui->queue->setSizes(row, QSize(e.inputWidth, e.inputHeight),
                                      QSize(e.outputWidth, e.outputHeight),
                                      QString::fromStdString(e.output));
                m_ui->queue->setFrames(row, e.framesDone, e.framesTotal);
                m_progress.itemProgress(e.itemIndex, e.framesDone, e.framesTotal, e.framesInBatch,
                                        m_jobClock.elapsed() / 1000.0);
                updateProgress();
            },
            [&](const core::ItemFinished& e) {
                const int row = rowOf(e);
                m_progress.itemEnded(e.itemIndex);
                m_ui->queue->setSizes(row, m_ui->queue->entries()[row].inputSize,
                                      m_ui->queue->entries()[row].outputSize,
                                      QString::fromStdString(e.output));
                m_ui->queue->setStatus(row, e.skipped && !m_jobResumes ? QueueEntry::Status::Skipped
                                                                       : QueueEntry::Status::Done);
                updateProgress();
                followResult(row);
            },
            [&](const core::ItemFailed& e) {
                const int row = rowOf(e);
                m_progress.itemEnded(e.itemIndex);
                if (e.cancelled()) {
                    m_ui->queue->setStatus(row, QueueEntry::Status::Cancelled);
                } else {
                    m_ui->queue->setStatus(
                        row, QueueEntry::Status::Failed,
                        describeError(e.error, QString::fromStdString(e.input)).full());
                }
                updateProgress();
            },
            [&](const core::JobFinished& e) {
                showStatus(tr("Finished in %1 s: %2 done, %3 skipped, %4 failed, %5 cancelled.")
                               .arg(e.seconds, 0, 'f', 1)
                               .arg(e.itemsSucceeded - e.itemsSkipped)
                               .arg(e.itemsSkipped)
                               .arg(e.itemsFailed)
                               .arg(e.itemsCancelled));
            },
        },
        event);
}

void MainWindow::updateProgress() {
    // By frames over the whole queue; the speed and the time left come from the frames this
    // job upscaled, recomputed on every batch.
    const double elapsed = m_jobClock.isValid() ? m_jobClock.elapsed() / 1000.0 : 0.0;
    const qint64 total = std::max<qint64>(m_progress.total(), 1);
    m_ui->progressBar->setRange(0, static_cast<int>(std::min<qint64>(total, INT_MAX)));
    m_ui->progressBar->setValue(static_cast<int>(std::min<qint64>(m_progress.done(), INT_MAX)));
    m_secondsLeft = m_progress.secondsLeft(elapsed);
    m_ui->progressLabel->setText(m_secondsLeft < 0
                                     ? tr("%1 of %2 frames · measuring the speed...")
                                           .arg(m_progress.done())
                                           .arg(m_progress.total())
                                     : tr("%1 of %2 frames · %3 frames/s · %4 left")
                                           .arg(m_progress.done())
                                           .arg(m_progress.total())
                                           .arg(m_progress.framesPerSecond(elapsed), 0, 'f', 1)
                                           .arg(formatDuration(m_secondsLeft)));
}

void MainWindow::followResult(int row) {
    // The preview follows the job's results unless the user chose another item to look at.
    const int current = m_ui->queue->currentRow();
    if (current != -1 && current != m_followedRow && current != row) {
        return;
    }
    m_followedRow = row;
    if (current == row) {
        showPreview(row);
    } else {
        m_ui->queue->setCurrentRow(row);
    }
}

void MainWindow::onJobFailed(const QString& message) {
    showError(tr("The job could not start"), message);
}

void MainWindow::onJobFinished(bool cancelled) {
    m_secondsLeft = -1.0;
    for (int row : std::as_const(m_jobRows)) {
        const auto status = m_ui->queue->entries()[row].status;
        if (status == QueueEntry::Status::Running ||
            (cancelled && status == QueueEntry::Status::Waiting)) {
            m_ui->queue->setStatus(row, QueueEntry::Status::Cancelled);
        }
    }
    if (cancelled) {
        showStatus(tr("Cancelled. Press Resume (or Start) to continue where it stopped."));
        m_ui->progressLabel->setText(tr("Cancelled"));
    } else {
        m_ui->progressLabel->setText(
            tr("%1 of %2 frames").arg(m_progress.done()).arg(m_progress.total()));
        m_interruptedQueue.clear();
        saveSettings();
    }
    m_ui->resumeButton->setVisible(cancelled);
    m_jobRows.clear();
    emit jobEnded();
}

void MainWindow::showPreview(int row) {
    const auto& entries = m_ui->queue->entries();
    if (row < 0 || row >= entries.size()) {
        m_ui->preview->clear();
        return;
    }
    const QueueEntry& entry = entries[row];
    const bool written =
        entry.status == QueueEntry::Status::Done || entry.status == QueueEntry::Status::Skipped;
    const QImage after = written && !entry.output.isEmpty() ? previewImage(entry.output) : QImage();
    m_ui->preview->setImages(previewImage(entry.input), after);
}

}  // namespace upscale::app
