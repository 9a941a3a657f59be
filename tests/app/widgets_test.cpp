// The window's parts without running a model: the queue and its drop area, the compare view,
// the French translation, settings kept across a restart, a model file that cannot be used.

#include <fstream>

#include <QMessageBox>

#include "app_test_util.hpp"
#include "common/video_clips.hpp"
#include "upscale/app/compare_view.hpp"
#include "upscale/app/queue_widget.hpp"
#include "upscale/models/manifest.hpp"
#include "upscale/models/model_file.hpp"

using namespace upscale;
using upscale::test::AppTest;
using upscale::test::dropUrls;

TEST_F(AppTest, DropOfTwoImagesAVideoAndAFolderFillsTheQueue) {
    const QString a = writeImage("a.png");
    const QString b = writeImage("b.jpg");
    writeImage("folder/d.png");
    writeImage("folder/c.bmp");
    std::ofstream(m_dir / "folder" / "notes.txt") << "not an image";
    ASSERT_EQ(test::makeClip("-f lavfi -i testsrc=size=32x24:rate=10 -frames:v 3 -c:v ffv1",
                             m_dir / "folder" / "clip.mkv"),
              "");
    std::ofstream(m_dir / "folder" / "fake.mkv") << "a video by its name only";
    ASSERT_EQ(test::makeClip("-f lavfi -i testsrc=size=32x24:rate=10 -frames:v 5 -c:v ffv1",
                             m_dir / "v.mkv"),
              "");
    app::MainWindow window;
    auto& queue = *window.queue();
    QSignalSpy counted(&queue, &app::QueueWidget::countChanged);
    QSignalSpy refused(&queue, &app::QueueWidget::refused);

    dropUrls(queue, {a, b, dir("v.mkv"), dir("folder")});

    ASSERT_EQ(queue.entries().size(), 6);
    EXPECT_EQ(queue.entries()[0].input, a);
    EXPECT_EQ(queue.entries()[1].input, b);
    EXPECT_TRUE(queue.entries()[2].input.endsWith(QStringLiteral("v.mkv")));
    // A video's frame count comes from its probe; an image is one frame.
    EXPECT_EQ(queue.entries()[2].frames, 5);
    EXPECT_TRUE(queue.entries()[2].video);
    EXPECT_EQ(queue.entries()[0].frames, 1);
    // A folder adds its images and videos in name order and skips everything else, a file
    // that only looks like a video by its name included.
    EXPECT_TRUE(queue.entries()[3].input.endsWith(QStringLiteral("folder/c.bmp")));
    EXPECT_TRUE(queue.entries()[4].input.endsWith(QStringLiteral("folder/clip.mkv")));
    EXPECT_TRUE(queue.entries()[5].input.endsWith(QStringLiteral("folder/d.png")));
    for (const auto& entry : queue.entries()) {
        EXPECT_EQ(entry.status, app::QueueEntry::Status::Waiting);
    }
    ASSERT_EQ(counted.size(), 1);
    EXPECT_EQ(counted.front().front().toInt(), 6);
    EXPECT_TRUE(refused.isEmpty());

    // Dropping the same files again adds nothing; remove and clear empty it.
    dropUrls(queue, {a});
    EXPECT_EQ(queue.entries().size(), 6);
    queue.setCurrentRow(0);
    queue.removeSelected();
    ASSERT_EQ(queue.entries().size(), 5);
    EXPECT_EQ(queue.entries()[0].input, b);
    queue.clear();
    EXPECT_TRUE(queue.entries().isEmpty());
}

TEST_F(AppTest, CompareViewShowsBeforeLeftOfTheSplitAndAfterRight) {
    QImage before(4, 4, QImage::Format_RGB32);
    before.fill(Qt::red);
    QImage after(16, 16, QImage::Format_RGB32);
    after.fill(Qt::blue);
    app::CompareView view;
    view.resize(200, 200);
    view.setImages(before, after);

    // The input is shown at the output's size: both fill the same square.
    EXPECT_EQ(view.imageRect(), QRectF(0, 0, 200, 200));
    QImage shot = view.grab().toImage();
    EXPECT_EQ(shot.pixelColor(40, 150), QColor(Qt::red));
    EXPECT_EQ(shot.pixelColor(160, 150), QColor(Qt::blue));

    view.setSplit(0.9);
    shot = view.grab().toImage();
    EXPECT_EQ(shot.pixelColor(160, 150), QColor(Qt::red));

    // Zoom magnifies around the centre and the wheel never goes below fitting the widget.
    view.setZoom(2.0);
    EXPECT_EQ(view.imageRect(), QRectF(-100, -100, 400, 400));
    view.setZoom(0.1);
    EXPECT_DOUBLE_EQ(view.zoom(), 1.0);
}

TEST_F(AppTest, FrenchTranslationChangesTheAdvancedPanelLabels) {
    app::MainWindow window;
    ASSERT_TRUE(window.setLanguage(QStringLiteral("en")));
    EXPECT_EQ(window.advancedPanel()->precisionLabelText(), QStringLiteral("Precision"));
    EXPECT_EQ(window.advancedPanel()->batchLabelText(), QStringLiteral("Batch size"));

    ASSERT_TRUE(window.setLanguage(QStringLiteral("fr")));
    EXPECT_EQ(window.language(), QStringLiteral("fr"));
    EXPECT_EQ(window.advancedPanel()->precisionLabelText(), QStringLiteral("Précision"));
    EXPECT_EQ(window.advancedPanel()->batchLabelText(), QStringLiteral("Taille des lots"));

    ASSERT_TRUE(window.setLanguage(QStringLiteral("en")));
    EXPECT_EQ(window.advancedPanel()->precisionLabelText(), QStringLiteral("Precision"));
    EXPECT_FALSE(window.setLanguage(QStringLiteral("xx")));
    EXPECT_EQ(window.language(), QStringLiteral("en"));
}

TEST_F(AppTest, SettingsSurviveARestartOfTheWindow) {
    const auto ownModel = m_dir / "own-model.safetensors";
    ASSERT_TRUE(
        models::convertModel(models::bundledModelsDir() / "realesr-general-x4v3.safetensors",
                             ownModel, models::DType::F16));
    const QString ownPath = QString::fromStdString(ownModel.string());
    {
        app::MainWindow window;
        // A model file dropped on the dropdown joins the list, chosen.
        dropUrls(*window.modelPicker(), {ownPath});
        EXPECT_EQ(window.modelPicker()->currentModel(), ownPath);
        window.modelPicker()->setCurrentModel(QStringLiteral("realesr-general-x4v3"));
        core::EngineSettings engine;
        engine.precision = core::Precision::None;
        engine.batch = 5;
        engine.workers = 3;
        engine.tile = 256;
        engine.device = core::DeviceSpec{core::DeviceSpec::Kind::Cpu, 0};
        window.advancedPanel()->setEngineSettings(engine);
        window.advancedPanel()->setOutputScale(2.0);
        window.advancedPanel()->setExpanded(true);
        window.setOutputFolder(dir("results"));
        ASSERT_TRUE(window.setLanguage(QStringLiteral("fr")));
        window.resize(900, 640);
        window.show();
        EXPECT_TRUE(window.close());
    }
    app::MainWindow window;
    EXPECT_EQ(window.modelPicker()->currentModel(), QStringLiteral("realesr-general-x4v3"));
    EXPECT_EQ(window.modelPicker()->userModels(), QStringList{ownPath});
    EXPECT_GE(window.modelPicker()->findData(ownPath), 0);
    const auto engine = window.advancedPanel()->engineSettings();
    EXPECT_EQ(engine.precision, core::Precision::None);
    EXPECT_EQ(engine.batch, 5);
    EXPECT_EQ(engine.workers, 3);
    EXPECT_EQ(engine.tile, 256);
    EXPECT_EQ(engine.device.kind, core::DeviceSpec::Kind::Cpu);
    EXPECT_DOUBLE_EQ(window.advancedPanel()->outputScale(), 2.0);
    EXPECT_TRUE(window.advancedPanel()->isExpanded());
    EXPECT_EQ(window.outputFolder(), dir("results"));
    EXPECT_EQ(window.language(), QStringLiteral("fr"));
    EXPECT_EQ(window.size(), QSize(900, 640));
    window.setLanguage(QStringLiteral("en"));
}

TEST_F(AppTest, ModelFileThatCannotBeUsedSaysWhyInADialogAndTheLog) {
    const auto bogus = m_dir / "broken.safetensors";
    std::ofstream(bogus) << "this is not a model";
    app::MainWindow window;
    const QString before = window.modelPicker()->currentModel();

    EXPECT_FALSE(window.modelPicker()->addModelFile(QString::fromStdString(bogus.string())));

    EXPECT_EQ(window.modelPicker()->currentModel(), before);
    EXPECT_TRUE(window.modelPicker()->userModels().isEmpty());
    auto* dialog = window.findChild<QMessageBox*>(QStringLiteral("errorDialog"));
    ASSERT_NE(dialog, nullptr);
    EXPECT_TRUE(dialog->text().contains(QStringLiteral("broken.safetensors")));
    QCoreApplication::processEvents();
    EXPECT_GE(findLine(window, QStringLiteral("[error]")), 0);
    EXPECT_GE(findLine(window, QStringLiteral("broken.safetensors")), 0);
}
