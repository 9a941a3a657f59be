#pragma once
// The main window: composed of the queue, the model picker, the output choices, the Advanced
// panel, the preview and the log panel (laid out in ui/main_window.ui), plus a job controller
// that runs the pipeline on its own thread. The window wires them together and follows the
// job: progress by frames over the whole queue, each item's outcome, the result shown when an
// item finishes.

#include <memory>
#include <utility>

#include <QElapsedTimer>
#include <QMainWindow>
#include <QStringList>
#include <QVector>

#include "upscale/app/app_settings.hpp"
#include "upscale/app/progress_tracker.hpp"
#include "upscale/app/translations.hpp"
#include "upscale/core/events.hpp"

namespace Ui {
class MainWindow;
}

namespace upscale::app {

class AdvancedPanel;
class CompareView;
class JobController;
class LogPanel;
class ModelPicker;
class OutputOptions;
class QueueWidget;

class MainWindow final : public QMainWindow {
    Q_OBJECT

public:
    /// Restores the stored settings (language included) and wires the children together.
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;
    MainWindow(const MainWindow&) = delete;
    MainWindow& operator=(const MainWindow&) = delete;

    /// Runs every waiting, failed or cancelled item with the current choices; when there is
    /// none, the selected items again. Cancelled items continue where they stopped. Returns
    /// false when a job is already running or there is nothing to run.
    bool startJob();
    /// Continues an interrupted job: outputs it finished are kept, videos go on after their
    /// last closed segment.
    bool resumeJob();
    void cancelJob();
    /// True while an interrupted job is offered for Resume.
    [[nodiscard]] bool canResume() const;
    [[nodiscard]] bool isRunning() const;

    /// Switches the interface language ("en", "fr"; empty = the system's) and remembers it.
    bool setLanguage(const QString& code);
    [[nodiscard]] QString language() const { return m_translations.current(); }

    /// Writes the current choices and window layout to the settings store.
    void saveSettings() const;

    /// Where to write each result; empty = beside each input.
    void setOutputFolder(const QString& folder);
    [[nodiscard]] QString outputFolder() const;

    [[nodiscard]] QueueWidget* queue() const;
    [[nodiscard]] ModelPicker* modelPicker() const;
    [[nodiscard]] AdvancedPanel* advancedPanel() const;
    [[nodiscard]] OutputOptions* outputOptions() const;
    [[nodiscard]] CompareView* preview() const;
    [[nodiscard]] LogPanel* logPanel() const;
    [[nodiscard]] JobController* controller() const { return m_controller; }
    /// The progress bar's value and maximum (frames), and the text beside it.
    [[nodiscard]] std::pair<int, int> progress() const;
    [[nodiscard]] QString progressText() const;
    /// Seconds left as last shown; negative while unknown.
    [[nodiscard]] double secondsLeft() const { return m_secondsLeft; }
    /// The status bar's current message.
    [[nodiscard]] QString statusMessage() const;

signals:
    /// The job ended (finished, cancelled, or could not start); the queue shows every outcome.
    void jobEnded();

protected:
    void closeEvent(QCloseEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    bool runQueue(bool resume);
    void offerResume(const QStringList& inputs);
    void connectSignals();
    void applySettings(const AppSettings& settings);
    void showStatus(const QString& message);
    void onRunningChanged(bool running);
    void onEvent(const core::Event& event);
    void onJobFailed(const QString& message);
    void onJobFinished(bool cancelled);
    void showPreview(int row);
    void showError(const QString& title, const QString& message);
    void updateProgress();
    void followResult(int row);
    void addFiles();
    void addFolder();
    void chooseOutputFolder();
    void showAbout();

    std::unique_ptr<Ui::MainWindow> m_ui;
    JobController* m_controller = nullptr;
    Translations m_translations;
    QString m_lastInputDir;
    QStringList m_interruptedQueue;  ///< inputs of the running or interrupted job
    QString m_languageSetting;
    QVector<int> m_jobRows;  ///< queue row of each item of the running job
    bool m_jobResumes = false;
    ProgressTracker m_progress;
    double m_secondsLeft = -1.0;
    int m_followedRow = -1;  ///< the row the preview follows while the user does not choose
    QElapsedTimer m_jobClock;
};

}  // namespace upscale::app
