#pragma once
// One error model for the whole product: a failure a user can cause is returned as an Error
// inside a Result<T>, never thrown across a module boundary. Messages are complete sentences
// that say what went wrong, which file, and what to do about it.

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

struct Error {
    ErrorCode code = ErrorCode::Internal;
    std::string message;

    /// Returns a copy whose message is prefixed with context, e.g. the file being processed.
    [[nodiscard]] Error withContext(std::string_view context) const;
};

template <typename T>
using Result = tl::expected<T, Error>;

/// Shorthand for returning a failure: `return fail(ErrorCode::NotFound, "...")`.
[[nodiscard]] inline tl::unexpected<Error> fail(ErrorCode code, std::string message) {
    return tl::unexpected<Error>(Error{code, std::move(message)});
}

[[nodiscard]] inline tl::unexpected<Error> fail(Error error) {
    return tl::unexpected<Error>(std::move(error));
}

}  // namespace upscale::core
