// Runs through the window as a user does: the job runs on the controller's thread, the queue and
// the log follow it, precision changes apply on the next run, Cancel stops the queue.

#include <QApplication>
#include <QFileInfo>
#include <QMessageBox>
#include <QPushButton>
#include <QTimer>

#include "app_test_util.hpp"
#include "upscale/app/compare_view.hpp"
#include "upscale/app/job_controller.hpp"
#include "upscale/app/queue_widget.hpp"
#include "upscale/models/manifest.hpp"
#include "upscale/models/model_file.hpp"

using namespace upscale;
using upscale::test::AppTest;

TEST_F(AppTest, RunOnATinyImageWritesTheOutputAndLogsEveryStep) {
    const QString input = writeImage("tiny.png");
    auto window = makeWindow();
    window->queue()->addPaths({input});
    QSignalSpy running(window->controller(), &app::JobController::runningChanged);

    ASSERT_TRUE(runJob(*window));

    const QString output = dir("out") + QStringLiteral("/tiny_x4.png");
    const QImage result(output);
    ASSERT_FALSE(result.isNull()) << output.toStdString();
    EXPECT_EQ(result.size(), QSize(96, 96));
    const auto& entry = window->queue()->entries().front();
    EXPECT_EQ(entry.status, app::QueueEntry::Status::Done);
    EXPECT_EQ(entry.inputSize, QSize(24, 24));
    EXPECT_EQ(entry.outputSize, QSize(96, 96));
    EXPECT_EQ(entry.output, output);
    ASSERT_EQ(running.size(), 2);
    EXPECT_TRUE(running[0][0].toBool());
    EXPECT_FALSE(running[1][0].toBool());

    const int loaded =
        findLine(*window, QStringLiteral("realesr-animevideov3 loaded on CPU (FP32)"));
    const int batch = findLine(*window, QStringLiteral("Batch 1: 1 frame upscaled and saved:"));
    const int finished = findLine(*window, QStringLiteral("Finished: 1 succeeded, 0 failed"));
    EXPECT_GE(loaded, 0);
    EXPECT_GT(batch, loaded);
    EXPECT_GT(finished, batch);
    EXPECT_TRUE(window->logPanel()->lines()[batch].contains(QStringLiteral("tiny_x4.png")));

    // Selecting the finished item shows the input left of the split and the output right of it.
    window->queue()->setCurrentRow(0);
    const QImage shot = window->preview()->grab().toImage();
    const QRectF shown = window->preview()->imageRect();
    ASSERT_FALSE(shown.isEmpty());
    EXPECT_DOUBLE_EQ(shown.width(), shown.height());
    // A point a twentieth from the left edge shows input pixel (1, 18), enlarged.
    const QColor left = shot.pixelColor(
        QPointF(shown.left() + shown.width() * 0.06, shown.top() + shown.height() * 0.77)
            .toPoint());
    const QColor expected = QImage(input).pixelColor(1, 18);
    EXPECT_NEAR(left.red(), expected.red(), 8);
    EXPECT_NEAR(left.green(), expected.green(), 8);
    EXPECT_NEAR(left.blue(), expected.blue(), 8);
}

TEST_F(AppTest, PrecisionChangesApplyOnTheNextRunAndReuseTheCachedModel) {
    // FP16 cannot run on the CPU, so a BF16 copy of the fast model shows the precision-keyed
    // cache: FP32 loads, None (its own BF16) loads, FP32 again comes from the cache.
    const auto bundled = models::bundledModelsDir() / "realesr-animevideov3.safetensors";
    const auto bf16 = m_dir / "anime-bf16.safetensors";
    ASSERT_TRUE(models::convertModel(bundled, bf16, models::DType::BF16));
    auto window = makeWindow();
    ASSERT_TRUE(window->modelPicker()->addModelFile(QString::fromStdString(bf16.string())));
    const QString input = writeImage("tiny.png");

    const core::Precision order[] = {core::Precision::FP32, core::Precision::None,
                                     core::Precision::FP32};
    for (int run = 0; run < 3; ++run) {
        window->queue()->clear();
        window->queue()->addPaths({input});
        window->setOutputFolder(dir("out" + std::to_string(run)));
        window->advancedPanel()->setPrecision(order[run]);
        ASSERT_TRUE(runJob(*window)) << "run " << run;
        EXPECT_EQ(window->queue()->entries().front().status, app::QueueEntry::Status::Done);
    }

    const int first = findLine(*window, QStringLiteral("anime-bf16 loaded on CPU (FP32)"));
    const int second = findLine(*window, QStringLiteral("anime-bf16 loaded on CPU (BF16)"));
    const int third = findLine(*window, QStringLiteral("Using cached model: anime-bf16 (FP32)"));
    EXPECT_GE(first, 0);
    EXPECT_GT(second, first);
    EXPECT_GT(third, second);
    EXPECT_EQ(findLine(*window, QStringLiteral("Using cached model"), 0), third);
}

TEST_F(AppTest, Fp16OnTheCpuFallsBackToFp32WithAWarning) {
    auto window = makeWindow();
    window->queue()->addPaths({writeImage("tiny.png")});
    window->advancedPanel()->setPrecision(core::Precision::FP16);

    ASSERT_TRUE(runJob(*window));

    const int warning =
        findLine(*window, QStringLiteral("[warning] FP16 is not supported on the CPU"));
    EXPECT_GE(warning, 0);
    EXPECT_GT(findLine(*window, QStringLiteral("loaded on CPU (FP32)")), warning);
    EXPECT_EQ(window->queue()->entries().front().status, app::QueueEntry::Status::Done);
}

TEST_F(AppTest, TheSecondJobInTheWindowWarnsAsTheFirst) {
    auto window = makeWindow();
    const QString input = writeImage("tiny.png");
    window->advancedPanel()->setPrecision(core::Precision::FP16);
    const QString warning = QStringLiteral("[warning] FP16 is not supported on the CPU");
    int from = 0;
    for (int run = 0; run < 2; ++run) {
        window->queue()->clear();
        window->queue()->addPaths({input});
        window->setOutputFolder(dir("out" + std::to_string(run)));
        ASSERT_TRUE(runJob(*window)) << "run " << run;
        EXPECT_EQ(window->queue()->entries().front().status, app::QueueEntry::Status::Done);
        // Each job warns once, before its model line: loaded, then from the window's cache.
        const int at = findLine(*window, warning, from);
        ASSERT_GE(at, 0) << "run " << run;
        EXPECT_EQ(findLine(*window, warning, at + 1), -1) << "run " << run;
        const QString model = run == 0 ? QStringLiteral("loaded on CPU (FP32)")
                                       : QStringLiteral("Using cached model: realesr-animevideov3");
        EXPECT_GT(findLine(*window, model, from), at) << "run " << run;
        from = at + 1;
    }
}

TEST_F(AppTest, FailedItemShowsItsErrorAndTheRestOfTheQueueGoesOn) {
    const QString bad = dir() + QStringLiteral("/broken.png");
    {
        QFile file(bad);
        ASSERT_TRUE(file.open(QIODevice::WriteOnly));
        file.write("this is not a PNG");
    }
    const QString good = writeImage("good.png");
    auto window = makeWindow();
    window->queue()->addPaths({bad, good});

    ASSERT_TRUE(runJob(*window));

    const auto& entries = window->queue()->entries();
    ASSERT_EQ(entries.size(), 2);
    EXPECT_EQ(entries[0].status, app::QueueEntry::Status::Failed);
    EXPECT_TRUE(entries[0].error.contains(QStringLiteral("broken.png")))
        << entries[0].error.toStdString();
    EXPECT_EQ(entries[1].status, app::QueueEntry::Status::Done);
    EXPECT_TRUE(QFileInfo::exists(dir("out") + QStringLiteral("/good_x4.png")));
    EXPECT_FALSE(QFileInfo::exists(dir("out") + QStringLiteral("/broken_x4.png")));
    const int error = findLine(*window, QStringLiteral("[error]"));
    ASSERT_GE(error, 0);
    EXPECT_TRUE(window->logPanel()->lines()[error].contains(QStringLiteral("broken.png")));
    EXPECT_GE(findLine(*window, QStringLiteral("Finished: 1 succeeded, 1 failed")), 0);

    // Re-running failed items puts them back in the queue, and only them.
    window->queue()->retryFailed();
    EXPECT_EQ(window->queue()->waitingRows(), QVector<int>{0});
}

TEST_F(AppTest, CancelStopsTheQueueWithinOneBatch) {
    constexpr int kItems = 8;
    QStringList inputs;
    for (int i = 0; i < kItems; ++i) {
        inputs.append(writeImage("in/img" + std::to_string(i) + ".png", 96, 96));
    }
    auto window = makeWindow();
    window->queue()->addPaths(inputs);
    int doneAtCancel = -1;
    QObject::connect(window->controller(), &app::JobController::eventReceived, window.get(),
                     [&](const core::Event& event) {
                         const auto* finished = std::get_if<core::ItemFinished>(&event);
                         if (finished != nullptr && doneAtCancel < 0) {
                             doneAtCancel = finished->itemIndex + 1;
                             window->cancelJob();
                         }
                     });

    ASSERT_TRUE(runJob(*window));

    ASSERT_EQ(doneAtCancel, 1);
    int done = 0;
    int cancelled = 0;
    for (const auto& entry : window->queue()->entries()) {
        done += entry.status == app::QueueEntry::Status::Done ? 1 : 0;
        cancelled += entry.status == app::QueueEntry::Status::Cancelled ? 1 : 0;
    }
    // At the cancel, one item may already be written with its event on the way, and the
    // engine finishes the batch it is in; nothing after that starts.
    EXPECT_LE(done, doneAtCancel + 2);
    EXPECT_EQ(done + cancelled, kItems);
    EXPECT_GE(findLine(*window, QStringLiteral("Cancelled:")), 0);
    EXPECT_FALSE(window->isRunning());
}

TEST_F(AppTest, ClosingDuringARunAsksThenCancelsCleanly) {
    constexpr int kItems = 6;
    QStringList inputs;
    for (int i = 0; i < kItems; ++i) {
        inputs.append(writeImage("in/img" + std::to_string(i) + ".png", 96, 96));
    }
    auto window = makeWindow();
    window->show();
    window->queue()->addPaths(inputs);
    ASSERT_TRUE(window->startJob());

    // Answers the question the window asks with `button`, once it is on screen.
    QStringList asked;
    const auto answerWith = [&](QMessageBox::StandardButton button) {
        auto* timer = new QTimer(window.get());
        QObject::connect(timer, &QTimer::timeout, timer, [&asked, timer, button] {
            if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget())) {
                asked.append(box->text());
                timer->stop();
                timer->deleteLater();
                box->button(button)->click();
            }
        });
        timer->start(10);
    };

    answerWith(QMessageBox::No);
    EXPECT_FALSE(window->close());
    EXPECT_TRUE(window->isRunning());

    answerWith(QMessageBox::Yes);
    EXPECT_TRUE(window->close());
    EXPECT_FALSE(window->isRunning());
    ASSERT_EQ(asked.size(), 2);
    EXPECT_TRUE(asked[0].contains(QStringLiteral("A job is running")));
    int cancelled = 0;
    for (const auto& entry : window->queue()->entries()) {
        EXPECT_NE(entry.status, app::QueueEntry::Status::Running);
        cancelled += entry.status == app::QueueEntry::Status::Cancelled ? 1 : 0;
    }
    EXPECT_GT(cancelled, 0);
    EXPECT_GE(findLine(*window, QStringLiteral("Cancelled:")), 0);
}

TEST_F(AppTest, ModelThatFailsToLoadAtStartSaysWhyAndKeepsTheQueue) {
    const auto own = m_dir / "own.safetensors";
    ASSERT_TRUE(models::convertModel(
        models::bundledModelsDir() / "realesr-animevideov3.safetensors", own, models::DType::F32));
    auto window = makeWindow();
    ASSERT_TRUE(window->modelPicker()->addModelFile(QString::fromStdString(own.string())));
    // The file is damaged after it was chosen: the engine finds out when the job loads it.
    std::filesystem::resize_file(own, std::filesystem::file_size(own) / 2);
    window->queue()->addPaths({writeImage("tiny.png")});
    QSignalSpy failed(window->controller(), &app::JobController::jobFailed);

    ASSERT_TRUE(runJob(*window));

    ASSERT_EQ(failed.size(), 1);
    const QString message = failed.front().front().toString();
    EXPECT_TRUE(message.contains(QStringLiteral("own.safetensors"))) << message.toStdString();
    auto* dialog = window->findChild<QMessageBox*>(QStringLiteral("errorDialog"));
    ASSERT_NE(dialog, nullptr);
    EXPECT_EQ(dialog->text(), message);
    EXPECT_GE(findLine(*window, QStringLiteral("[error]")), 0);
    // Nothing ran, so the item waits for the next Start.
    EXPECT_EQ(window->queue()->entries().front().status, app::QueueEntry::Status::Waiting);
    EXPECT_FALSE(QFileInfo::exists(dir("out") + QStringLiteral("/tiny_x4.png")));
}

TEST_F(AppTest, AnInterruptedJobIsOfferedForResumeAndSkipsWhatWasFinished) {
    const QString first = writeImage("in/a.png");
    const QString second = writeImage("in/b.png", 28, 20);
    {
        auto window = makeWindow();
        window->queue()->addPaths({first, second});
        // Stop the job once the first item is saved, as a crash or a Cancel would.
        QObject::connect(window->controller(), &app::JobController::eventReceived, window.get(),
                         [&window](const core::Event& e) {
                             if (std::holds_alternative<core::ItemFinished>(e)) {
                                 window->cancelJob();
                             }
                         });
        QSignalSpy ended(window.get(), &app::MainWindow::jobEnded);
        ASSERT_TRUE(window->startJob());
        // While it runs, the stored settings already name the job as interrupted: a crash now
        // leaves it to be resumed.
        EXPECT_EQ(app::AppSettings::load().interruptedQueue, (QStringList{first, second}));
        ASSERT_TRUE(ended.wait(120000));
        EXPECT_TRUE(QFileInfo::exists(dir("out") + QStringLiteral("/a_x4.png")));
        window->saveSettings();
    }

    // The next start offers Resume, with the queue of the interrupted job.
    auto window = makeWindow();
    EXPECT_TRUE(window->canResume());
    ASSERT_EQ(window->queue()->entries().size(), 2);
    QSignalSpy ended(window.get(), &app::MainWindow::jobEnded);
    ASSERT_TRUE(window->resumeJob());
    ASSERT_TRUE(ended.wait(120000));
    const int skipped = findLine(*window, QStringLiteral("was finished by an earlier run"));
    ASSERT_GE(skipped, 0);
    EXPECT_TRUE(window->logPanel()->lines()[skipped].contains(QStringLiteral("a.png")));
    const QImage result(dir("out") + QStringLiteral("/b_x4.png"));
    EXPECT_EQ(result.size(), QSize(112, 80));
    for (const auto& entry : window->queue()->entries()) {
        EXPECT_EQ(entry.status, app::QueueEntry::Status::Done) << entry.input.toStdString();
    }
    // A job that ran to its end is not offered again.
    EXPECT_FALSE(window->canResume());
    EXPECT_TRUE(app::AppSettings::load().interruptedQueue.isEmpty());
}
