// upscale-studio: the desktop front end over the pipeline.

#include <csignal>

#include <QApplication>
#include <QCommandLineParser>

#include "screenshot_scene.hpp"
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
    parser.setApplicationDescription(
        QStringLiteral("Enlarges pictures and videos with neural networks."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption output(QStringLiteral("output"),
                                    QStringLiteral("Write the results to this folder."),
                                    QStringLiteral("folder"));
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QStringLiteral("Play a scene (see --scene), save the window to this PNG file and quit."),
        QStringLiteral("file"));
    const QCommandLineOption scene(
        QStringLiteral("scene"),
        QStringLiteral("The scene --screenshot photographs: empty, running, finished (the "
                       "default) or video."),
        QStringLiteral("name"), QStringLiteral("finished"));
    const QCommandLineOption language(QStringLiteral("language"),
                                      QStringLiteral("Interface language: en or fr."),
                                      QStringLiteral("code"));
    parser.addOption(output);
    parser.addOption(screenshot);
    parser.addOption(scene);
    parser.addOption(language);
    parser.addPositionalArgument(QStringLiteral("inputs"),
                                 QStringLiteral("Pictures, videos or folders to add to the queue."),
                                 QStringLiteral("[inputs...]"));
    parser.process(application);

    core::setupLogging(core::LogOptions{});
    app::MainWindow window;
    if (parser.isSet(language) && !window.setLanguage(parser.value(language))) {
        core::logger("app")->error("Unknown language '{}': use en or fr.",
                                   parser.value(language).toStdString());
        return 2;
    }
    window.queue()->addPaths(parser.positionalArguments());
    if (parser.isSet(output)) {
        window.setOutputFolder(parser.value(output));
    }
    window.show();

    if (parser.isSet(screenshot) &&
        !app::playScene(window, parser.value(scene), parser.value(screenshot))) {
        core::logger("app")->error("Unknown scene '{}'.", parser.value(scene).toStdString());
        return 2;
    }
    return QApplication::exec();
}
