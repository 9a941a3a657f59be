#include "upscale/app/queue_widget.hpp"

#include <algorithm>
#include <filesystem>

#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QHeaderView>
#include <QMimeData>
#include <QUrl>

#include "ui_queue_widget.h"
#include "upscale/media/image_io.hpp"
#include "upscale/media/video.hpp"

namespace upscale::app {

namespace {

enum Column { kFile, kStatus, kSizeIn, kSizeOut, kColumnCount };

/// Images and videos are what the queue takes; other files in a dropped folder are skipped.
bool isMedia(const QString& path) {
    const std::filesystem::path p(path.toStdString());
    return media::hasImageExtension(p) || media::hasVideoExtension(p);
}

QString sizeText(QSize size) {
    return size.isValid() ? QStringLiteral("%1×%2").arg(size.width()).arg(size.height())
                          : QString();
}

}  // namespace

QueueWidget::QueueWidget(QWidget* parent)
    : QWidget(parent), m_ui(std::make_unique<Ui::QueueWidget>()) {
    m_ui->setupUi(this);
    setAcceptDrops(true);
    m_ui->table->horizontalHeader()->setSectionResizeMode(kFile, QHeaderView::Stretch);
    connect(m_ui->removeButton, &QPushButton::clicked, this, &QueueWidget::removeSelected);
    connect(m_ui->clearButton, &QPushButton::clicked, this, &QueueWidget::clear);
    connect(m_ui->retryButton, &QPushButton::clicked, this, &QueueWidget::retryFailed);
    connect(m_ui->table, &QTableWidget::currentCellChanged, this,
            [this](int row) { emit currentEntryChanged(row); });
    updateButtons();
}

QueueWidget::~QueueWidget() = default;

int QueueWidget::addPaths(const QStringList& paths) {
    QStringList files;
    for (const QString& path : paths) {
        const QFileInfo info(path);
        if (info.isDir()) {
            // Not recursive and in name order, like the command line's folder inputs.
            const auto children =
                QDir(path).entryInfoList(QDir::Files | QDir::Readable, QDir::Name);
            for (const QFileInfo& child : children) {
                if (isMedia(child.filePath())) {
                    files.append(child.absoluteFilePath());
                }
            }
        } else if (isMedia(path)) {
            files.append(info.absoluteFilePath());
        }
    }
    int added = 0;
    for (const QString& file : files) {
        const bool known = std::any_of(m_entries.begin(), m_entries.end(),
                                       [&](const QueueEntry& e) { return e.input == file; });
        if (known) {
            continue;
        }
        m_entries.append(QueueEntry{.input = file});
        const int row = m_ui->table->rowCount();
        m_ui->table->insertRow(row);
        refreshRow(row);
        ++added;
    }
    if (added > 0) {
        updateButtons();
        emit countChanged(static_cast<int>(m_entries.size()));
    }
    return added;
}

int QueueWidget::currentRow() const {
    return m_ui->table->currentRow();
}

void QueueWidget::setCurrentRow(int row) {
    m_ui->table->setCurrentCell(row, kFile);
}

QVector<int> QueueWidget::waitingRows() const {
    QVector<int> rows;
    for (int i = 0; i < m_entries.size(); ++i) {
        if (m_entries[i].status == QueueEntry::Status::Waiting) {
            rows.append(i);
        }
    }
    return rows;
}

void QueueWidget::setStatus(int row, QueueEntry::Status status, const QString& error) {
    if (row < 0 || row >= m_entries.size()) {
        return;
    }
    m_entries[row].status = status;
    m_entries[row].error = error;
    refreshRow(row);
    updateButtons();
}

void QueueWidget::setSizes(int row, QSize input, QSize output, const QString& outputFile) {
    if (row < 0 || row >= m_entries.size()) {
        return;
    }
    m_entries[row].inputSize = input;
    m_entries[row].outputSize = output;
    m_entries[row].output = outputFile;
    refreshRow(row);
}

void QueueWidget::setRunning(bool running) {
    m_running = running;
    updateButtons();
}

void QueueWidget::removeSelected() {
    const int row = currentRow();
    if (m_running || row < 0 || row >= m_entries.size()) {
        return;
    }
    m_entries.removeAt(row);
    m_ui->table->removeRow(row);
    updateButtons();
    emit countChanged(static_cast<int>(m_entries.size()));
}

void QueueWidget::clear() {
    if (m_running) {
        return;
    }
    m_entries.clear();
    m_ui->table->setRowCount(0);
    updateButtons();
    emit countChanged(0);
}

void QueueWidget::retryFailed() {
    for (int i = 0; i < m_entries.size(); ++i) {
        const auto status = m_entries[i].status;
        if (status == QueueEntry::Status::Failed || status == QueueEntry::Status::Cancelled) {
            setStatus(i, QueueEntry::Status::Waiting);
        }
    }
}

void QueueWidget::dragEnterEvent(QDragEnterEvent* event) {
    // Drops are welcome during a run too: new items wait for the next Start.
    if (event->mimeData()->hasUrls()) {
        event->acceptProposedAction();
    }
}

void QueueWidget::dropEvent(QDropEvent* event) {
    QStringList paths;
    for (const QUrl& url : event->mimeData()->urls()) {
        if (url.isLocalFile()) {
            paths.append(url.toLocalFile());
        }
    }
    addPaths(paths);
    event->acceptProposedAction();
}

void QueueWidget::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        m_ui->retranslateUi(this);
        for (int row = 0; row < m_entries.size(); ++row) {
            refreshRow(row);
        }
    }
    QWidget::changeEvent(event);
}

void QueueWidget::refreshRow(int row) {
    const QueueEntry& entry = m_entries[row];
    QString status;
    switch (entry.status) {
        case QueueEntry::Status::Waiting:
            status = tr("Waiting");
            break;
        case QueueEntry::Status::Running:
            status = tr("Running");
            break;
        case QueueEntry::Status::Done:
            status = tr("Done");
            break;
        case QueueEntry::Status::Failed:
            status = entry.error.isEmpty() ? tr("Failed") : tr("Failed: %1").arg(entry.error);
            break;
        case QueueEntry::Status::Cancelled:
            status = tr("Cancelled");
            break;
    }
    const QString texts[kColumnCount] = {QFileInfo(entry.input).fileName(), status,
                                         sizeText(entry.inputSize), sizeText(entry.outputSize)};
    for (int column = 0; column < kColumnCount; ++column) {
        auto* item = m_ui->table->item(row, column);
        if (item == nullptr) {
            item = new QTableWidgetItem;
            item->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
            m_ui->table->setItem(row, column, item);
        }
        item->setText(texts[column]);
        item->setToolTip(column == kStatus && !entry.error.isEmpty() ? entry.error : entry.input);
    }
}

void QueueWidget::updateButtons() {
    const bool any = !m_entries.isEmpty();
    const bool anyFailed = std::any_of(m_entries.begin(), m_entries.end(), [](const auto& e) {
        return e.status == QueueEntry::Status::Failed || e.status == QueueEntry::Status::Cancelled;
    });
    m_ui->removeButton->setEnabled(!m_running && any);
    m_ui->clearButton->setEnabled(!m_running && any);
    m_ui->retryButton->setEnabled(!m_running && anyFailed);
    m_ui->dropHint->setVisible(!any);
}

}  // namespace upscale::app
