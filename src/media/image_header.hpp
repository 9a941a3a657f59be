#pragma once
// Reads an image's dimensions from its header, without decoding anything: PNG (IHDR), JPEG (the
// SOFn frame header), WebP (VP8, VP8L and VP8X), BMP (the info header) and TIFF / BigTIFF (the
// first image directory). Every offset and length is checked against the file, so a damaged or
// hostile header gives an error, never a read outside the file.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>

#include "upscale/core/error.hpp"
#include "upscale/media/formats.hpp"

namespace upscale::media::detail {

using media::ImageFormat;

/// "PNG", "JPEG", ...
[[nodiscard]] const char* formatName(ImageFormat format);

/// Bytes of the file's start that formatFromSignature() needs at most.
inline constexpr std::size_t kSignatureBytes = 12;

/// Identifies a format by its signature, independent of the file name.
[[nodiscard]] std::optional<ImageFormat> formatFromSignature(std::span<const std::uint8_t> bytes);

/// Random access to the bytes of a file (or of a buffer).
class ByteSource {
public:
    virtual ~ByteSource() = default;
    [[nodiscard]] virtual std::uint64_t size() const = 0;
    /// Fills `out` with the bytes at `offset`; false when the data ends first or cannot be read.
    [[nodiscard]] virtual bool read(std::uint64_t offset, std::span<std::uint8_t> out) = 0;
};

/// A ByteSource over bytes in memory, which must outlive it.
class MemorySource final : public ByteSource {
public:
    explicit MemorySource(std::span<const std::uint8_t> bytes) : m_bytes(bytes) {}
    [[nodiscard]] std::uint64_t size() const override { return m_bytes.size(); }
    [[nodiscard]] bool read(std::uint64_t offset, std::span<std::uint8_t> out) override;

private:
    std::span<const std::uint8_t> m_bytes;
};

struct ImageHeader {
    ImageFormat format = ImageFormat::Png;
    std::int64_t width = 0;
    std::int64_t height = 0;  ///< positive also for top-down BMP
};

/// The dimensions the header of a file in `format` announces. Errors: CorruptFile naming `path`
/// when the header is cut short or its structure is broken (which part, and at which byte).
[[nodiscard]] core::Result<ImageHeader> readImageHeader(const std::filesystem::path& path,
                                                        ImageFormat format, ByteSource& source);

}  // namespace upscale::media::detail
