#pragma once
// The queue: the drop area and the list of files to upscale, with each item's status, its size
// in and out, and the buttons to remove, clear and re-run failed items. Dropped folders add the
// images directly inside them, in name order, as the command line does.

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
    enum class Status { Waiting, Running, Done, Failed, Cancelled };
    QString input;
    QString output;  ///< set once the item is done
    Status status = Status::Waiting;
    QString error;  ///< the item's error message, when it failed
    QSize inputSize;
    QSize outputSize;
};

class QueueWidget final : public QWidget {
    Q_OBJECT

public:
    explicit QueueWidget(QWidget* parent = nullptr);
    ~QueueWidget() override;
    QueueWidget(const QueueWidget&) = delete;
    QueueWidget& operator=(const QueueWidget&) = delete;

    /// Adds files and folders (local paths); returns how many items were added. Files that are
    /// not images and paths already queued are skipped.
    int addPaths(const QStringList& paths);

    [[nodiscard]] const QVector<QueueEntry>& entries() const { return m_entries; }
    [[nodiscard]] int currentRow() const;
    void setCurrentRow(int row);
    /// Rows waiting to run, in queue order.
    [[nodiscard]] QVector<int> waitingRows() const;

    void setStatus(int row, QueueEntry::Status status, const QString& error = {});
    void setSizes(int row, QSize input, QSize output, const QString& outputFile);
    /// While a job runs the queue's editing buttons are disabled.
    void setRunning(bool running);

    void removeSelected();
    void clear();
    /// Puts every failed or cancelled item back to waiting.
    void retryFailed();

signals:
    void countChanged(int count);
    void currentEntryChanged(int row);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void refreshRow(int row);
    void updateButtons();

    std::unique_ptr<Ui::QueueWidget> m_ui;
    QVector<QueueEntry> m_entries;
    bool m_running = false;
};

}  // namespace upscale::app
