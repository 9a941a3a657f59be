#pragma once
// An input file at the level of POSIX calls, so that every failure carries its exact errno:
// opened without blocking, refused unless it is a regular file, and read through a small window
// so that a header is parsed without reading the whole file.

#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "image_header.hpp"
#include "upscale/core/error.hpp"

namespace upscale::media::detail {

/// A regular file open for reading.
class InputFile final : public ByteSource {
public:
    /// Opens an image file. A folder, a named pipe, a device or a socket is refused from its
    /// metadata before it is opened, so nothing blocks and no device is touched. Errors:
    /// NotFound; InvalidArgument naming what the path is instead; Io with the reason.
    [[nodiscard]] static core::Result<InputFile> open(const std::filesystem::path& path);

    InputFile(InputFile&& other) noexcept;
    InputFile& operator=(InputFile&&) = delete;
    InputFile(const InputFile&) = delete;
    InputFile& operator=(const InputFile&) = delete;
    ~InputFile() override;

    [[nodiscard]] std::uint64_t size() const override { return m_size; }
    /// Reads through a 64 KiB window, so many small reads near each other cost one system call.
    [[nodiscard]] bool read(std::uint64_t offset, std::span<std::uint8_t> out) override;
    /// The errno of the last read that failed for a reason other than the end of the file.
    [[nodiscard]] int readErrno() const { return m_errno; }

    /// The whole file. Errors: LimitExceeded over `maxBytes`; Io when it cannot be read or
    /// shrinks while it is read.
    [[nodiscard]] core::Result<std::vector<std::uint8_t>> readAll(std::uint64_t maxBytes);

private:
    InputFile(std::filesystem::path path, int fd, std::uint64_t size);
    /// Reads exactly out.size() bytes at offset, past EINTR and short reads.
    bool readExactly(std::uint64_t offset, std::span<std::uint8_t> out);

    std::filesystem::path m_path;
    int m_fd = -1;
    std::uint64_t m_size = 0;
    int m_errno = 0;
    std::vector<std::uint8_t> m_window;
    std::uint64_t m_windowStart = 0;
};

}  // namespace upscale::media::detail
