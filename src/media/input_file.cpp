#include "input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>
#include <utility>

#include <fmt/format.h>

namespace upscale::media::detail {
namespace fs = std::filesystem;

namespace {

using core::ErrorCode;
using core::fail;

constexpr std::size_t kWindowBytes = 64 * 1024;

fs::file_type typeOf(mode_t mode) {
    if (S_ISREG(mode)) {
        return fs::file_type::regular;
    }
    if (S_ISDIR(mode)) {
        return fs::file_type::directory;
    }
    if (S_ISFIFO(mode)) {
        return fs::file_type::fifo;
    }
    if (S_ISCHR(mode)) {
        return fs::file_type::character;
    }
    if (S_ISBLK(mode)) {
        return fs::file_type::block;
    }
    if (S_ISSOCK(mode)) {
        return fs::file_type::socket;
    }
    return fs::file_type::unknown;
}

/// The refusal of anything but a regular file, saying what the path is instead.
core::Error notARegularFile(const fs::path& path, fs::file_type type) {
    const char* what = nullptr;
    switch (type) {
        case fs::file_type::directory:
            return {ErrorCode::InvalidArgument,
                    fmt::format("'{}' is a folder, not an image file.", path.string())};
        case fs::file_type::fifo:
            what = "a named pipe (FIFO)";
            break;
        case fs::file_type::character:
            what = "a character device";
            break;
        case fs::file_type::block:
            what = "a block device";
            break;
        case fs::file_type::socket:
            what = "a socket";
            break;
        default:
            what = "not a regular file";
            break;
    }
    return {ErrorCode::InvalidArgument,
            fmt::format("'{}' is {}, not an image file, so it was not read. Give the path of a "
                        "regular image file instead.",
                        path.string(), what)};
}

core::Error readError(const fs::path& path, int errnum) {
    return {ErrorCode::Io, fmt::format("Cannot read '{}': {}. Check that the file is readable.",
                                       path.string(), std::strerror(errnum))};
}

}  // namespace

core::Result<InputFile> InputFile::open(const fs::path& path) {
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (status.type() == fs::file_type::not_found || ec == std::errc::not_a_directory) {
        return fail(ErrorCode::NotFound,
                    fmt::format("Input file '{}' does not exist.", path.string()));
    }
    if (ec) {
        return fail(readError(path, ec.value()));
    }
    if (status.type() != fs::file_type::regular) {
        return fail(notARegularFile(path, status.type()));
    }
    // Non-blocking and checked again after opening: should the path have been replaced by a pipe
    // in between, opening it still returns at once and nothing is read from it.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        return fail(readError(path, errno));
    }
    struct stat info {};
    if (::fstat(fd, &info) != 0) {
        const int error = errno;
        ::close(fd);
        return fail(readError(path, error));
    }
    if (!S_ISREG(info.st_mode)) {
        ::close(fd);
        return fail(notARegularFile(path, typeOf(info.st_mode)));
    }
    return InputFile(path, fd, static_cast<std::uint64_t>(info.st_size));
}

InputFile::InputFile(fs::path path, int fd, std::uint64_t size)
    : m_path(std::move(path)), m_fd(fd), m_size(size) {}

InputFile::InputFile(InputFile&& other) noexcept
    : m_path(std::move(other.m_path)),
      m_fd(std::exchange(other.m_fd, -1)),
      m_size(other.m_size),
      m_errno(other.m_errno),
      m_window(std::move(other.m_window)),
      m_windowStart(other.m_windowStart) {}

InputFile::~InputFile() {
    if (m_fd >= 0) {
        ::close(m_fd);
    }
}

bool InputFile::readExactly(std::uint64_t offset, std::span<std::uint8_t> out) {
    while (!out.empty()) {
        const ssize_t got = ::pread(m_fd, out.data(), out.size(), static_cast<off_t>(offset));
        if (got < 0) {
            if (errno == EINTR) {
                continue;
            }
            m_errno = errno;
            return false;
        }
        if (got == 0) {
            return false;  // the file became shorter than it was when opened
        }
        out = out.subspan(static_cast<std::size_t>(got));
        offset += static_cast<std::uint64_t>(got);
    }
    return true;
}

bool InputFile::read(std::uint64_t offset, std::span<std::uint8_t> out) {
    if (offset > m_size || out.size() > m_size - offset) {
        return false;
    }
    if (out.size() > kWindowBytes) {
        return readExactly(offset, out);
    }
    if (offset < m_windowStart || offset + out.size() > m_windowStart + m_window.size()) {
        m_window.resize(static_cast<std::size_t>(
            std::min<std::uint64_t>(std::max(kWindowBytes, out.size()), m_size - offset)));
        m_windowStart = offset;
        if (!readExactly(offset, m_window)) {
            m_window.clear();
            return false;
        }
    }
    std::memcpy(out.data(), m_window.data() + (offset - m_windowStart), out.size());
    return true;
}

core::Result<std::vector<std::uint8_t>> InputFile::readAll(std::uint64_t maxBytes) {
    if (m_size > maxBytes) {
        return fail(ErrorCode::LimitExceeded,
                    fmt::format("'{}' is {} bytes, more than the {} bytes an image file may have.",
                                m_path.string(), m_size, maxBytes));
    }
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(m_size));
    if (!readExactly(0, bytes)) {
        if (m_errno != 0) {
            return fail(readError(m_path, m_errno));
        }
        return fail(ErrorCode::Io,
                    fmt::format("Cannot read '{}': it became shorter while it was read. Check "
                                "that no other program is writing it.",
                                m_path.string()));
    }
    return bytes;
}

}  // namespace upscale::media::detail
