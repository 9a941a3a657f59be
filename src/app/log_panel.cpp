#include "upscale/app/log_panel.hpp"

#include <mutex>

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QMenu>
#include <QScrollBar>

#include <spdlog/sinks/base_sink.h>

#include "upscale/core/logging.hpp"

namespace upscale::app {

namespace {
// A long session must not grow without bound: the panel and lines() keep the latest lines only.
constexpr int kMaxLines = 5000;
}  // namespace

/// Forwards formatted log lines to a QObject. Called on whatever thread logs; the signal it
/// emits is queued to the panel's thread. detach() makes later lines go nowhere, so a line
/// logged while the panel is being destroyed never reaches a dead object.
class QtLogSink final : public QObject, public spdlog::sinks::base_sink<std::mutex> {
    Q_OBJECT

public:
    void detach() {
        std::lock_guard lock(mutex_);
        m_attached = false;
    }

signals:
    void line(int level, const QString& text);

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        if (!m_attached) {
            return;
        }
        emit line(
            static_cast<int>(msg.level),
            QString::fromUtf8(msg.payload.data(), static_cast<qsizetype>(msg.payload.size())));
    }
    void flush_() override {}

private:
    bool m_attached = true;
};

LogPanel::LogPanel(QWidget* parent)
    : QPlainTextEdit(parent), m_sink(std::make_shared<QtLogSink>()) {
    setReadOnly(true);
    setMaximumBlockCount(kMaxLines);
    setObjectName(QStringLiteral("logPanel"));
    setToolTip(
        tr("What the program does, with warnings and errors. Right-click to copy, clear, "
           "or show debug messages."));
    connect(m_sink.get(), &QtLogSink::line, this, &LogPanel::appendLine, Qt::QueuedConnection);
    m_subscription = core::subscribeToLog(m_sink);
}

LogPanel::~LogPanel() {
    m_subscription.reset();
    m_sink->detach();
}

void LogPanel::appendLine(int level, const QString& text) {
    const auto name = spdlog::level::to_string_view(static_cast<spdlog::level::level_enum>(level));
    const QString line =
        QStringLiteral("[%1] %2").arg(QString::fromUtf8(name.data(), name.size()), text);
    m_lines.append(line);
    if (m_lines.size() > kMaxLines) {
        m_lines.removeFirst();
    }
    if (level < spdlog::level::info && !m_showDebug) {
        emit lineAdded(level, text);
        return;
    }
    // New lines are followed while the view is at its end; a user reading higher up stays put.
    QScrollBar* bar = verticalScrollBar();
    const bool atEnd = bar->value() >= bar->maximum();
    const int kept = bar->value();
    const char* colour = level >= spdlog::level::err    ? "#c0392b"
                         : level == spdlog::level::warn ? "#b9770e"
                                                        : "";
    if (*colour != '\0') {
        appendHtml(QStringLiteral("<span style=\"color:%1\">%2</span>")
                       .arg(QLatin1String(colour), line.toHtmlEscaped()));
    } else {
        appendPlainText(line);
    }
    bar->setValue(atEnd ? bar->maximum() : kept);
    emit lineAdded(level, text);
}

void LogPanel::setShowDebug(bool show) {
    m_showDebug = show;
}

void LogPanel::clearLog() {
    m_lines.clear();
    clear();
}

void LogPanel::copyAll() const {
    QApplication::clipboard()->setText(toPlainText());
}

void LogPanel::contextMenuEvent(QContextMenuEvent* event) {
    std::unique_ptr<QMenu> menu(createStandardContextMenu());
    menu->addSeparator();
    menu->addAction(tr("Copy all"), this, &LogPanel::copyAll);
    menu->addAction(tr("Clear"), this, &LogPanel::clearLog);
    QAction* debug = menu->addAction(tr("Show debug messages"));
    debug->setCheckable(true);
    debug->setChecked(m_showDebug);
    connect(debug, &QAction::toggled, this, &LogPanel::setShowDebug);
    menu->exec(event->globalPos());
}

}  // namespace upscale::app

#include "log_panel.moc"
