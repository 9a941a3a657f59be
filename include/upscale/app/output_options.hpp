#pragma once
// The output choices below the model: the image format, the video container, codec, quality
// and speed (shown once the queue holds a video), and what to do when an output already
// exists. Each kind of input gets its own settings, so a mixed queue runs in one job.

#include <QString>
#include <QWidget>

#include "upscale/pipeline/job.hpp"

class QComboBox;
class QFormLayout;
class QLabel;
class QSpinBox;

namespace upscale::app {

struct AppSettings;

class OutputOptions final : public QWidget {
    Q_OBJECT

public:
    /// What happens to an item whose output already exists. The default never destroys a file.
    enum class Existing { KeepBoth, Replace, Skip };

    explicit OutputOptions(QWidget* parent = nullptr);
    OutputOptions(const OutputOptions&) = delete;
    OutputOptions& operator=(const OutputOptions&) = delete;

    /// Fills the job's formats, video options and existing-output policy.
    void apply(pipeline::JobSettings& job) const;
    void load(const AppSettings& settings);
    void store(AppSettings& settings) const;

    /// Image format extension ("png"); empty = the input's.
    void setImageFormat(const QString& extension);
    /// Video container extension ("mkv"); empty = the input's.
    void setVideoFormat(const QString& extension);
    /// Codec name as the pipeline knows it ("h265"); empty = the container's usual one.
    void setCodec(const QString& codec);
    /// Constant rate factor; -1 = the encoder's default.
    void setQuality(int crf);
    /// Encoder speed preset ("veryfast"); empty = the encoder's default.
    void setPreset(const QString& preset);
    void setExisting(Existing existing);
    [[nodiscard]] Existing existing() const;
    /// The video rows are shown while the queue holds a video.
    void setVideoShown(bool shown);
    [[nodiscard]] bool videoShown() const;
    /// True when videos are written as a GIF or WebP animation: the codec, quality and speed
    /// controls are then disabled, as the animation has its own encoder.
    [[nodiscard]] bool animationChosen() const;

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
    void updateVideoControls();

    QFormLayout* m_form;
    QLabel* m_imageLabel;
    QComboBox* m_imageFormat;
    QLabel* m_videoLabel;
    QComboBox* m_videoFormat;
    QComboBox* m_codec;
    QLabel* m_qualityLabel;
    QSpinBox* m_quality;
    QComboBox* m_preset;
    QLabel* m_existingLabel;
    QComboBox* m_existing;
};

}  // namespace upscale::app
