#include "upscale/core/error.hpp"

#include <cerrno>

namespace upscale::core {

std::string_view errorCodeName(ErrorCode code) {
    switch (code) {
        case ErrorCode::InvalidArgument:
            return "invalid-argument";
        case ErrorCode::NotFound:
            return "not-found";
        case ErrorCode::UnsupportedFormat:
            return "unsupported-format";
        case ErrorCode::CorruptFile:
            return "corrupt-file";
        case ErrorCode::ModelMismatch:
            return "model-mismatch";
        case ErrorCode::Io:
            return "io";
        case ErrorCode::DiskFull:
            return "disk-full";
        case ErrorCode::LimitExceeded:
            return "limit-exceeded";
        case ErrorCode::OutOfMemory:
            return "out-of-memory";
        case ErrorCode::Cancelled:
            return "cancelled";
        case ErrorCode::Internal:
            return "internal";
    }
    return "internal";
}

std::string_view remedyName(Remedy remedy) {
    switch (remedy) {
        case Remedy::None:
            return "none";
        case Remedy::ReplaceOutput:
            return "replace-output";
        case Remedy::ChooseOutput:
            return "choose-output";
        case Remedy::Resume:
            return "resume";
        case Remedy::ResumeOrRestart:
            return "resume-or-restart";
        case Remedy::ChooseModel:
            return "choose-model";
        case Remedy::ChooseDevice:
            return "choose-device";
        case Remedy::RaiseLimit:
            return "raise-limit";
        case Remedy::ChooseCodec:
            return "choose-codec";
        case Remedy::ChooseContainer:
            return "choose-container";
        case Remedy::EncoderOptions:
            return "encoder-options";
        case Remedy::PixelFormat:
            return "pixel-format";
        case Remedy::ReplaceFrames:
            return "replace-frames";
        case Remedy::VideoOutput:
            return "video-output";
    }
    return "none";
}

ErrorCode ioErrorCode(int errnum) {
    return errnum == ENOSPC || errnum == EDQUOT || errnum == EFBIG ? ErrorCode::DiskFull
                                                                   : ErrorCode::Io;
}

Error Error::withContext(std::string_view context) const {
    Error e = *this;
    e.message = std::string(context) + ": " + message;
    return e;
}

}  // namespace upscale::core
