#pragma once
// One error model for the whole product: a failure a user can cause is returned as an Error
// inside a Result<T>, never thrown across a module boundary. Messages are complete sentences
// that say what went wrong and which file. The libraries never name a command-line flag or a
// widget: what the user can do about an error is its Remedy, and each front end words that
// advice with its own controls (the CLI's flags, the window's buttons).

#include <string>
#include <string_view>
#include <utility>

#include <tl/expected.hpp>

namespace upscale::core {

enum class ErrorCode {
    InvalidArgument,    ///< a setting or option is out of range
    NotFound,           ///< a file, folder or model id does not exist
    UnsupportedFormat,  ///< the file exists but is not something we can read
    CorruptFile,        ///< the file claims a format but its contents are broken
    ModelMismatch,      ///< weights do not fit the architecture (missing, extra, wrong shape)
    Io,                 ///< reading or writing failed (permissions, a device error, ...)
    DiskFull,           ///< no space left, the file size limit or the quota reached: the job stops
    LimitExceeded,      ///< an input is larger than a configured limit (pixels, dimensions)
    OutOfMemory,        ///< the device ran out of memory and could not recover
    Cancelled,          ///< the user cancelled
    Internal,           ///< a bug or an unexpected library failure
};

/// DiskFull for the errno values that mean the disk, the quota or the file size limit is
/// exhausted (ENOSPC, EDQUOT, EFBIG); Io for every other one.
[[nodiscard]] ErrorCode ioErrorCode(int errnum);

/// Short stable name of an error code ("not-found", "corrupt-file", ...), used in JSON events.
[[nodiscard]] std::string_view errorCodeName(ErrorCode code);

/// What the user can do about an error, for the front end to word with its own controls.
enum class Remedy {
    None,
    ReplaceOutput,    ///< the output exists: replace it, or write elsewhere
    ChooseOutput,     ///< the output cannot be used: write elsewhere
    Resume,           ///< run the same job again with resume once the cause is gone
    ResumeOrRestart,  ///< an interrupted output exists: resume it, or start over replacing it
    ChooseModel,      ///< name another model (a file's path or a listed id)
    ChooseDevice,     ///< run on another device (the CPU, or automatic choice)
    RaiseLimit,       ///< raise the pixel limit for inputs
    ChooseCodec,      ///< choose another video codec
    ChooseContainer,  ///< choose a container that holds it (MKV holds everything)
    EncoderOptions,   ///< check the encoder's preset, quality and pixel format
    PixelFormat,      ///< choose another pixel format
    ReplaceFrames,    ///< a frame file exists: replace it, or write frames elsewhere
    VideoOutput,      ///< a video cannot go to an image file: name a video or a frames folder
};

/// Short stable name of a remedy ("replace-output", ...), used in JSON events.
[[nodiscard]] std::string_view remedyName(Remedy remedy);

struct Error {
    ErrorCode code = ErrorCode::Internal;
    std::string message;
    Remedy remedy = Remedy::None;
    std::string subject;  ///< the file or setting the error is about, when there is one

    /// Returns a copy whose message is prefixed with context, e.g. the file being processed.
    [[nodiscard]] Error withContext(std::string_view context) const;
};

template <typename T>
using Result = tl::expected<T, Error>;

/// Shorthand for returning a failure: `return fail(ErrorCode::NotFound, "...")`.
[[nodiscard]] inline tl::unexpected<Error> fail(ErrorCode code, std::string message) {
    return tl::unexpected<Error>(Error{code, std::move(message)});
}

[[nodiscard]] inline tl::unexpected<Error> fail(ErrorCode code, std::string message, Remedy remedy,
                                                std::string subject = {}) {
    return tl::unexpected<Error>(Error{code, std::move(message), remedy, std::move(subject)});
}

[[nodiscard]] inline tl::unexpected<Error> fail(Error error) {
    return tl::unexpected<Error>(std::move(error));
}

}  // namespace upscale::core
