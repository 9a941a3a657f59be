// The window's format menus and its model drop area follow the format tables.

#include <QComboBox>
#include <QMimeData>

#include "app_test_util.hpp"
#include "upscale/app/model_picker.hpp"
#include "upscale/app/output_options.hpp"
#include "upscale/media/formats.hpp"
#include "upscale/models/model_formats.hpp"
#include "upscale/pipeline/job.hpp"

using namespace upscale;
using upscale::test::AppTest;

namespace {

/// The data of every entry after the first ("same as the input").
QStringList offered(const QComboBox& combo) {
    QStringList data;
    for (int i = 1; i < combo.count(); ++i) {
        data.append(combo.itemData(i).toString());
    }
    return data;
}

QStringList written(const std::vector<media::FileFormat>& formats) {
    QStringList extensions;
    for (const auto& format : formats) {
        if (format.writable) {
            extensions.append(
                QString::fromStdString(std::string(format.extensions.front().substr(1))));
        }
    }
    return extensions;
}

bool acceptsDrag(QWidget& target, const QString& path) {
    QMimeData data;
    data.setUrls({QUrl::fromLocalFile(path)});
    QDragEnterEvent enter(QPoint(1, 1), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&target, &enter);
    return enter.isAccepted();
}

}  // namespace

TEST_F(AppTest, TheFormatMenusOfferEveryWrittenFormatOfTheTables) {
    app::OutputOptions options;
    const auto* images = options.findChild<QComboBox*>(QStringLiteral("imageFormatCombo"));
    const auto* videos = options.findChild<QComboBox*>(QStringLiteral("videoFormatCombo"));
    ASSERT_NE(images, nullptr);
    ASSERT_NE(videos, nullptr);
    EXPECT_EQ(offered(*images), written(media::filesOf(media::imageFormats())));
    EXPECT_EQ(offered(*videos), written(media::filesOf(media::videoContainers())) +
                                    written(media::filesOf(media::animationFormats())));
    EXPECT_EQ(images->itemText(1), QStringLiteral("PNG"));
}

TEST_F(AppTest, AnAnimationOutputDisablesTheVideoCodecAndLeavesItOutOfTheJob) {
    app::OutputOptions options;
    auto* codec = options.findChild<QComboBox*>(QStringLiteral("codecCombo"));
    ASSERT_NE(codec, nullptr);
    options.setCodec(QStringLiteral("h265"));
    options.setQuality(20);

    options.setVideoFormat(QStringLiteral("mkv"));
    EXPECT_FALSE(options.animationChosen());
    EXPECT_TRUE(codec->isEnabled());
    pipeline::JobSettings job;
    options.apply(job);
    EXPECT_EQ(job.videoFormat, "mkv");
    EXPECT_EQ(job.video.codec, "h265");
    EXPECT_EQ(job.video.crf, 20);

    options.setVideoFormat(QStringLiteral("gif"));
    EXPECT_TRUE(options.animationChosen());
    EXPECT_FALSE(codec->isEnabled());
    pipeline::JobSettings animation;
    options.apply(animation);
    EXPECT_EQ(animation.videoFormat, "gif");
    EXPECT_EQ(animation.video.codec, "");
    EXPECT_EQ(animation.video.crf, media::VideoWriteOptions{}.crf);
    EXPECT_TRUE(animation.video.validate().has_value());
}

TEST_F(AppTest, TheModelPickerTakesADropOfEveryModelFormat) {
    app::ModelPicker picker;
    for (const auto& extension : models::modelExtensions()) {
        EXPECT_TRUE(acceptsDrag(picker, dir("net" + extension))) << extension;
    }
    EXPECT_FALSE(acceptsDrag(picker, dir("net.txt")));
}
