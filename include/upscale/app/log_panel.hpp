#pragma once
// The log panel: every line the product logs (model loads and cache hits, "Batch N: ... saved",
// warnings, errors) appears here as it is written. A spdlog sink subscribed to every module logger
// forwards each line through a queued signal, so logging threads never touch a widget.
// It shows information, warnings and errors (debug lines on request), follows new lines unless
// the user scrolled up to read, and its context menu copies or clears it.

#include <memory>

#include <QPlainTextEdit>
#include <QString>
#include <QStringList>

#include "upscale/core/logging.hpp"

namespace upscale::app {

class QtLogSink;

class LogPanel final : public QPlainTextEdit {
    Q_OBJECT

public:
    /// Registers the panel's sink with every module logger; the destructor removes it.
    explicit LogPanel(QWidget* parent = nullptr);
    ~LogPanel() override;
    LogPanel(const LogPanel&) = delete;
    LogPanel& operator=(const LogPanel&) = delete;

    /// The plain text of the latest 5000 lines, oldest first ("[info] ...").
    [[nodiscard]] QStringList lines() const { return m_lines; }

    /// Debug lines are shown only when asked for; they are kept in lines() either way.
    void setShowDebug(bool show);
    [[nodiscard]] bool showsDebug() const { return m_showDebug; }
    /// Empties the panel and lines().
    void clearLog();
    /// Puts every shown line on the clipboard.
    void copyAll() const;

signals:
    /// Emitted on the GUI thread for every line; level is spdlog's level number.
    void lineAdded(int level, const QString& text);

protected:
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    void appendLine(int level, const QString& text);

    std::shared_ptr<QtLogSink> m_sink;
    core::LogSubscription m_subscription;
    QStringList m_lines;
    bool m_showDebug = false;
};

}  // namespace upscale::app
