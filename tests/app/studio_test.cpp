// An artist's whole workflow, driving the real window: running finished items again with
// another model and each choice for an existing output, progress by frames for a video,
// Cancel then Resume, a mixed queue with each kind's own settings, the queue's keyboard and
// drop handling, and the compare view's zoom and pan.

#include <QAbstractItemView>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QTableWidget>
#include <QTest>

#include "app_test_util.hpp"
#include "common/test_paths.hpp"
#include "common/video_clips.hpp"
#include "upscale/app/compare_view.hpp"
#include "upscale/app/error_text.hpp"
#include "upscale/app/job_controller.hpp"
#include "upscale/app/output_options.hpp"
#include "upscale/app/queue_widget.hpp"
#include "upscale/core/logging.hpp"

using namespace upscale;
using upscale::test::AppTest;

namespace {

QByteArray hashOf(const QString& file) {
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly)) {
        return {};
    }
    return QCryptographicHash::hash(in.readAll(), QCryptographicHash::Sha256);
}

/// The output files of a folder, by name.
QStringList filesIn(const QString& folder) {
    return QDir(folder).entryList(QDir::Files, QDir::Name);
}

}  // namespace

class StudioTest : public AppTest {
protected:
    /// A clip of `frames` frames at 10 frames/s, 32x24, FFV1 in MKV; its path.
    QString writeClip(const std::string& name, int frames) const {
        const auto path = m_dir / name;
        const std::string made =
            test::makeClip("-f lavfi -i testsrc=size=32x24:rate=10 -frames:v " +
                               std::to_string(frames) + " -c:v ffv1",
                           path);
        EXPECT_EQ(made, "");
        return QString::fromStdString(path.string());
    }
};

TEST_F(StudioTest, AFinishedRowRunsAgainWithAnotherModelAndEachExistingOutputChoice) {
    auto window = makeWindow();
    const QString input = writeImage("a.png");
    window->queue()->addPaths({input});
    ASSERT_TRUE(runJob(*window));
    const QString first = dir("out") + QStringLiteral("/a_x4.png");
    const QByteArray firstHash = hashOf(first);
    ASSERT_FALSE(firstHash.isEmpty());
    ASSERT_EQ(window->queue()->entries().front().status, app::QueueEntry::Status::Done);

    // Start with nothing waiting runs the selected row again, here with another model. The
    // default keeps both files: the new result takes a numbered name.
    window->modelPicker()->setCurrentModel(QStringLiteral("realesr-general-x4v3"));
    window->queue()->setCurrentRow(0);
    EXPECT_EQ(window->outputOptions()->existing(), app::OutputOptions::Existing::KeepBoth);
    ASSERT_TRUE(runJob(*window));
    EXPECT_EQ(filesIn(dir("out")), (QStringList{"a_x4-2.png", "a_x4.png"}));
    EXPECT_EQ(hashOf(first), firstHash);
    const QByteArray secondHash = hashOf(dir("out") + QStringLiteral("/a_x4-2.png"));
    EXPECT_NE(secondHash, firstHash) << "another model gives another picture";
    EXPECT_EQ(window->queue()->entries().front().output,
              dir("out") + QStringLiteral("/a_x4-2.png"));

    // Replace writes over the existing output and adds nothing.
    window->outputOptions()->setExisting(app::OutputOptions::Existing::Replace);
    window->queue()->setCurrentRow(0);
    ASSERT_TRUE(runJob(*window));
    EXPECT_EQ(filesIn(dir("out")), (QStringList{"a_x4-2.png", "a_x4.png"}));
    EXPECT_EQ(hashOf(first), secondHash);

    // Skip leaves every file as it is and says so in the row.
    window->modelPicker()->setCurrentModel(QStringLiteral("realesr-animevideov3"));
    window->outputOptions()->setExisting(app::OutputOptions::Existing::Skip);
    window->queue()->setCurrentRow(0);
    ASSERT_TRUE(runJob(*window));
    EXPECT_EQ(filesIn(dir("out")), (QStringList{"a_x4-2.png", "a_x4.png"}));
    EXPECT_EQ(hashOf(first), secondHash);
    EXPECT_EQ(window->queue()->entries().front().status, app::QueueEntry::Status::Skipped);
    EXPECT_TRUE(window->statusMessage().contains(QStringLiteral("1 skipped")))
        << window->statusMessage().toStdString();
}

TEST_F(StudioTest, ProgressCountsTheFramesOfAVideoOnlyQueue) {
    const QString clip = writeClip("clip.mkv", 12);
    auto window = makeWindow();
    window->queue()->addPaths({clip});
    ASSERT_EQ(window->queue()->entries().front().frames, 12);

    struct Seen {
        int value, maximum;
        double secondsLeft;
        qint64 rowDone;
    };
    std::vector<Seen> seen;
    bool ended = false;
    QObject::connect(window->controller(), &app::JobController::eventReceived, window.get(),
                     [&](const core::Event& e) {
                         if (std::holds_alternative<core::Batch>(e) && !ended) {
                             const auto [value, maximum] = window->progress();
                             seen.push_back({value, maximum, window->secondsLeft(),
                                             window->queue()->entries().front().framesDone});
                         }
                         ended = ended || std::holds_alternative<core::ItemFinished>(e);
                     });
    ASSERT_TRUE(runJob(*window));

    ASSERT_GE(seen.size(), 6U);
    // Frames, not items: the bar moves before the video ends, and the row counts its frames.
    EXPECT_EQ(seen.front().maximum, 12);
    EXPECT_GT(seen.front().value, 0);
    EXPECT_LT(seen.front().value, 12);
    EXPECT_EQ(seen.front().rowDone, seen.front().value);
    for (std::size_t i = 1; i < seen.size(); ++i) {
        EXPECT_GT(seen[i].value, seen[i - 1].value);
    }
    // The time left is known after the first batch and goes down as frames are done.
    EXPECT_GE(seen.front().secondsLeft, 0.0);
    EXPECT_LT(seen[seen.size() - 2].secondsLeft, seen.front().secondsLeft);
    EXPECT_EQ(window->progress(), (std::pair<int, int>{12, 12}));
    EXPECT_TRUE(window->progressText().startsWith(QStringLiteral("12 of 12 frames")))
        << window->progressText().toStdString();
}

TEST_F(StudioTest, ResumeAfterCancelFinishesTheVideoAtOnce) {
    // 8 s at 10 frames/s: the first 5 s segment is closed before the cancel.
    const QString clip = writeClip("long.mkv", 80);
    auto window = makeWindow();
    window->queue()->addPaths({clip});
    auto* controller = window->controller();
    auto cancelAfterFrames = QObject::connect(controller, &app::JobController::eventReceived,
                                              window.get(), [&](const core::Event& e) {
                                                  const auto* batch = std::get_if<core::Batch>(&e);
                                                  if (batch != nullptr && batch->framesDone >= 60) {
                                                      window->cancelJob();
                                                  }
                                              });
    ASSERT_TRUE(runJob(*window));
    QObject::disconnect(cancelAfterFrames);

    // Cancelled, not failed, and counted apart.
    const auto& entry = window->queue()->entries().front();
    EXPECT_EQ(entry.status, app::QueueEntry::Status::Cancelled);
    EXPECT_TRUE(entry.error.isEmpty());
    EXPECT_TRUE(window->canResume());
    EXPECT_TRUE(window->statusMessage().contains(QStringLiteral("Resume")));
    const QString output = dir("out") + QStringLiteral("/long_x4.mkv");
    EXPECT_FALSE(QFileInfo::exists(output));

    QSignalSpy ended(window.get(), &app::MainWindow::jobEnded);
    ASSERT_TRUE(window->resumeJob());
    ASSERT_TRUE(ended.wait(120000));
    EXPECT_EQ(window->queue()->entries().front().status, app::QueueEntry::Status::Done);
    EXPECT_EQ(test::frameTimes(output.toStdString()).size(), 80U);
    // It went on after the closed segment rather than starting over.
    const int resumed = findLine(*window, QStringLiteral("Resuming"));
    ASSERT_GE(resumed, 0);
    EXPECT_TRUE(window->logPanel()->lines()[resumed].contains(QStringLiteral("50 frame(s)")))
        << window->logPanel()->lines()[resumed].toStdString();
    EXPECT_FALSE(window->canResume());
}

TEST_F(StudioTest, AMixedQueueWritesAnMkvH265VideoAndPngImages) {
    const QString photo = writeImage("photo.jpg", 20, 16);
    const QString clip = writeClip("clip.mkv", 4);
    auto window = makeWindow();
    window->queue()->addPaths({photo, clip});
    EXPECT_TRUE(window->outputOptions()->videoShown());
    window->outputOptions()->setImageFormat(QStringLiteral("png"));
    window->outputOptions()->setVideoFormat(QStringLiteral("mkv"));
    window->outputOptions()->setCodec(QStringLiteral("h265"));
    window->outputOptions()->setQuality(30);
    window->outputOptions()->setPreset(QStringLiteral("ultrafast"));

    ASSERT_TRUE(runJob(*window));

    EXPECT_EQ(filesIn(dir("out")), (QStringList{"clip_x4.mkv", "photo_x4.png"}));
    EXPECT_EQ(QImage(dir("out") + QStringLiteral("/photo_x4.png")).size(), QSize(80, 64));
    const auto video = (m_dir / "out" / "clip_x4.mkv");
    const auto stream = test::videoStream(video);
    EXPECT_EQ(stream.value("codec_name", ""), "hevc") << stream.dump();
    EXPECT_EQ(stream.value("width", 0), 128);
    const auto format = test::probeJson(video, "-show_format").value("format", nlohmann::json{});
    EXPECT_NE(format.value("format_name", "").find("matroska"), std::string::npos);
    EXPECT_EQ(test::frameTimes(video).size(), 4U);
    // The encoder was given the chosen quality and speed: x265 writes them into the stream.
    const auto encoded = test::runCommand("grep -a -o 'crf=30.0' " + test::quoted(video));
    EXPECT_EQ(encoded.code, 0) << "no crf=30.0 in the x265 settings";
    const auto preset = test::runCommand("grep -a -o 'rc-lookahead=5 ' " + test::quoted(video));
    EXPECT_EQ(preset.code, 0) << "ultrafast's look-ahead is 5 frames";
}

TEST_F(StudioTest, AFileAlreadyQueuedIsSelectedAndAnUnusableOneIsRefusedByName) {
    const QString a = writeImage("a.png");
    const QString b = writeImage("b.png");
    std::ofstream(m_dir / "notes.txt") << "words";
    std::ofstream(m_dir / "fake.mp4") << "not a video";
    auto window = makeWindow();
    auto& queue = *window->queue();
    queue.addPaths({a, b});
    queue.setCurrentRow(0);

    QSignalSpy known(&queue, &app::QueueWidget::alreadyQueued);
    EXPECT_EQ(queue.addPaths({b}), 0);
    ASSERT_EQ(known.size(), 1);
    EXPECT_EQ(queue.selectedRows(), QVector<int>{1});
    EXPECT_TRUE(window->statusMessage().contains(QStringLiteral("b.png")))
        << window->statusMessage().toStdString();

    test::dropUrls(queue, {dir("notes.txt"), dir("fake.mp4"), dir("missing.png")});
    EXPECT_EQ(queue.entries().size(), 2);
    const QString message = window->statusMessage();
    for (const char* name : {"notes.txt", "fake.mp4", "missing.png"}) {
        EXPECT_TRUE(message.contains(QLatin1String(name))) << message.toStdString();
    }
    QCoreApplication::processEvents();
    EXPECT_GE(findLine(*window, QStringLiteral("Not added: notes.txt")), 0);
}

TEST_F(StudioTest, TheQueueIsDrivenByKeyboardAndFailedRowsShowTheirWholeError) {
    const QString bad = dir() + QStringLiteral("/broken.png");
    {
        QFile file(bad);
        ASSERT_TRUE(file.open(QIODevice::WriteOnly));
        file.write("this is not a PNG");
    }
    auto window = makeWindow();
    window->show();
    auto& queue = *window->queue();
    queue.addPaths({bad, writeImage("a.png"), writeImage("b.png")});
    ASSERT_TRUE(runJob(*window));
    const auto& failed = queue.entries().front();
    ASSERT_EQ(failed.status, app::QueueEntry::Status::Failed);
    // The window's own words first, then the library's details naming the file.
    EXPECT_TRUE(failed.error.startsWith(QStringLiteral("'broken.png'")))
        << failed.error.toStdString();
    EXPECT_TRUE(failed.error.contains(QStringLiteral("Details: ")));
    auto* table = queue.findChild<QTableWidget*>(QStringLiteral("table"));
    ASSERT_NE(table, nullptr);
    EXPECT_EQ(table->item(0, 1)->toolTip(), failed.error);
    queue.setCurrentRow(0);
    auto* details = queue.findChild<QLabel*>(QStringLiteral("details"));
    ASSERT_NE(details, nullptr);
    EXPECT_TRUE(details->isVisible());
    EXPECT_EQ(details->text(), failed.error);

    // Delete removes the selected rows; Tab leaves the table.
    table->setFocus();
    table->selectRow(0);
    table->selectionModel()->select(table->model()->index(2, 0),
                                    QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QTest::keyClick(table, Qt::Key_Delete);
    ASSERT_EQ(queue.entries().size(), 1);
    EXPECT_TRUE(queue.entries().front().input.endsWith(QStringLiteral("a.png")));
    table->setFocus();
    QTest::keyClick(table, Qt::Key_Tab);
    EXPECT_FALSE(table->hasFocus());
}

TEST_F(StudioTest, TheResultIsShownWhenAnItemFinishesUnlessTheUserLooksAtAnother) {
    auto window = makeWindow();
    window->queue()->addPaths({writeImage("a.png"), writeImage("b.png", 28, 20)});
    ASSERT_TRUE(runJob(*window));
    // Nobody chose a row: the preview followed the results to the last one.
    EXPECT_EQ(window->queue()->currentRow(), 1);
    EXPECT_TRUE(window->preview()->hasAfter());

    window->queue()->addPaths({writeImage("c.png")});
    ASSERT_TRUE(runJob(*window));
    EXPECT_EQ(window->queue()->currentRow(), 2);

    window->queue()->setCurrentRow(1);
    window->queue()->addPaths({writeImage("d.png")});
    auto lookAtFirst = QObject::connect(window->controller(), &app::JobController::eventReceived,
                                        window.get(), [&](const core::Event& e) {
                                            if (std::holds_alternative<core::ItemStarted>(e)) {
                                                window->queue()->setCurrentRow(0);
                                            }
                                        });
    ASSERT_TRUE(runJob(*window));
    QObject::disconnect(lookAtFirst);
    EXPECT_EQ(window->queue()->currentRow(), 0);
}

TEST_F(StudioTest, CompareViewZoomsAboutThePointerPansAndSwaps) {
    QImage before(10, 10, QImage::Format_RGB32);
    before.fill(Qt::red);
    QImage after(100, 100, QImage::Format_RGB32);
    after.fill(Qt::blue);
    app::CompareView view;
    view.resize(200, 200);
    view.setImages(before, after);
    ASSERT_EQ(view.imageRect(), QRectF(0, 0, 200, 200));

    // The image point under the pointer stays under it.
    view.zoomAt(QPointF(50, 150), 2.0);
    EXPECT_EQ(view.imageRect(), QRectF(-50, -150, 400, 400));
    view.pan(QPointF(30, -10));
    EXPECT_EQ(view.imageRect(), QRectF(-20, -160, 400, 400));
    // Dragging with the right button pans too.
    QTest::mousePress(&view, Qt::RightButton, {}, QPoint(100, 100));
    QTest::mouseMove(&view, QPoint(110, 120));
    QTest::mouseRelease(&view, Qt::RightButton, {}, QPoint(110, 120));
    EXPECT_EQ(view.imageRect(), QRectF(-10, -140, 400, 400));

    view.actualSize();
    EXPECT_EQ(view.imageRect(), QRectF(50, 50, 100, 100));
    view.fit();
    EXPECT_EQ(view.imageRect(), QRectF(0, 0, 200, 200));

    view.setSplit(0.5);
    QImage shot = view.grab().toImage();
    EXPECT_EQ(shot.pixelColor(40, 150), QColor(Qt::red));
    view.swap();
    shot = view.grab().toImage();
    EXPECT_EQ(shot.pixelColor(40, 150), QColor(Qt::blue));
    EXPECT_EQ(shot.pixelColor(160, 150), QColor(Qt::red));
}

TEST_F(StudioTest, TheLogShowsInfoByDefaultFollowsNewLinesAndClears) {
    app::MainWindow window;
    auto* log = window.logPanel();
    core::logger("app")->set_level(spdlog::level::debug);
    core::logger("app")->debug("a debug line");
    core::logger("app")->info("an info line");
    QCoreApplication::processEvents();
    EXPECT_FALSE(log->toPlainText().contains(QStringLiteral("a debug line")));
    EXPECT_TRUE(log->toPlainText().contains(QStringLiteral("an info line")));
    log->setShowDebug(true);
    core::logger("app")->debug("another debug line");
    QCoreApplication::processEvents();
    EXPECT_TRUE(log->toPlainText().contains(QStringLiteral("another debug line")));
    core::logger("app")->set_level(spdlog::level::info);

    log->clearLog();
    EXPECT_TRUE(log->lines().isEmpty());
    EXPECT_TRUE(log->toPlainText().isEmpty());
}

TEST_F(StudioTest, TheFrenchCatalogueIsCompleteAndEngineMessagesAreTranslated) {
    const QString catalogue =
        QString::fromStdString((std::filesystem::path(UPSCALE_TEST_MODELS_DIR).parent_path() /
                                "ui" / "translations" / "upscale-studio_fr.ts")
                                   .string());
    QFile file(catalogue);
    ASSERT_TRUE(file.open(QIODevice::ReadOnly)) << catalogue.toStdString();
    const QString text = QString::fromUtf8(file.readAll());
    EXPECT_GT(text.count(QStringLiteral("<message")), 150);
    EXPECT_EQ(text.count(QStringLiteral("type=\"unfinished\"")), 0);
    EXPECT_EQ(text.count(QStringLiteral("<translation></translation>")), 0);

    app::MainWindow window;
    ASSERT_TRUE(window.setLanguage(QStringLiteral("fr")));
    // Qt's own dialogs and buttons speak French too.
    EXPECT_EQ(QCoreApplication::translate("QPlatformTheme", "Cancel"), QStringLiteral("Annuler"));
    // An engine error is worded by the window from its code, facts and remedy.
    const core::Error exists{core::ErrorCode::InvalidArgument,
                             "The output '/tmp/out/a_x4.png' already exists.",
                             core::Remedy::ReplaceOutput, "/tmp/out/a_x4.png"};
    const app::ErrorText worded = app::describeError(exists);
    EXPECT_EQ(worded.summary, QStringLiteral("Le fichier de sortie « a_x4.png » existe déjà."));
    EXPECT_FALSE(worded.advice.contains(QStringLiteral("--")));
    EXPECT_TRUE(worded.advice.contains(QStringLiteral("Remplacer"))) << worded.advice.toStdString();
    EXPECT_EQ(worded.details, QString::fromStdString(exists.message));
    window.setLanguage(QStringLiteral("en"));
    EXPECT_EQ(app::describeError(exists).sentence(),
              QStringLiteral("The output 'a_x4.png' already exists. Choose Keep both or Replace "
                             "under If the output exists, or another output folder, then press "
                             "Start."));
}
