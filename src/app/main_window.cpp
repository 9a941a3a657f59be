#include "upscale/app/main_window.hpp"

#include <QActionGroup>
#include <QCloseEvent>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>

#include "ui_main_window.h"
#include "upscale/app/advanced_panel.hpp"
#include "upscale/app/compare_view.hpp"
#include "upscale/app/job_controller.hpp"
#include "upscale/app/log_panel.hpp"
#include "upscale/app/model_picker.hpp"
#include "upscale/app/queue_widget.hpp"
#include "upscale/core/logging.hpp"
#include "upscale/media/image_io.hpp"
#include "upscale/media/video.hpp"

namespace upscale::app {

namespace {

QString formatDuration(double seconds) {
    const int total = static_cast<int>(seconds + 0.5);
    return QStringLiteral("%1:%2").arg(total / 60).arg(total % 60, 2, 10, QLatin1Char('0'));
}

}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      m_ui(std::make_unique<Ui::MainWindow>()),
      m_controller(new JobController(this)) {
    const AppSettings settings = AppSettings::load();
    m_ui->setupUi(this);
    // After setupUi: the language change retranslates widgets that must exist by then.
    m_languageSetting = settings.language;
    m_translations.setLanguage(settings.language);
    m_ui->mainSplitter->setStretchFactor(1, 1);
    m_ui->viewSplitter->setStretchFactor(0, 3);
    m_ui->viewSplitter->setStretchFactor(1, 1);
    fillFormats();
    applySettings(settings);
    connectSignals();
    m_interruptedQueue = settings.interruptedQueue;
    offerResume(settings.interruptedQueue);
}

void MainWindow::offerResume(const QStringList& inputs) {
    if (inputs.isEmpty()) {
        return;
    }
    QStringList missing;
    for (const QString& input : inputs) {
        const bool queued =
            std::any_of(m_ui->queue->entries().begin(), m_ui->queue->entries().end(),
                        [&](const QueueEntry& e) { return e.input == input; });
        if (!queued) {
            missing << input;
        }
    }
    m_ui->queue->addPaths(missing);
    m_ui->resumeButton->setVisible(true);
    statusBar()->showMessage(
        tr("A job of %n item(s) was interrupted. Press Resume to continue it where it stopped.",
           nullptr, static_cast<int>(inputs.size())));
}

bool MainWindow::canResume() const {
    return !m_ui->resumeButton->isHidden();
}

MainWindow::~MainWindow() = default;

void MainWindow::connectSignals() {
    auto* languages = new QActionGroup(this);
    for (QAction* action : {m_ui->systemLanguageAction, m_ui->englishAction, m_ui->frenchAction}) {
        languages->addAction(action);
    }
    const QString checked = m_languageSetting;
    m_ui->systemLanguageAction->setChecked(checked.isEmpty());
    m_ui->englishAction->setChecked(checked == QLatin1String("en"));
    m_ui->frenchAction->setChecked(checked == QLatin1String("fr"));
    connect(m_ui->systemLanguageAction, &QAction::triggered, this, [this] { setLanguage({}); });
    connect(m_ui->englishAction, &QAction::triggered, this,
            [this] { setLanguage(QStringLiteral("en")); });
    connect(m_ui->frenchAction, &QAction::triggered, this,
            [this] { setLanguage(QStringLiteral("fr")); });

    connect(m_ui->addFilesAction, &QAction::triggered, this, &MainWindow::addFiles);
    connect(m_ui->addFolderAction, &QAction::triggered, this, &MainWindow::addFolder);
    connect(m_ui->quitAction, &QAction::triggered, this, &QWidget::close);
    connect(m_ui->aboutAction, &QAction::triggered, this, &MainWindow::showAbout);
    connect(m_ui->browseOutputButton, &QToolButton::clicked, this, &MainWindow::chooseOutputFolder);
    connect(m_ui->startButton, &QPushButton::clicked, this, &MainWindow::startJob);
    connect(m_ui->resumeButton, &QPushButton::clicked, this, &MainWindow::resumeJob);
    connect(m_ui->cancelButton, &QPushButton::clicked, this, &MainWindow::cancelJob);

    connect(m_ui->queue, &QueueWidget::currentEntryChanged, this, &MainWindow::showPreview);
    connect(m_ui->modelPicker, &ModelPicker::errorOccurred, this,
            [this](const QString& message) { showError(tr("The model cannot be used"), message); });

    connect(m_controller, &JobController::runningChanged, this, &MainWindow::onRunningChanged);
    connect(m_controller, &JobController::eventReceived, this, &MainWindow::onEvent);
    connect(m_controller, &JobController::jobFailed, this, &MainWindow::onJobFailed);
    connect(m_controller, &JobController::finished, this, &MainWindow::onJobFinished);
}

void MainWindow::applySettings(const AppSettings& settings) {
    m_ui->modelPicker->setUserModels(settings.userModels);
    if (!settings.model.isEmpty()) {
        m_ui->modelPicker->setCurrentModel(settings.model);
    }
    m_ui->advanced->setEngineSettings(settings.engine);
    m_ui->advanced->setOutputScale(settings.outputScale);
    m_ui->advanced->setExpanded(settings.advancedExpanded);
    m_ui->outputEdit->setText(settings.outputDir);
    m_ui->formatCombo->setCurrentIndex(std::max(m_ui->formatCombo->findData(settings.format), 0));
    m_ui->nameEdit->setText(settings.namePattern);
    m_lastInputDir = settings.lastInputDir;
    if (!settings.geometry.isEmpty()) {
        restoreGeometry(settings.geometry);
    }
    if (!settings.windowState.isEmpty()) {
        restoreState(settings.windowState);
    }
    if (!settings.mainSplitter.isEmpty()) {
        m_ui->mainSplitter->restoreState(settings.mainSplitter);
    }
    if (!settings.viewSplitter.isEmpty()) {
        m_ui->viewSplitter->restoreState(settings.viewSplitter);
    }
}

void MainWindow::saveSettings() const {
    AppSettings s;
    s.model = m_ui->modelPicker->currentModel();
    s.userModels = m_ui->modelPicker->userModels();
    s.engine = m_ui->advanced->engineSettings();
    s.outputScale = m_ui->advanced->outputScale();
    s.outputDir = m_ui->outputEdit->text();
    s.format = m_ui->formatCombo->currentData().toString();
    s.namePattern = m_ui->nameEdit->text();
    s.lastInputDir = m_lastInputDir;
    s.interruptedQueue = m_interruptedQueue;
    s.language = m_languageSetting;
    s.advancedExpanded = m_ui->advanced->isExpanded();
    s.geometry = saveGeometry();
    s.windowState = saveState();
    s.mainSplitter = m_ui->mainSplitter->saveState();
    s.viewSplitter = m_ui->viewSplitter->saveState();
    s.save();
}

void MainWindow::fillFormats() {
    const QString current = m_ui->formatCombo->currentData().toString();
    m_ui->formatCombo->clear();
    m_ui->formatCombo->addItem(tr("Same as the input"), QString());
    for (const char* format : {"png", "jpg", "webp", "tif", "bmp"}) {
        m_ui->formatCombo->addItem(QString::fromLatin1(format).toUpper(),
                                   QString::fromLatin1(format));
    }
    m_ui->formatCombo->setCurrentIndex(std::max(m_ui->formatCombo->findData(current), 0));
}

bool MainWindow::startJob() {
    return runQueue(false);
}

bool MainWindow::resumeJob() {
    return runQueue(true);
}

bool MainWindow::runQueue(bool resume) {
    if (m_controller->isRunning()) {
        return false;
    }
    const QVector<int> rows = m_ui->queue->waitingRows();
    if (rows.isEmpty()) {
        statusBar()->showMessage(tr("Nothing to upscale: add images to the queue first."));
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
    job.format = m_ui->formatCombo->currentData().toString().toStdString();
    if (const QString pattern = m_ui->nameEdit->text().trimmed(); !pattern.isEmpty()) {
        if (auto valid = pipeline::validateNamePattern(pattern.toStdString()); !valid) {
            showError(tr("The name pattern cannot be used"),
                      QString::fromStdString(valid.error().message));
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
    m_itemsDone = 0;
    m_jobClock.start();
    m_ui->progressBar->setRange(0, static_cast<int>(rows.size()));
    m_ui->progressBar->setValue(0);
    m_ui->progressLabel->clear();
    return m_controller->start(job);
}

void MainWindow::cancelJob() {
    m_controller->cancel();
}

bool MainWindow::isRunning() const {
    return m_controller->isRunning();
}

bool MainWindow::setLanguage(const QString& code) {
    if (!m_translations.setLanguage(code)) {
        return false;
    }
    m_languageSetting = code;
    return true;
}

void MainWindow::setOutputFolder(const QString& folder) {
    m_ui->outputEdit->setText(folder);
}

QString MainWindow::outputFolder() const {
    return m_ui->outputEdit->text();
}

QueueWidget* MainWindow::queue() const {
    return m_ui->queue;
}
ModelPicker* MainWindow::modelPicker() const {
    return m_ui->modelPicker;
}
AdvancedPanel* MainWindow::advancedPanel() const {
    return m_ui->advanced;
}
CompareView* MainWindow::preview() const {
    return m_ui->preview;
}
LogPanel* MainWindow::logPanel() const {
    return m_ui->log;
}

void MainWindow::onRunningChanged(bool running) {
    m_ui->startButton->setEnabled(!running);
    m_ui->resumeButton->setEnabled(!running);
    m_ui->cancelButton->setEnabled(running);
    m_ui->modelPicker->setEnabled(!running);
    m_ui->advanced->setEnabled(!running);
    m_ui->queue->setRunning(running);
}

void MainWindow::onEvent(const core::Event& event) {
    const int row = event.itemIndex >= 0 && event.itemIndex < m_jobRows.size()
                        ? m_jobRows[event.itemIndex]
                        : -1;
    const QSize inputSize(event.inputWidth, event.inputHeight);
    const QSize outputSize(event.outputWidth, event.outputHeight);
    switch (event.kind) {
        case core::EventKind::JobStarted:
            statusBar()->showMessage(tr("Upscaling %n item(s)...", nullptr, event.itemCount));
            break;
        case core::EventKind::ItemStarted:
            m_ui->queue->setStatus(row, QueueEntry::Status::Running);
            break;
        case core::EventKind::Batch:
            m_ui->queue->setSizes(row, inputSize, outputSize, QString::fromStdString(event.output));
            updateProgress(event);
            break;
        case core::EventKind::ItemFinished:
            ++m_itemsDone;
            m_ui->queue->setStatus(row, QueueEntry::Status::Done);
            m_ui->progressBar->setValue(m_itemsDone);
            if (row == m_ui->queue->currentRow()) {
                showPreview(row);
            }
            break;
        case core::EventKind::ItemFailed:
            ++m_itemsDone;
            m_ui->queue->setStatus(
                row, QueueEntry::Status::Failed,
                event.error ? QString::fromStdString(event.error->message) : QString());
            m_ui->progressBar->setValue(m_itemsDone);
            break;
        case core::EventKind::JobFinished:
            statusBar()->showMessage(tr("Finished: %1 succeeded, %2 failed in %3 s")
                                         .arg(event.itemsSucceeded)
                                         .arg(event.itemsFailed)
                                         .arg(event.seconds, 0, 'f', 1));
            break;
    }
}

void MainWindow::updateProgress(const core::Event& event) {
    // Frames per second is the engine's figure for this item; the ETA is for the whole queue,
    // from the time taken per item so far.
    const double elapsed = m_jobClock.elapsed() / 1000.0;
    const int done = m_itemsDone + 1;
    const int remaining = static_cast<int>(m_jobRows.size()) - done;
    const double eta = done > 0 ? elapsed / done * std::max(remaining, 0) : 0.0;
    m_ui->progressLabel->setText(tr("Item %1 of %2 · %3 frames/s · ETA %4")
                                     .arg(event.itemIndex + 1)
                                     .arg(event.itemCount)
                                     .arg(event.framesPerSecond, 0, 'f', 1)
                                     .arg(formatDuration(eta)));
}

void MainWindow::onJobFailed(const QString& message) {
    showError(tr("The job could not start"), message);
}

void MainWindow::onJobFinished(bool cancelled) {
    for (int row : std::as_const(m_jobRows)) {
        const auto status = m_ui->queue->entries()[row].status;
        if (status == QueueEntry::Status::Running ||
            (cancelled && status == QueueEntry::Status::Waiting)) {
            m_ui->queue->setStatus(row, QueueEntry::Status::Cancelled);
        }
    }
    if (cancelled) {
        statusBar()->showMessage(tr("Cancelled. Press Resume to continue where it stopped."));
    } else {
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
    const QImage after = entry.status == QueueEntry::Status::Done && !entry.output.isEmpty()
                             ? QImage(entry.output)
                             : QImage();
    m_ui->preview->setImages(QImage(entry.input), after);
}

void MainWindow::showError(const QString& title, const QString& message) {
    // Window-modal and not blocking: the queue and the log keep updating behind it.
    auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setObjectName(QStringLiteral("errorDialog"));
    box->open();
}

void MainWindow::addFiles() {
    QStringList patterns;
    for (const auto* list : {&media::imageExtensions(), &media::videoExtensions()}) {
        for (const auto& extension : *list) {
            patterns.append(QStringLiteral("*") + QString::fromStdString(extension));
        }
    }
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Add files"), m_lastInputDir,
        tr("Images and videos (%1);;All files (*)").arg(patterns.join(QLatin1Char(' '))));
    if (!files.isEmpty()) {
        m_lastInputDir = QFileInfo(files.front()).absolutePath();
        m_ui->queue->addPaths(files);
    }
}

void MainWindow::addFolder() {
    const QString folder =
        QFileDialog::getExistingDirectory(this, tr("Add folder"), m_lastInputDir);
    if (!folder.isEmpty()) {
        m_lastInputDir = folder;
        m_ui->queue->addPaths({folder});
    }
}

void MainWindow::chooseOutputFolder() {
    const QString folder =
        QFileDialog::getExistingDirectory(this, tr("Output folder"), m_ui->outputEdit->text());
    if (!folder.isEmpty()) {
        m_ui->outputEdit->setText(folder);
    }
}

void MainWindow::showAbout() {
    QMessageBox::about(this, tr("About Upscale Studio"),
                       tr("<p><b>Upscale Studio</b> %1</p><p>Enlarges images with neural "
                          "networks.</p><p>GPL-3.0-or-later. The bundled models are "
                          "Real-ESRGAN's (BSD-3-Clause).</p>")
                           .arg(QCoreApplication::applicationVersion()));
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (m_controller->isRunning()) {
        const auto answer = QMessageBox::question(
            this, tr("Cancel the job?"),
            tr("A job is running. Cancel it and close? Items already done are kept."),
            QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
        if (answer != QMessageBox::Yes) {
            event->ignore();
            return;
        }
        m_controller->cancelAndWait();
    }
    saveSettings();
    event->accept();
}

void MainWindow::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        m_ui->retranslateUi(this);
        fillFormats();
    }
    QMainWindow::changeEvent(event);
}

}  // namespace upscale::app
