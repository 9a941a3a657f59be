#include "screenshot_scene.hpp"

#include <QApplication>
#include <QTimer>

#include "upscale/app/compare_view.hpp"
#include "upscale/app/job_controller.hpp"
#include "upscale/app/main_window.hpp"
#include "upscale/app/output_options.hpp"
#include "upscale/app/queue_widget.hpp"
#include "upscale/core/logging.hpp"

namespace upscale::app {

namespace {

/// Saves the window after the event loop has painted it, and quits.
void saveSoon(MainWindow& window, const QString& file, int delayMs = 300) {
    QTimer::singleShot(delayMs, &window, [&window, file] {
        const bool saved = window.grab().save(file);
        core::logger("app")->info("Screenshot {}: {}", saved ? "saved" : "NOT saved",
                                  file.toStdString());
        if (window.isRunning()) {
            window.controller()->cancelAndWait();
        }
        QApplication::exit(saved ? 0 : 1);
    });
}

void startOrQuit(MainWindow& window) {
    QTimer::singleShot(0, &window, [&window] {
        if (!window.startJob()) {
            QApplication::exit(1);
        }
    });
}

}  // namespace

bool playScene(MainWindow& window, const QString& scene, const QString& file) {
    if (scene == QLatin1String("empty")) {
        saveSoon(window, file);
    } else if (scene == QLatin1String("video")) {
        window.outputOptions()->setVideoFormat(QStringLiteral("mkv"));
        window.outputOptions()->setCodec(QStringLiteral("h265"));
        window.outputOptions()->setQuality(20);
        window.outputOptions()->setPreset(QStringLiteral("medium"));
        window.queue()->setCurrentRow(window.queue()->entries().size() - 1);
        saveSoon(window, file);
    } else if (scene == QLatin1String("running")) {
        // Photographed once the video is well under way, while the images before it are done.
        auto* connection = new QMetaObject::Connection;
        *connection = QObject::connect(window.controller(), &JobController::eventReceived, &window,
                                       [&window, file, connection](const core::Event& event) {
                                           const auto* batch = std::get_if<core::Batch>(&event);
                                           const bool videoHalfway =
                                               batch != nullptr && batch->framesTotal > 1 &&
                                               batch->framesDone * 3 >= batch->framesTotal;
                                           if (videoHalfway) {
                                               QObject::disconnect(*connection);
                                               delete connection;
                                               saveSoon(window, file, 0);
                                           }
                                       });
        startOrQuit(window);
    } else if (scene == QLatin1String("finished")) {
        QObject::connect(&window, &MainWindow::jobEnded, &window, [&window, file] {
            window.queue()->setCurrentRow(0);
            CompareView* preview = window.preview();
            preview->setSplit(0.5);
            // Zoomed on the middle of the picture, where the detail is.
            preview->zoomAt(QPointF(preview->width() * 0.5, preview->height() * 0.45), 2.5);
            saveSoon(window, file);
        });
        startOrQuit(window);
    } else {
        return false;
    }
    return true;
}

}  // namespace upscale::app
