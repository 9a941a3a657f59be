#pragma once
// What the window remembers between sessions, as one plain struct read from and written to
// QSettings (organisation "upscale-studio", application "upscale-studio" unless the
// application object names others, as tests do).

#include <QByteArray>
#include <QString>
#include <QStringList>

#include "upscale/core/settings.hpp"

namespace upscale::app {

struct AppSettings {
    QString model;  ///< id or file path; empty = the default model
    QStringList userModels;
    core::EngineSettings engine;
    double outputScale = 0.0;
    QString outputDir;       ///< empty = beside each input
    QString format;          ///< image format; empty = the input's
    QString videoFormat;     ///< video container; empty = the input's
    QString codec;           ///< empty = the container's usual codec
    int crf = -1;            ///< -1 = the encoder's default
    QString preset;          ///< empty = the encoder's default
    int existingOutput = 0;  ///< OutputOptions::Existing; 0 keeps both
    QString namePattern;     ///< empty = "{name}_x{scale}"
    QString lastInputDir;
    /// The inputs of a job that started and did not run to its end (the application was closed
    /// by a crash, a kill or a power cut, or the job was cancelled): offered for Resume.
    QStringList interruptedQueue;
    QString language;  ///< "en", "fr"; empty = the system's
    bool advancedExpanded = false;
    QByteArray geometry;
    QByteArray windowState;
    QByteArray mainSplitter;
    QByteArray viewSplitter;

    /// Reads the stored values; anything missing or out of range keeps its default.
    [[nodiscard]] static AppSettings load();
    void save() const;
};

}  // namespace upscale::app
