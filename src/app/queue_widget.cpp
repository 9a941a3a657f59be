#include "upscale/app/queue_widget.hpp"

#include <algorithm>
#include <set>

#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QHeaderView>
#include <QKeyEvent>
#include <QMimeData>
#include <QStyle>
#include <QUrl>

#include "ui_queue_widget.h"
#include "upscale/app/media_preview.hpp"

namespace upscale::app {

namespace {

enum Column { kFile, kStatus, kSizeIn, kSizeOut, kColumnCount };

constexpr QSize kThumbnail(48, 32);

QString sizeText(QSize size) {
    return size.isValid() ? QStringLiteral("%1×%2").arg(size.width()).arg(size.height())
                          : QString();
}

QIcon thumbnailOf(const QString& path) {
    const QImage picture = previewImage(path);
    if (picture.isNull()) {
        return {};
    }
    return QIcon(QPixmap::fromImage(
        picture.scaled(kThumbnail, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
}

}  // namespace

QueueWidget::QueueWidget(QWidget* parent)
    : QWidget(parent), m_ui(std::make_unique<Ui::QueueWidget>()) {
    m_ui->setupUi(this);
    setAcceptDrops(true);
    auto* header = m_ui->table->horizontalHeader();
    header->setSectionResizeMode(kFile, QHeaderView::Stretch);
    header->setSectionResizeMode(kStatus, QHeaderView::ResizeToContents);
    m_ui->table->verticalHeader()->setDefaultSectionSize(kThumbnail.height() + 6);
    m_ui->table->setWordWrap(false);
    m_ui->table->setTextElideMode(Qt::ElideMiddle);
    // The selected rows stay plainly visible when the focus is elsewhere (the Start button).
    QPalette palette = m_ui->table->palette();
    palette.setColor(QPalette::Inactive, QPalette::Highlight,
                     palette.color(QPalette::Active, QPalette::Highlight));
    palette.setColor(QPalette::Inactive, QPalette::HighlightedText,
                     palette.color(QPalette::Active, QPalette::HighlightedText));
    m_ui->table->setPalette(palette);
    m_ui->table->installEventFilter(this);
    connect(m_ui->removeButton, &QPushButton::clicked, this, &QueueWidget::removeSelected);
    connect(m_ui->clearButton, &QPushButton::clicked, this, &QueueWidget::clear);
    connect(m_ui->retryButton, &QPushButton::clicked, this, &QueueWidget::retryFailed);
    connect(m_ui->table, &QTableWidget::currentCellChanged, this, [this](int row) {
        showDetails(row);
        emit currentEntryChanged(row);
    });
    connect(m_ui->table, &QTableWidget::itemSelectionChanged, this, &QueueWidget::updateButtons);
    updateButtons();
}

QueueWidget::~QueueWidget() = default;

int QueueWidget::addPaths(const QStringList& paths) {
    QStringList files;
    QStringList refusedFiles;
    for (const QString& path : paths) {
        const QFileInfo info(path);
        if (info.isDir()) {
            // Not recursive and in name order, like the command line's folder inputs; other
            // files in a folder are simply not queued.
            const auto children =
                QDir(path).entryInfoList(QDir::Files | QDir::Readable, QDir::Name);
            for (const QFileInfo& child : children) {
                if (inspectMedia(child.filePath()).usable) {
                    files.append(child.absoluteFilePath());
                }
            }
        } else if (inspectMedia(path).usable) {
            files.append(info.absoluteFilePath());
        } else {
            refusedFiles.append(info.fileName().isEmpty() ? path : info.fileName());
        }
    }
    int added = 0;
    QStringList known;
    for (const QString& file : files) {
        const auto it = std::find_if(m_entries.begin(), m_entries.end(),
                                     [&](const QueueEntry& e) { return e.input == file; });
        if (it != m_entries.end()) {
            known.append(file);
            continue;
        }
        const MediaInfo info = inspectMedia(file);
        m_entries.append(QueueEntry{.input = file, .video = info.video, .frames = info.frames});
        const int row = m_ui->table->rowCount();
        m_ui->table->insertRow(row);
        refreshRow(row);
        m_ui->table->item(row, kFile)->setIcon(thumbnailOf(file));
        ++added;
    }
    if (added > 0) {
        updateButtons();
        emit countChanged(static_cast<int>(m_entries.size()));
    }
    if (!known.isEmpty()) {
        m_ui->table->clearSelection();
        for (const QString& file : known) {
            const auto row = std::find_if(m_entries.begin(), m_entries.end(),
                                          [&](const QueueEntry& e) { return e.input == file; }) -
                             m_entries.begin();
            m_ui->table->selectRow(static_cast<int>(row));
        }
        emit alreadyQueued(known);
    }
    if (!refusedFiles.isEmpty()) {
        emit refused(refusedFiles);
    }
    return added;
}

int QueueWidget::currentRow() const {
    return m_ui->table->currentRow();
}

void QueueWidget::setCurrentRow(int row) {
    m_ui->table->setCurrentCell(row, kFile);
}

QVector<int> QueueWidget::selectedRows() const {
    std::set<int> rows;
    for (const QModelIndex& index : m_ui->table->selectionModel()->selectedRows()) {
        rows.insert(index.row());
    }
    return {rows.begin(), rows.end()};
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

QVector<int> QueueWidget::rowsToRun() const {
    QVector<int> rows;
    for (int i = 0; i < m_entries.size(); ++i) {
        const auto status = m_entries[i].status;
        if (status == QueueEntry::Status::Waiting || status == QueueEntry::Status::Failed ||
            status == QueueEntry::Status::Cancelled) {
            rows.append(i);
        }
    }
    if (rows.isEmpty()) {
        rows = selectedRows();
        if (rows.isEmpty() && currentRow() >= 0) {
            rows.append(currentRow());
        }
    }
    return rows;
}

bool QueueWidget::hasVideo() const {
    return std::any_of(m_entries.begin(), m_entries.end(),
                       [](const QueueEntry& e) { return e.video; });
}

void QueueWidget::setStatus(int row, QueueEntry::Status status, const QString& error) {
    if (row < 0 || row >= m_entries.size()) {
        return;
    }
    m_entries[row].status = status;
    m_entries[row].error = error;
    if (status == QueueEntry::Status::Waiting || status == QueueEntry::Status::Running) {
        m_entries[row].framesDone = 0;
    }
    refreshRow(row);
    updateButtons();
    if (row == currentRow()) {
        showDetails(row);
    }
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

void QueueWidget::setFrames(int row, qint64 done, qint64 total) {
    if (row < 0 || row >= m_entries.size()) {
        return;
    }
    if (total > 0) {
        m_entries[row].frames = total;
    }
    m_entries[row].framesDone = done;
    refreshRow(row);
}

void QueueWidget::setRunning(bool running) {
    m_running = running;
    updateButtons();
}

void QueueWidget::removeSelected() {
    if (m_running) {
        return;
    }
    const QVector<int> rows = selectedRows();
    for (auto it = rows.rbegin(); it != rows.rend(); ++it) {
        m_entries.removeAt(*it);
        m_ui->table->removeRow(*it);
    }
    if (!rows.isEmpty()) {
        updateButtons();
        emit countChanged(static_cast<int>(m_entries.size()));
    }
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
        paths.append(url.isLocalFile() ? url.toLocalFile() : url.toString());
    }
    addPaths(paths);
    event->acceptProposedAction();
}

bool QueueWidget::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_ui->table && event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        if (key->key() == Qt::Key_Delete || key->key() == Qt::Key_Backspace) {
            removeSelected();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
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
            status = entry.video
                         ? tr("Running: %1 / %2 frames").arg(entry.framesDone).arg(entry.frames)
                         : tr("Running");
            break;
        case QueueEntry::Status::Done:
            status = entry.video ? tr("Done: %n frame(s)", nullptr, static_cast<int>(entry.frames))
                                 : tr("Done");
            break;
        case QueueEntry::Status::Skipped:
            status = tr("Skipped: the output exists");
            break;
        case QueueEntry::Status::Failed:
            status = tr("Failed");
            break;
        case QueueEntry::Status::Cancelled:
            status = entry.video && entry.framesDone > 0
                         ? tr("Cancelled at %1 / %2 frames").arg(entry.framesDone).arg(entry.frames)
                         : tr("Cancelled");
            break;
    }
    const QString texts[kColumnCount] = {QFileInfo(entry.input).fileName(), status,
                                         sizeText(entry.inputSize), sizeText(entry.outputSize)};
    const bool failed = entry.status == QueueEntry::Status::Failed;
    for (int column = 0; column < kColumnCount; ++column) {
        auto* item = m_ui->table->item(row, column);
        if (item == nullptr) {
            item = new QTableWidgetItem;
            item->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
            m_ui->table->setItem(row, column, item);
        }
        item->setText(texts[column]);
        item->setToolTip(failed ? entry.error : entry.input);
        item->setForeground(failed ? QBrush(QColor(0xc0, 0x39, 0x2b)) : QBrush());
    }
    m_ui->table->item(row, kStatus)
        ->setIcon(failed ? style()->standardIcon(QStyle::SP_MessageBoxWarning) : QIcon());
}

void QueueWidget::showDetails(int row) {
    const bool failed =
        row >= 0 && row < m_entries.size() && m_entries[row].status == QueueEntry::Status::Failed;
    m_ui->details->setText(failed ? m_entries[row].error : QString());
    m_ui->details->setVisible(failed);
}

void QueueWidget::updateButtons() {
    const bool any = !m_entries.isEmpty();
    const bool anyFailed = std::any_of(m_entries.begin(), m_entries.end(), [](const auto& e) {
        return e.status == QueueEntry::Status::Failed || e.status == QueueEntry::Status::Cancelled;
    });
    m_ui->removeButton->setEnabled(!m_running && !selectedRows().isEmpty());
    m_ui->clearButton->setEnabled(!m_running && any);
    m_ui->retryButton->setEnabled(!m_running && anyFailed);
    m_ui->dropHint->setVisible(!any);
    m_ui->table->setVisible(any);
}

}  // namespace upscale::app
