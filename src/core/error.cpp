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
