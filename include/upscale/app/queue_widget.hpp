#pragma once
// The queue: the drop area and the list of files to upscale, each with a thumbnail, its status
// (a video's frames done of its total), its size in and out, and the buttons to remove, clear
// and re-run failed items. Dropped folders add the images and videos directly inside them, in name
// order, as the command line does. A file already queued is selected instead of added again; a
// file that is not an image or a video, or is missing, is refused and named.

#include <QImage>
#include <QSize>
#include <QString>
#include <QStringList>
#include <QVector>
#include <QWidget>

#include <memory>

namespace Ui {
class QueueWidget;
}

namespace upscale::app {

struct QueueEntry {
    enum class Status { Waiting, Running, Done, Skipped, Failed, Cancelled };
    QString input;
    QString output;  ///< set once the item has written (or kept) its result
    Status status = Status::Waiting;
    QString error;  ///< the whole error, as the window words it, when it failed
    QSize inputSize;
    QSize outputSize;
    bool video = false;
    qint64 frames = 1;  ///< a video's frame count from its probe; 1 for an image
    qint64 framesDone = 0;
};

class QueueWidget final : public QWidget {
    Q_OBJECT

public:
    explicit QueueWidget(QWidget* parent = nullptr);
    ~QueueWidget() override;
    QueueWidget(const QueueWidget&) = delete;
    QueueWidget& operator=(const QueueWidget&) = delete;

    /// Adds files and folders (local paths); returns how many items were added. A path already
    /// queued selects its row (alreadyQueued); a file that cannot be used is refused (refused).
    int addPaths(const QStringList& paths);

    [[nodiscard]] const QVector<QueueEntry>& entries() const { return m_entries; }
    [[nodiscard]] int currentRow() const;
    void setCurrentRow(int row);
    /// The selected rows, in queue order.
    [[nodiscard]] QVector<int> selectedRows() const;
    /// Rows waiting to run, in queue order.
    [[nodiscard]] QVector<int> waitingRows() const;
    /// What Start runs: every waiting, failed or cancelled row; when there is none, the
    /// selected rows (to run finished items again with other settings).
    [[nodiscard]] QVector<int> rowsToRun() const;
    [[nodiscard]] bool hasVideo() const;

    void setStatus(int row, QueueEntry::Status status, const QString& error = {});
    void setSizes(int row, QSize input, QSize output, const QString& outputFile);
    /// A video's progress: frames done of its total (total 0 keeps the probed count).
    void setFrames(int row, qint64 done, qint64 total);
    /// While a job runs the queue's editing buttons are disabled.
    void setRunning(bool running);

    /// Removes the selected rows (Delete does the same).
    void removeSelected();
    void clear();
    /// Puts every failed and cancelled row back to waiting.
    void retryFailed();

signals:
    void countChanged(int count);
    void currentEntryChanged(int row);
    /// Files given again: their rows are selected instead.
    void alreadyQueued(const QStringList& files);
    /// Files that cannot be used (not an image or a video, missing, unreadable).
    void refused(const QStringList& files);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void changeEvent(QEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void refreshRow(int row);
    void updateButtons();
    void showDetails(int row);

    std::unique_ptr<Ui::QueueWidget> m_ui;
    QVector<QueueEntry> m_entries;
    bool m_running = false;
};

}  // namespace upscale::app
