#include "upscale/app/output_options.hpp"

#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>

#include "upscale/app/app_settings.hpp"
#include "upscale/media/formats.hpp"
#include "upscale/media/video_writer.hpp"

namespace upscale::app {

namespace {

/// Selects the entry whose data is `value`, or the first one.
void selectData(QComboBox* combo, const QVariant& value) {
    combo->setCurrentIndex(std::max(combo->findData(value), 0));
}

/// The combo box entries of the formats outputs can be written in: their display name, with the
/// extension (no dot) as data, after an entry for "the input's".
QList<std::pair<QString, QVariant>> writtenFormats(const QString& sameAsInput,
                                                   const std::vector<media::FileFormat>& formats) {
    QList<std::pair<QString, QVariant>> entries{{sameAsInput, QString()}};
    for (const auto& format : formats) {
        if (format.writable) {
            const auto extension = format.extensions.front().substr(1);
            entries.append({QString::fromUtf8(format.name.data(), format.name.size()),
                            QString::fromUtf8(extension.data(), extension.size())});
        }
    }
    return entries;
}

}  // namespace

OutputOptions::OutputOptions(QWidget* parent)
    : QWidget(parent),
      m_form(new QFormLayout(this)),
      m_imageLabel(new QLabel(this)),
      m_imageFormat(new QComboBox(this)),
      m_videoLabel(new QLabel(this)),
      m_videoFormat(new QComboBox(this)),
      m_codec(new QComboBox(this)),
      m_qualityLabel(new QLabel(this)),
      m_quality(new QSpinBox(this)),
      m_preset(new QComboBox(this)),
      m_existingLabel(new QLabel(this)),
      m_existing(new QComboBox(this)) {
    m_imageFormat->setObjectName(QStringLiteral("imageFormatCombo"));
    m_videoFormat->setObjectName(QStringLiteral("videoFormatCombo"));
    m_codec->setObjectName(QStringLiteral("codecCombo"));
    m_quality->setObjectName(QStringLiteral("qualitySpin"));
    m_preset->setObjectName(QStringLiteral("presetCombo"));
    m_existing->setObjectName(QStringLiteral("existingCombo"));
    m_quality->setRange(-1, 63);
    m_quality->setValue(-1);

    QFormLayout* form = m_form;
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(m_imageLabel, m_imageFormat);
    auto* videoRow = new QHBoxLayout;
    videoRow->addWidget(m_videoFormat, 1);
    videoRow->addWidget(m_codec, 1);
    form->addRow(m_videoLabel, videoRow);
    auto* qualityRow = new QHBoxLayout;
    qualityRow->addWidget(m_quality, 1);
    qualityRow->addWidget(m_preset, 1);
    form->addRow(m_qualityLabel, qualityRow);
    form->addRow(m_existingLabel, m_existing);
    m_imageLabel->setBuddy(m_imageFormat);
    m_videoLabel->setBuddy(m_videoFormat);
    m_qualityLabel->setBuddy(m_quality);
    m_existingLabel->setBuddy(m_existing);
    retranslate();
    setVideoShown(false);
    connect(m_videoFormat, &QComboBox::currentIndexChanged, this,
            &OutputOptions::updateVideoControls);
    updateVideoControls();
}

void OutputOptions::retranslate() {
    const auto refill = [](QComboBox* combo, const QList<std::pair<QString, QVariant>>& entries) {
        const QVariant current = combo->currentData();
        combo->clear();
        for (const auto& [text, data] : entries) {
            combo->addItem(text, data);
        }
        selectData(combo, current);
    };
    m_imageLabel->setText(tr("Image format"));
    m_videoLabel->setText(tr("Video"));
    m_qualityLabel->setText(tr("Quality"));
    m_existingLabel->setText(tr("If the output exists"));

    refill(m_imageFormat,
           writtenFormats(tr("Same as the input"), media::filesOf(media::imageFormats())));
    m_imageFormat->setToolTip(
        tr("The file format of upscaled images. PNG and TIFF are lossless; JPEG and WebP are "
           "smaller."));
    auto videoEntries =
        writtenFormats(tr("Same container as the input"), media::filesOf(media::videoContainers()));
    for (const auto& format : media::filesOf(media::animationFormats())) {
        const auto extension = format.extensions.front().substr(1);
        videoEntries.append(
            {tr("%1 animation").arg(QString::fromUtf8(format.name.data(), format.name.size())),
             QString::fromUtf8(extension.data(), extension.size())});
    }
    refill(m_videoFormat, videoEntries);
    m_videoFormat->setToolTip(
        tr("The container of upscaled videos. MP4 plays everywhere; MKV holds every codec, "
           "subtitle and attachment; MOV suits editing software; WebM is for the web."));
    m_videoFormat->setToolTip(m_videoFormat->toolTip() + QLatin1Char(' ') +
                              tr("A GIF or WebP animation keeps each frame's timing and the "
                                 "transparency; it has no sound."));
    refill(m_codec, {{tr("Usual codec of the container"), QString()},
                     {QStringLiteral("H.264"), QStringLiteral("h264")},
                     {QStringLiteral("H.265"), QStringLiteral("h265")},
                     {QStringLiteral("AV1"), QStringLiteral("av1")},
                     {tr("FFV1 (lossless)"), QStringLiteral("ffv1")},
                     {QStringLiteral("ProRes"), QStringLiteral("prores")}});
    m_codec->setToolTip(
        tr("The video codec. H.264 plays everywhere; H.265 and AV1 give smaller files for the "
           "same quality but encode slower; FFV1 is lossless, for archives; ProRes is for "
           "editing."));
    m_quality->setSpecialValueText(tr("Encoder default"));
    m_quality->setPrefix(tr("CRF "));
    m_quality->setToolTip(
        tr("Constant rate factor for H.264, H.265 and AV1: lower is better and larger. 18 is "
           "visually lossless for H.264, 23 its default."));
    refill(m_preset, {{tr("Default speed"), QString()},
                      {tr("Fastest (ultrafast)"), QStringLiteral("ultrafast")},
                      {tr("Fast (veryfast)"), QStringLiteral("veryfast")},
                      {tr("Balanced (medium)"), QStringLiteral("medium")},
                      {tr("Smallest file (slow)"), QStringLiteral("slow")}});
    m_preset->setToolTip(
        tr("The encoder's speed preset for H.264 and H.265: slower presets give smaller files "
           "at the same quality."));
    refill(m_existing, {{tr("Keep both (numbered name)"), static_cast<int>(Existing::KeepBoth)},
                        {tr("Replace"), static_cast<int>(Existing::Replace)},
                        {tr("Skip the item"), static_cast<int>(Existing::Skip)}});
    m_existing->setToolTip(
        tr("When an output file already exists: keep it and write the new one under a numbered "
           "name, replace it, or leave it and skip the item."));
}

void OutputOptions::apply(pipeline::JobSettings& job) const {
    job.format = m_imageFormat->currentData().toString().toStdString();
    job.videoFormat = m_videoFormat->currentData().toString().toStdString();
    // An animation has its own encoder: the video codec, quality and speed do not apply.
    if (!animationChosen()) {
        job.video.codec = m_codec->currentData().toString().toStdString();
        job.video.crf = m_quality->value();
        job.video.preset = m_preset->currentData().toString().toStdString();
    }
    using Policy = pipeline::JobSettings::ExistingOutput;
    switch (existing()) {
        case Existing::KeepBoth:
            job.existing = Policy::KeepBoth;
            break;
        case Existing::Replace:
            job.overwrite = true;
            break;
        case Existing::Skip:
            job.existing = Policy::Skip;
            break;
    }
}

void OutputOptions::load(const AppSettings& settings) {
    setImageFormat(settings.format);
    setVideoFormat(settings.videoFormat);
    setCodec(settings.codec);
    setQuality(settings.crf);
    setPreset(settings.preset);
    setExisting(static_cast<Existing>(settings.existingOutput));
}

void OutputOptions::store(AppSettings& settings) const {
    settings.format = m_imageFormat->currentData().toString();
    settings.videoFormat = m_videoFormat->currentData().toString();
    settings.codec = m_codec->currentData().toString();
    settings.crf = m_quality->value();
    settings.preset = m_preset->currentData().toString();
    settings.existingOutput = static_cast<int>(existing());
}

void OutputOptions::setImageFormat(const QString& extension) {
    selectData(m_imageFormat, extension);
}

void OutputOptions::setVideoFormat(const QString& extension) {
    selectData(m_videoFormat, extension);
}

void OutputOptions::setCodec(const QString& codec) {
    selectData(m_codec, codec);
}

void OutputOptions::setQuality(int crf) {
    m_quality->setValue(crf);
}

void OutputOptions::setPreset(const QString& preset) {
    selectData(m_preset, preset);
}

void OutputOptions::setExisting(Existing existing) {
    selectData(m_existing, static_cast<int>(existing));
}

OutputOptions::Existing OutputOptions::existing() const {
    return static_cast<Existing>(m_existing->currentData().toInt());
}

void OutputOptions::setVideoShown(bool shown) {
    // Rows 1 and 2: the container and codec, the quality and speed.
    m_form->setRowVisible(1, shown);
    m_form->setRowVisible(2, shown);
}

bool OutputOptions::animationChosen() const {
    return media::hasAnimationOutputExtension(
        "x." + m_videoFormat->currentData().toString().toStdString());
}

void OutputOptions::updateVideoControls() {
    const bool video = !animationChosen();
    m_codec->setEnabled(video);
    m_quality->setEnabled(video);
    m_preset->setEnabled(video);
}

bool OutputOptions::videoShown() const {
    return !m_videoFormat->isHidden();
}

void OutputOptions::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
    }
    QWidget::changeEvent(event);
}

}  // namespace upscale::app
