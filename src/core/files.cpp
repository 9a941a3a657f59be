#include "upscale/core/files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include <fmt/format.h>

#include "upscale/core/logging.hpp"
#include "upscale/core/paths.hpp"

namespace upscale::core {
namespace fs = std::filesystem;

namespace {

using core::ErrorCode;
using core::fail;

/// Writes all of `bytes`, past EINTR and partial writes. Returns 0 or the errno of the failure.
int writeAll(int fd, std::span<const std::uint8_t> bytes) {
    while (!bytes.empty()) {
        const ssize_t written = ::write(fd, bytes.data(), bytes.size());
        if (written < 0) {
            if (errno == EINTR) {
                continue;
            }
            return errno;
        }
        if (written == 0) {
            return EIO;
        }
        bytes = bytes.subspan(static_cast<std::size_t>(written));
    }
    return 0;
}

int syncFile(int fd) {
    while (::fsync(fd) != 0) {
        if (errno != EINTR) {
            return errno;
        }
    }
    return 0;
}

/// Writes all of `bytes` to `fd`, syncs it and closes it. Returns 0 or the errno of the first
/// failure.
int writeSyncClose(int fd, std::span<const std::uint8_t> bytes) {
    int error = writeAll(fd, bytes);
    if (error == 0) {
        error = syncFile(fd);
    }
    // Some file systems (NFS) report a failed write only when the file is closed. EINTR from
    // close still closes the file, and the data is synced by then.
    if (::close(fd) != 0 && error == 0 && errno != EINTR) {
        error = errno;
    }
    return error;
}

/// Makes a rename in `folder` durable. The file itself is complete and synced by then, so a
/// failure here is a warning: the result is in place, only its name may not survive a crash.
void syncFolder(const fs::path& folder) {
    const fs::path dir = folder.empty() ? fs::path(".") : folder;
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int error = fd < 0 ? errno : syncFile(fd);
    if (fd >= 0) {
        ::close(fd);
    }
    // Some file systems cannot sync a folder at all; that is no failure of ours.
    if (error != 0 && error != EINVAL && error != ENOTSUP) {
        core::logger("core")->warn("Cannot sync the folder '{}' after writing into it: {}.",
                                   dir.string(), std::strerror(error));
    }
}

/// Removes a temporary file on scope exit unless it was handed over (renamed) first.
class TemporaryFile {
public:
    explicit TemporaryFile(fs::path path) : m_path(std::move(path)) {}
    TemporaryFile(const TemporaryFile&) = delete;
    TemporaryFile& operator=(const TemporaryFile&) = delete;
    ~TemporaryFile() {
        if (!m_released) {
            ::unlink(m_path.c_str());
        }
    }
    void release() { m_released = true; }

private:
    fs::path m_path;
    bool m_released = false;
};

}  // namespace

core::Error writeError(const fs::path& path, int errnum) {
    const ErrorCode code = core::ioErrorCode(errnum);
    std::string advice;
    if (errnum == EFBIG) {
        advice =
            "The file is larger than the file system or the file size limit of this process "
            "allows. Free some space or raise the limit.";
    } else if (code == ErrorCode::DiskFull) {
        advice = "Free some space on the disk.";
    } else if (errnum == ENOENT || errnum == ENOTDIR) {
        advice = "Check that the folder exists.";
    } else if (errnum == EACCES || errnum == EPERM || errnum == EROFS) {
        advice = "Check that you may write to the folder and that its disk is not read-only.";
    } else {
        advice = "Check that the folder exists and that you may write to it.";
    }
    return {code,
            fmt::format("Cannot write '{}': {}. {}", path.string(), std::strerror(errnum), advice),
            code == ErrorCode::DiskFull ? core::Remedy::Resume : core::Remedy::ChooseOutput,
            path.string()};
}

core::Result<void> writeFileAtomically(const fs::path& path, std::span<const std::uint8_t> bytes) {
    const fs::path temporaryPath = core::temporarySibling(path);
    const int fd = ::open(temporaryPath.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0) {
        return fail(writeError(path, errno));
    }
    TemporaryFile temporary(temporaryPath);
    // The data must be on the disk before the rename makes it visible under the final name:
    // a crash must never leave a complete-looking name over a file that is not.
    if (const int error = writeSyncClose(fd, bytes); error != 0) {
        return fail(writeError(path, error));
    }
    if (::rename(temporaryPath.c_str(), path.c_str()) != 0) {
        return fail(writeError(path, errno));
    }
    temporary.release();
    syncFolder(path.parent_path());
    return {};
}

core::Result<void> appendAndSync(const fs::path& path, std::span<const std::uint8_t> bytes) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
    if (fd < 0) {
        return fail(writeError(path, errno));
    }
    if (const int error = writeSyncClose(fd, bytes); error != 0) {
        return fail(writeError(path, error));
    }
    return {};
}

}  // namespace upscale::core
