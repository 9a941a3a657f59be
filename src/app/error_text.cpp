#include "upscale/app/error_text.hpp"

#include <QCoreApplication>
#include <QFileInfo>

namespace upscale::app {

namespace {

QString summaryOf(const core::Error& error, const QString& file) {
    using core::ErrorCode;
    using core::Remedy;
    switch (error.remedy) {
        case Remedy::ReplaceOutput:
            return QCoreApplication::translate("ErrorText", "The output '%1' already exists.")
                .arg(file);
        case Remedy::ReplaceFrames:
            return QCoreApplication::translate("ErrorText", "The frame file '%1' already exists.")
                .arg(file);
        case Remedy::ResumeOrRestart:
            return QCoreApplication::translate(
                       "ErrorText", "An interrupted run of '%1' left finished parts behind.")
                .arg(file);
        case Remedy::VideoOutput:
            return QCoreApplication::translate("ErrorText",
                                               "A video cannot be saved as the image '%1'.")
                .arg(file);
        case Remedy::ChooseContainer:
            return QCoreApplication::translate(
                       "ErrorText", "The container of '%1' cannot hold the chosen codec.")
                .arg(file);
        case Remedy::ChooseCodec:
            return QCoreApplication::translate("ErrorText", "The chosen codec cannot write '%1'.")
                .arg(file);
        case Remedy::EncoderOptions:
        case Remedy::PixelFormat:
            return QCoreApplication::translate(
                       "ErrorText", "The video encoder cannot write '%1' with these settings.")
                .arg(file);
        case Remedy::ChooseDevice:
            return QCoreApplication::translate(
                "ErrorText", "The chosen device is not available on this computer.");
        case Remedy::ChooseModel:
            return file.isEmpty()
                       ? QCoreApplication::translate("ErrorText", "No model was found.")
                       : QCoreApplication::translate("ErrorText", "The model '%1' was not found.")
                             .arg(file);
        default:
            break;
    }
    switch (error.code) {
        case ErrorCode::NotFound:
            return QCoreApplication::translate("ErrorText", "'%1' was not found.").arg(file);
        case ErrorCode::UnsupportedFormat:
            return QCoreApplication::translate(
                       "ErrorText", "'%1' is not in a format Upscale Studio can read or write.")
                .arg(file);
        case ErrorCode::CorruptFile:
            return QCoreApplication::translate("ErrorText", "'%1' is damaged or incomplete.")
                .arg(file);
        case ErrorCode::ModelMismatch:
            return QCoreApplication::translate("ErrorText",
                                               "The model does not fit its architecture.");
        case ErrorCode::Io:
            return QCoreApplication::translate("ErrorText", "'%1' cannot be read or written.")
                .arg(file);
        case ErrorCode::DiskFull:
            return QCoreApplication::translate("ErrorText",
                                               "The disk is full: '%1' cannot be written.")
                .arg(file);
        case ErrorCode::LimitExceeded:
            return QCoreApplication::translate("ErrorText", "'%1' is larger than the pixel limit.")
                .arg(file);
        case ErrorCode::OutOfMemory:
            return QCoreApplication::translate("ErrorText",
                                               "The device ran out of memory while upscaling '%1'.")
                .arg(file);
        case ErrorCode::Cancelled:
            return QCoreApplication::translate("ErrorText", "Cancelled: '%1' was not finished.")
                .arg(file);
        case ErrorCode::InvalidArgument:
            return QCoreApplication::translate("ErrorText",
                                               "'%1' cannot be upscaled with these settings.")
                .arg(file);
        case ErrorCode::Internal:
            break;
    }
    return QCoreApplication::translate("ErrorText", "An unexpected error stopped '%1'.").arg(file);
}

}  // namespace

QString remedyAdvice(core::Remedy remedy) {
    using core::Remedy;
    switch (remedy) {
        case Remedy::None:
            return {};
        case Remedy::ReplaceOutput:
        case Remedy::ReplaceFrames:
            return QCoreApplication::translate(
                "ErrorText",
                "Choose Keep both or Replace under If the output exists, or another output "
                "folder, then press Start.");
        case Remedy::ChooseOutput:
            return QCoreApplication::translate(
                "ErrorText", "Choose another output folder with Choose..., then press Start.");
        case Remedy::Resume:
            return QCoreApplication::translate(
                "ErrorText", "Once that is fixed, press Resume: finished work is kept.");
        case Remedy::ResumeOrRestart:
            return QCoreApplication::translate(
                "ErrorText",
                "Press Resume to continue it, or choose Replace under If the output exists "
                "to start over.");
        case Remedy::ChooseModel:
            return QCoreApplication::translate(
                "ErrorText",
                "Choose another model in the Model list, or add a model file with Add "
                "model....");
        case Remedy::ChooseDevice:
            return QCoreApplication::translate("ErrorText",
                                               "Choose CPU or Automatic under Advanced > Device.");
        case Remedy::RaiseLimit:
            return QCoreApplication::translate(
                "ErrorText",
                "The file is refused to protect the computer's memory; use a smaller "
                "picture.");
        case Remedy::ChooseCodec:
            return QCoreApplication::translate("ErrorText", "Choose another codec under Video.");
        case Remedy::ChooseContainer:
            return QCoreApplication::translate(
                "ErrorText",
                "Choose another codec, or the MKV container, which holds them all, under "
                "Video.");
        case Remedy::EncoderOptions:
        case Remedy::PixelFormat:
            return QCoreApplication::translate(
                "ErrorText", "Try another speed preset, quality or codec under Video.");
        case Remedy::VideoOutput:
            return QCoreApplication::translate("ErrorText",
                                               "Choose a video container under Video.");
    }
    return {};
}

QString ErrorText::sentence() const {
    return advice.isEmpty() ? summary : summary + QLatin1Char(' ') + advice;
}

QString ErrorText::full() const {
    QString text = sentence();
    if (!details.isEmpty()) {
        text += QLatin1Char('\n') +
                QCoreApplication::translate("ErrorText", "Details: %1").arg(details);
    }
    return text;
}

ErrorText describeError(const core::Error& error, const QString& fallbackSubject) {
    const QString subject =
        error.subject.empty() ? fallbackSubject : QString::fromStdString(error.subject);
    ErrorText text;
    text.summary = summaryOf(
        error, QFileInfo(subject).fileName().isEmpty() ? subject : QFileInfo(subject).fileName());
    text.advice = remedyAdvice(error.remedy);
    text.details = QString::fromStdString(error.message);
    return text;
}

}  // namespace upscale::app
