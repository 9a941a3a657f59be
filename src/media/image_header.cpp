#include "image_header.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <string>
#include <utility>

#include <fmt/format.h>

namespace upscale::media::detail {

namespace {

/// Why a header could not be read: cut short by the end of the file, or broken.
struct HeaderProblem {
    bool truncated = false;
    std::string detail;
};

[[noreturn]] void broken(std::string detail) {
    throw HeaderProblem{false, std::move(detail)};
}

struct Size {
    std::int64_t width = 0;
    std::int64_t height = 0;
};

/// Reads integers at offsets of a source in one byte order. Any read past the end throws a
/// truncation HeaderProblem, so the parsers below never look outside the file.
class Reader {
public:
    Reader(ByteSource& source, bool littleEndian) : m_source(source), m_little(littleEndian) {}

    void setLittleEndian(bool little) { m_little = little; }
    [[nodiscard]] std::uint64_t size() const { return m_source.size(); }

    /// An unsigned integer of `bytes` bytes (1 to 8) at `offset`.
    std::uint64_t get(std::uint64_t offset, unsigned bytes) {
        std::array<std::uint8_t, 8> buffer{};
        if (offset > size() || bytes > size() - offset ||
            !m_source.read(offset, std::span(buffer.data(), bytes))) {
            throw HeaderProblem{true, {}};
        }
        std::uint64_t value = 0;
        for (unsigned i = 0; i < bytes; ++i) {
            const unsigned index = m_little ? bytes - 1 - i : i;
            value = (value << 8) | buffer[index];
        }
        return value;
    }
    std::uint64_t u8(std::uint64_t offset) { return get(offset, 1); }
    std::uint64_t u16(std::uint64_t offset) { return get(offset, 2); }
    std::uint64_t u24(std::uint64_t offset) { return get(offset, 3); }
    std::uint64_t u32(std::uint64_t offset) { return get(offset, 4); }
    std::uint64_t u64(std::uint64_t offset) { return get(offset, 8); }

private:
    ByteSource& m_source;
    bool m_little;
};

/// Clamps a header field to the range the limits are checked in; anything this large is refused.
std::int64_t dimension(std::uint64_t value) {
    constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    return static_cast<std::int64_t>(std::min(value, kMax));
}

/// PNG: the signature, then the IHDR chunk (length 13) with width and height, big-endian.
Size pngSize(Reader& r) {
    if (r.u32(8) != 13 || r.u32(12) != 0x49484452) {  // "IHDR"
        broken("the first chunk is not a 13-byte IHDR");
    }
    r.u32(29);  // the whole IHDR chunk, its CRC included, must be present
    return {dimension(r.u32(16)), dimension(r.u32(20))};
}

/// JPEG: the segments after SOI up to the first SOFn frame header, which holds the size.
Size jpegSize(Reader& r) {
    std::uint64_t pos = 2;
    while (true) {
        if (r.u8(pos) != 0xFF) {
            broken(fmt::format("no marker at byte {} where a segment should start", pos));
        }
        const auto marker = r.u8(pos + 1);
        if (marker == 0xFF) {  // a fill byte before the marker
            ++pos;
            continue;
        }
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {  // TEM, RSTn: no length
            pos += 2;
            continue;
        }
        if (marker == 0xD9 || marker == 0xDA) {  // EOI, SOS
            broken("the image data starts before any frame header (SOF)");
        }
        if (marker == 0x00 || marker == 0xD8) {
            broken(fmt::format("an invalid marker 0xFF{:02X} at byte {}", marker, pos));
        }
        const std::uint64_t length = r.u16(pos + 2);
        if (length < 2) {
            broken(fmt::format("a segment at byte {} has the invalid length {}", pos, length));
        }
        const bool frameHeader =
            marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (frameHeader) {
            if (length < 8) {
                broken(fmt::format("the frame header at byte {} is {} bytes long", pos, length));
            }
            // Precision (1 byte), then the height and the width (2 bytes each).
            return {dimension(r.u16(pos + 7)), dimension(r.u16(pos + 5))};
        }
        pos += 2 + length;
    }
}

/// WebP: RIFF, then one of the VP8 (lossy), VP8L (lossless) or VP8X (extended) chunks.
Size webpSize(Reader& r) {
    const auto chunk = r.u32(12);
    if (chunk == 0x56503820) {  // "VP8 ": a 3-byte frame tag, the start code, 14-bit sizes
        if (r.get(23, 3) != 0x9D012A) {
            broken("the VP8 frame has no start code");
        }
        r.setLittleEndian(true);
        return {dimension(r.u16(26) & 0x3FFF), dimension(r.u16(28) & 0x3FFF)};
    }
    if (chunk == 0x5650384C) {  // "VP8L": a signature byte, then 14 bits each for size - 1
        if (r.u8(20) != 0x2F) {
            broken("the VP8L bitstream has no signature");
        }
        r.setLittleEndian(true);
        const auto bits = r.u32(21);
        return {dimension((bits & 0x3FFF) + 1), dimension(((bits >> 14) & 0x3FFF) + 1)};
    }
    if (chunk == 0x56503858) {  // "VP8X": flags, then the canvas size - 1 in 24 bits each
        r.setLittleEndian(true);
        return {dimension(r.u24(24) + 1), dimension(r.u24(27) + 1)};
    }
    broken("the first chunk is none of VP8, VP8L or VP8X");
}

/// BMP: the 14-byte file header, then an info header whose first field is its own size.
Size bmpSize(Reader& r) {
    r.setLittleEndian(true);
    const auto infoSize = r.u32(14);
    if (infoSize == 12) {  // BITMAPCOREHEADER: unsigned 16-bit width and height
        return {dimension(r.u16(18)), dimension(r.u16(20))};
    }
    if (infoSize < 16) {
        broken(fmt::format("the info header has the invalid size {}", infoSize));
    }
    const auto width = static_cast<std::int32_t>(r.u32(18));
    const auto height = static_cast<std::int32_t>(r.u32(22));
    if (width < 0) {
        broken(fmt::format("the width is negative ({})", width));
    }
    // A negative height stores the rows top-down.
    return {width, height < 0 ? -static_cast<std::int64_t>(height) : height};
}

/// TIFF and BigTIFF: the first image directory's ImageWidth (256) and ImageLength (257) tags,
/// each a SHORT or a LONG (or, in BigTIFF, a LONG8).
Size tiffSize(Reader& r) {
    r.setLittleEndian(r.u8(0) == 'I');
    const bool big = r.u16(2) == 43;
    if (big && (r.u16(4) != 8 || r.u16(6) != 0)) {
        broken("the BigTIFF header has an invalid offset size");
    }
    const std::uint64_t directory = big ? r.u64(8) : r.u32(4);
    if (directory < (big ? 16U : 8U)) {
        broken(fmt::format("the first image directory is at the invalid offset {}", directory));
    }
    const std::uint64_t countBytes = big ? 8 : 2;
    const std::uint64_t entryBytes = big ? 20 : 12;
    const std::uint64_t entries = r.get(directory, countBytes);
    if (entries == 0) {
        broken("the first image directory is empty");
    }
    if (entries > (r.size() - directory - countBytes) / entryBytes) {
        throw HeaderProblem{true, {}};
    }
    std::optional<std::uint64_t> width, height;
    for (std::uint64_t i = 0; i < entries && !(width && height); ++i) {
        const std::uint64_t entry = directory + countBytes + i * entryBytes;
        const auto tag = r.u16(entry);
        if (tag != 256 && tag != 257) {
            continue;
        }
        const auto type = r.u16(entry + 2);
        const std::uint64_t valueAt = entry + (big ? 12 : 8);
        std::uint64_t value = 0;
        if (type == 3) {
            value = r.u16(valueAt);
        } else if (type == 4) {
            value = r.u32(valueAt);
        } else if (type == 16 && big) {
            value = r.u64(valueAt);
        } else {
            broken(fmt::format("tag {} has the type {} instead of SHORT or LONG", tag, type));
        }
        (tag == 256 ? width : height) = value;
    }
    if (!width || !height) {
        broken("the first image directory has no ImageWidth or no ImageLength tag");
    }
    return {dimension(*width), dimension(*height)};
}

bool startsWith(std::span<const std::uint8_t> bytes, std::size_t offset,
                std::initializer_list<std::uint8_t> prefix) {
    return bytes.size() >= offset + prefix.size() &&
           std::equal(prefix.begin(), prefix.end(), bytes.begin() + offset);
}

}  // namespace

const char* formatName(ImageFormat format) {
    const auto* row = findImageFormat(format);
    return row != nullptr ? row->file.name.data() : "image";
}

std::optional<ImageFormat> formatFromSignature(std::span<const std::uint8_t> bytes) {
    if (startsWith(bytes, 0, {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A})) {
        return ImageFormat::Png;
    }
    if (startsWith(bytes, 0, {0xFF, 0xD8, 0xFF})) {
        return ImageFormat::Jpeg;
    }
    if (startsWith(bytes, 0, {'R', 'I', 'F', 'F'}) && startsWith(bytes, 8, {'W', 'E', 'B', 'P'})) {
        return ImageFormat::WebP;
    }
    // Classic TIFF ('*') and BigTIFF ('+'), in both byte orders.
    if (startsWith(bytes, 0, {'I', 'I', '*', 0}) || startsWith(bytes, 0, {'M', 'M', 0, '*'}) ||
        startsWith(bytes, 0, {'I', 'I', '+', 0}) || startsWith(bytes, 0, {'M', 'M', 0, '+'})) {
        return ImageFormat::Tiff;
    }
    if (startsWith(bytes, 0, {'B', 'M'})) {
        return ImageFormat::Bmp;
    }
    return std::nullopt;
}

bool MemorySource::read(std::uint64_t offset, std::span<std::uint8_t> out) {
    if (offset > m_bytes.size() || out.size() > m_bytes.size() - offset) {
        return false;
    }
    std::memcpy(out.data(), m_bytes.data() + offset, out.size());
    return true;
}

core::Result<ImageHeader> readImageHeader(const std::filesystem::path& path, ImageFormat format,
                                          ByteSource& source) {
    Reader reader(source, false);
    try {
        Size size;
        switch (format) {
            case ImageFormat::Png:
                size = pngSize(reader);
                break;
            case ImageFormat::Jpeg:
                size = jpegSize(reader);
                break;
            case ImageFormat::WebP:
                size = webpSize(reader);
                break;
            case ImageFormat::Tiff:
                size = tiffSize(reader);
                break;
            case ImageFormat::Bmp:
                size = bmpSize(reader);
                break;
        }
        return ImageHeader{format, size.width, size.height};
    } catch (const HeaderProblem& problem) {
        if (problem.truncated) {
            return core::fail(core::ErrorCode::CorruptFile,
                              fmt::format("'{}' looks like a {} file but it ends after {} bytes, "
                                          "inside its header: it is truncated or damaged.",
                                          path.string(), formatName(format), source.size()));
        }
        return core::fail(core::ErrorCode::CorruptFile,
                          fmt::format("'{}' looks like a {} file but its header is damaged: {}.",
                                      path.string(), formatName(format), problem.detail));
    }
}

}  // namespace upscale::media::detail
