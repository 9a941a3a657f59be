#pragma once
// The log panel: every line the product logs (model loads and cache hits, "Batch N: ... saved",
// warnings, errors) appears here as it is written. A spdlog sink added to every module logger
// forwards each line through a queued signal, so logging threads never touch a widget.

#include <memory>

#include <QPlainTextEdit>
#include <QString>
#include <QStringList>

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

signals:
    /// Emitted on the GUI thread for every line; level is spdlog's level number.
    void lineAdded(int level, const QString& text);

private:
    void appendLine(int level, const QString& text);

    std::shared_ptr<QtLogSink> m_sink;
    QStringList m_lines;
};

}  // namespace upscale::app
