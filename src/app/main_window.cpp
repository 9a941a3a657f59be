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
#include "upscale/app/error_text.hpp"
#include "upscale/app/job_controller.hpp"
#include "upscale/app/log_panel.hpp"
#include "upscale/app/media_preview.hpp"
#include "upscale/app/model_picker.hpp"
#include "upscale/app/output_options.hpp"
#include "upscale/app/queue_widget.hpp"
#include "upscale/core/logging.hpp"
#include "upscale/media/formats.hpp"
#include "upscale/media/image_io.hpp"
#include "upscale/media/video.hpp"

namespace upscale::app {

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
    // The queue keeps its room when Advanced opens: the settings below it take what is left.
    m_ui->jobLayout->setStretchFactor(m_ui->queue, 1);
    m_ui->queue->setMinimumHeight(220);
    m_ui->previewLayout->setStretch(1, 1);
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
    showStatus(
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
    connect(m_ui->queue, &QueueWidget::countChanged, this,
            [this] { m_ui->outputOptions->setVideoShown(m_ui->queue->hasVideo()); });
    connect(m_ui->queue, &QueueWidget::alreadyQueued, this, [this](const QStringList& files) {
        QStringList names;
        for (const QString& file : files) {
            names << QFileInfo(file).fileName();
        }
        showStatus(tr("Already in the queue, selected: %1").arg(names.join(QStringLiteral(", "))));
    });
    connect(m_ui->queue, &QueueWidget::refused, this, [this](const QStringList& names) {
        const QString message =
            tr("Not added: %1 is not a picture or a video this program can read, or is missing.",
               nullptr, static_cast<int>(names.size()))
                .arg(names.join(QStringLiteral(", ")));
        core::logger("app")->warn("{}", message.toStdString());
        showStatus(message);
    });
    connect(m_ui->fitButton, &QToolButton::clicked, m_ui->preview, &CompareView::fit);
    connect(m_ui->actualSizeButton, &QToolButton::clicked, m_ui->preview, &CompareView::actualSize);
    connect(m_ui->swapButton, &QToolButton::clicked, m_ui->preview, &CompareView::swap);
    connect(m_ui->preview, &CompareView::zoomChanged, this,
            [this](double zoom) { m_ui->zoomLabel->setText(tr("Zoom %1×").arg(zoom, 0, 'f', 1)); });
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
    m_ui->outputOptions->load(settings);
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
    m_ui->outputOptions->store(s);
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

void MainWindow::showStatus(const QString& message) {
    statusBar()->showMessage(message);
}

QString MainWindow::statusMessage() const {
    return statusBar()->currentMessage();
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
OutputOptions* MainWindow::outputOptions() const {
    return m_ui->outputOptions;
}
std::pair<int, int> MainWindow::progress() const {
    return {m_ui->progressBar->value(), m_ui->progressBar->maximum()};
}
QString MainWindow::progressText() const {
    return m_ui->progressLabel->text();
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
    m_ui->outputOptions->setEnabled(!running);
    m_ui->queue->setRunning(running);
}

void MainWindow::showError(const QString& title, const QString& message) {
    // Window-modal and not blocking: the queue and the log keep updating behind it.
    auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setObjectName(QStringLiteral("errorDialog"));
    box->open();
}

void MainWindow::addFiles() {
    const auto patterns =
        media::filterPatterns(media::filesOf(media::imageFormats()), media::FormatUse::Read) + " " +
        media::filterPatterns(media::filesOf(media::videoContainers()), media::FormatUse::Read);
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Add files"), m_lastInputDir,
        tr("Images and videos (%1);;All files (*)").arg(QString::fromStdString(patterns)));
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
    }
    QMainWindow::changeEvent(event);
}

}  // namespace upscale::app
