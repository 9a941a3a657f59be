#pragma once
// Shared set-up for the desktop application's tests: a fresh folder and settings store per test,
// tiny images written with Qt, and a window that runs one job and waits for it.

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include <QApplication>
#include <QColor>
#include <QDropEvent>
#include <QImage>
#include <QMimeData>
#include <QSettings>
#include <QSignalSpy>
#include <QString>
#include <QUrl>

#include "common/test_paths.hpp"
#include "upscale/app/advanced_panel.hpp"
#include "upscale/app/log_panel.hpp"
#include "upscale/app/main_window.hpp"
#include "upscale/app/model_picker.hpp"

namespace upscale::test {

/// Drags local files onto a widget and drops them, as a file manager does.
inline void dropUrls(QWidget& target, const QStringList& paths) {
    QList<QUrl> urls;
    for (const QString& path : paths) {
        urls.append(QUrl::fromLocalFile(path));
    }
    QMimeData data;
    data.setUrls(urls);
    const QPointF at(target.width() / 2.0, target.height() / 2.0);
    QDragEnterEvent enter(at.toPoint(), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&target, &enter);
    ASSERT_TRUE(enter.isAccepted());
    QDropEvent drop(at, Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&target, &drop);
    EXPECT_TRUE(drop.isAccepted());
}

class AppTest : public testing::Test {
protected:
    void SetUp() override {
        m_dir =
            std::filesystem::path(UPSCALE_TEST_BINARY_DIR) /
            ("app_" + std::string(testing::UnitTest::GetInstance()->current_test_info()->name()));
        std::filesystem::remove_all(m_dir);
        std::filesystem::create_directories(m_dir);
        // Every test starts from an empty settings store, so that what it checks does not
        // depend on the tests that ran before it in this process. Each window owns its engine
        // context, so its model cache starts empty too.
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir("settings"));
        QSettings().clear();
    }

    [[nodiscard]] QString dir(const std::string& name = {}) const {
        return QString::fromStdString((name.empty() ? m_dir : m_dir / name).string());
    }

    /// Writes a width x height PNG with a gradient and a grid, so the network has edges to
    /// sharpen, and returns its path.
    QString writeImage(const std::string& name, int width = 24, int height = 24) const {
        const auto path = m_dir / name;
        std::filesystem::create_directories(path.parent_path());
        QImage image(width, height, QImage::Format_RGB888);
        for (int y = 0; y < height; ++y) {
            for (int x = 0; x < width; ++x) {
                const bool grid = (x / 4 + y / 4) % 2 == 0;
                image.setPixelColor(x, y,
                                    QColor(255 * x / width, 255 * y / height, grid ? 220 : 40));
            }
        }
        image.save(QString::fromStdString(path.string()));
        return QString::fromStdString(path.string());
    }

    /// A window set up for quick CPU runs of the fast bundled model.
    std::unique_ptr<app::MainWindow> makeWindow() const {
        auto window = std::make_unique<app::MainWindow>();
        window->modelPicker()->setCurrentModel(QStringLiteral("realesr-animevideov3"));
        core::EngineSettings engine;
        engine.precision = core::Precision::FP32;
        engine.device = core::DeviceSpec{core::DeviceSpec::Kind::Cpu, 0};
        engine.workers = 1;
        engine.batch = 1;
        window->advancedPanel()->setEngineSettings(engine);
        window->setOutputFolder(dir("out"));
        return window;
    }

    /// Starts the window's job and waits for it to end; false when it did not start or end.
    static bool runJob(app::MainWindow& window, int timeoutMs = 120000) {
        QSignalSpy ended(&window, &app::MainWindow::jobEnded);
        if (!window.startJob()) {
            return false;
        }
        return ended.wait(timeoutMs);
    }

    /// The index of the first log line (at or after `from`) containing `text`, or -1.
    static int findLine(const app::MainWindow& window, const QString& text, int from = 0) {
        const QStringList lines = window.logPanel()->lines();
        for (int i = from; i < lines.size(); ++i) {
            if (lines[i].contains(text)) {
                return i;
            }
        }
        return -1;
    }

    std::filesystem::path m_dir;
};

}  // namespace upscale::test
