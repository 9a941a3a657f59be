// upscale-studio: the desktop front end over the pipeline.

#include <csignal>

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include "upscale/app/advanced_panel.hpp"
#include "upscale/app/compare_view.hpp"
#include "upscale/app/main_window.hpp"
#include "upscale/app/queue_widget.hpp"
#include "upscale/core/logging.hpp"

int main(int argc, char** argv) {
    using namespace upscale;
    // Past the file size limit (ulimit -f) a write must fail with an error the queue shows (a
    // full disk), not kill the application.
    std::signal(SIGXFSZ, SIG_IGN);
    QApplication application(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("upscale-studio"));
    QApplication::setApplicationName(QStringLiteral("upscale-studio"));
    QApplication::setApplicationDisplayName(QStringLiteral("Upscale Studio"));
    QApplication::setApplicationVersion(QStringLiteral(UPSCALE_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("upscale-studio"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Enlarges images with neural networks."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption output(QStringLiteral("output"),
                                    QStringLiteral("Write the results to this folder."),
                                    QStringLiteral("folder"));
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QStringLiteral("Run the queue, select its first item, save the window to this PNG file "
                       "and quit."),
        QStringLiteral("file"));
    parser.addOption(output);
    parser.addOption(screenshot);
    parser.addPositionalArgument(QStringLiteral("inputs"),
                                 QStringLiteral("Images or folders to add to the queue."),
                                 QStringLiteral("[inputs...]"));
    parser.process(application);

    core::setupLogging(core::LogOptions{});
    app::MainWindow window;
    window.queue()->addPaths(parser.positionalArguments());
    if (parser.isSet(output)) {
        window.setOutputFolder(parser.value(output));
    }
    window.show();

    if (parser.isSet(screenshot)) {
        const QString file = parser.value(screenshot);
        window.advancedPanel()->setExpanded(true);
        QObject::connect(&window, &app::MainWindow::jobEnded, &window, [&window, file] {
            window.queue()->setCurrentRow(0);
            window.preview()->setSplit(0.5);
            // One turn of the event loop lets the preview and the log repaint first.
            QTimer::singleShot(200, &window, [&window, file] {
                const bool saved = window.grab().save(file);
                core::logger("app")->info("Screenshot {}: {}", saved ? "saved" : "NOT saved",
                                          file.toStdString());
                QApplication::exit(saved ? 0 : 1);
            });
        });
        QTimer::singleShot(0, &window, [&window] {
            if (!window.startJob()) {
                QApplication::exit(1);
            }
        });
    }
    return QApplication::exec();
}
