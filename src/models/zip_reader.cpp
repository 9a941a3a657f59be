#include "zip_reader.hpp"

#include <optional>

#include <fmt/format.h>

#include "file_bytes.hpp"

namespace upscale::models::detail {

namespace {

constexpr std::uint32_t kEndOfDirectory = 0x06054b50;
constexpr std::uint32_t kZip64Locator = 0x07064b50;
constexpr std::uint32_t kZip64EndOfDirectory = 0x06064b50;
constexpr std::uint32_t kDirectoryEntry = 0x02014b50;
constexpr std::uint32_t kLocalHeader = 0x04034b50;
constexpr std::size_t kEndSize = 22;
constexpr std::size_t kEntrySize = 46;
constexpr std::size_t kLocalSize = 30;
constexpr std::size_t kMaxComment = 0xffff;
constexpr std::uint16_t kZip64ExtraId = 0x0001;

std::uint16_t loadU16(const std::uint8_t* p) {
    return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
}

class Reader {
public:
    Reader(std::span<const std::uint8_t> bytes, std::string_view source)
        : m_bytes(bytes), m_source(source) {}

    core::Result<ZipArchive> read();

private:
    tl::unexpected<core::Error> corrupt(std::string_view what) const {
        return core::fail(core::ErrorCode::CorruptFile,
                          fmt::format("'{}' is a damaged or truncated PyTorch file: {}. Download "
                                      "the model again.",
                                      m_source, what));
    }
    bool inside(std::uint64_t offset, std::uint64_t size) const {
        return offset <= m_bytes.size() && size <= m_bytes.size() - offset;
    }
    const std::uint8_t* at(std::uint64_t offset) const { return m_bytes.data() + offset; }

    std::optional<std::size_t> findEnd() const;
    core::Result<void> readEntry(std::uint64_t& pos, ZipArchive& zip) const;

    std::span<const std::uint8_t> m_bytes;
    std::string_view m_source;
};

std::optional<std::size_t> Reader::findEnd() const {
    if (m_bytes.size() < kEndSize) {
        return std::nullopt;
    }
    const std::size_t last = m_bytes.size() - kEndSize;
    const std::size_t first = last > kMaxComment ? last - kMaxComment : 0;
    for (std::size_t pos = last + 1; pos-- > first;) {
        if (loadU32(at(pos)) == kEndOfDirectory) {
            return pos;
        }
    }
    return std::nullopt;
}

core::Result<void> Reader::readEntry(std::uint64_t& pos, ZipArchive& zip) const {
    if (!inside(pos, kEntrySize) || loadU32(at(pos)) != kDirectoryEntry) {
        return corrupt("its central directory is cut short");
    }
    const std::uint8_t* e = at(pos);
    const std::uint16_t flags = loadU16(e + 8);
    const std::uint16_t method = loadU16(e + 10);
    std::uint64_t compressed = loadU32(e + 20);
    std::uint64_t size = loadU32(e + 24);
    const std::uint16_t nameLen = loadU16(e + 28);
    const std::uint16_t extraLen = loadU16(e + 30);
    const std::uint16_t commentLen = loadU16(e + 32);
    std::uint64_t local = loadU32(e + 42);
    const std::uint64_t total = std::uint64_t{kEntrySize} + nameLen + extraLen + commentLen;
    if (!inside(pos, total)) {
        return corrupt("a central directory entry runs past the end of the file");
    }
    std::string name(reinterpret_cast<const char*>(e + kEntrySize), nameLen);
    // ZIP64: the fields that overflowed 32 bits follow, in this order, in extra field 0x0001.
    const std::uint8_t* extra = e + kEntrySize + nameLen;
    for (std::size_t x = 0; x + 4 <= extraLen;) {
        const std::uint16_t id = loadU16(extra + x);
        const std::uint16_t len = loadU16(extra + x + 2);
        if (x + 4 + len > extraLen) {
            return corrupt("a central directory entry has a malformed extra field");
        }
        if (id == kZip64ExtraId) {
            std::size_t f = x + 4;
            const std::size_t end = f + len;
            for (std::uint64_t* field : {&size, &compressed, &local}) {
                if (*field == 0xffffffffU) {
                    if (f + 8 > end) {
                        return corrupt("a ZIP64 field is missing");
                    }
                    *field = loadU64(extra + f);
                    f += 8;
                }
            }
        }
        x += 4 + len;
    }
    pos += total;
    if ((flags & 1U) != 0) {
        return core::fail(core::ErrorCode::UnsupportedFormat,
                          fmt::format("'{}' holds an encrypted entry '{}'; PyTorch never writes "
                                      "those. Save the model again with torch.save.",
                                      m_source, name));
    }
    if (method != 0 || compressed != size) {
        if (zip.entries.empty() && zip.firstName.empty() && zip.compressed.empty()) {
            zip.firstName = name;
        }
        zip.compressed.push_back(std::move(name));
        return {};
    }
    // The local header's own lengths decide where the data starts (its sizes may be zero).
    if (!inside(local, kLocalSize) || loadU32(at(local)) != kLocalHeader) {
        return corrupt(fmt::format("the entry '{}' points outside the file", name));
    }
    const std::uint64_t data =
        local + kLocalSize + loadU16(at(local) + 26) + std::uint64_t{loadU16(at(local) + 28)};
    if (!inside(data, size)) {
        return corrupt(fmt::format("the entry '{}' runs past the end of the file", name));
    }
    if (zip.entries.empty() && zip.firstName.empty() && zip.compressed.empty()) {
        zip.firstName = name;
    }
    if (!zip.entries.emplace(std::move(name), m_bytes.subspan(data, size)).second) {
        return corrupt("an entry name appears twice");
    }
    return {};
}

core::Result<ZipArchive> Reader::read() {
    const auto end = findEnd();
    if (!end) {
        return corrupt(
            "its directory (at the end of the file) is missing, so the file is cut "
            "short");
    }
    const std::uint8_t* eocd = at(*end);
    std::uint64_t count = loadU16(eocd + 10);
    std::uint64_t dirSize = loadU32(eocd + 12);
    std::uint64_t dirOffset = loadU32(eocd + 16);
    if (count == 0xffff || dirSize == 0xffffffffU || dirOffset == 0xffffffffU) {
        if (*end < 20 || loadU32(at(*end - 20)) != kZip64Locator) {
            return corrupt("its ZIP64 directory locator is missing");
        }
        const std::uint64_t record = loadU64(at(*end - 20) + 8);
        if (!inside(record, 56) || loadU32(at(record)) != kZip64EndOfDirectory) {
            return corrupt("its ZIP64 directory record is outside the file");
        }
        count = loadU64(at(record) + 32);
        dirSize = loadU64(at(record) + 40);
        dirOffset = loadU64(at(record) + 48);
    }
    if (!inside(dirOffset, dirSize) || count > dirSize / kEntrySize) {
        return corrupt("its central directory lies outside the file");
    }
    ZipArchive zip;
    std::uint64_t pos = dirOffset;
    for (std::uint64_t i = 0; i < count; ++i) {
        if (auto entry = readEntry(pos, zip); !entry) {
            return tl::unexpected(entry.error());
        }
    }
    return zip;
}

}  // namespace

core::Result<ZipArchive> readZip(std::span<const std::uint8_t> bytes, std::string_view source) {
    return Reader(bytes, source).read();
}

}  // namespace upscale::models::detail
