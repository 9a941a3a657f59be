// The header reader on its own: the dimensions of every format as our writer stores them, the
// variants other writers produce (byte orders, field types, top-down rows, extra segments), and
// broken or cut-short headers, which must give an error naming the problem and never a crash.

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "image_header.hpp"
#include "image_test_util.hpp"
#include "input_file.hpp"
#include "upscale/media/image_io.hpp"

namespace fs = std::filesystem;
using upscale::core::BitDepth;
using upscale::core::ErrorCode;
using upscale::core::Result;
using upscale::media::ImageWriteOptions;
using upscale::media::readImage;
using upscale::media::writeImage;
using upscale::media::detail::formatFromSignature;
using upscale::media::detail::ImageFormat;
using upscale::media::detail::ImageHeader;
using upscale::media::detail::InputFile;
using upscale::media::detail::MemorySource;
using upscale::media::detail::readImageHeader;
using upscale::test::patternImage;
using upscale::test::readAll;
using upscale::test::writeBytes;

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes toBytes(const std::string& text) {
    return {text.begin(), text.end()};
}

std::string toString(const Bytes& bytes) {
    return {bytes.begin(), bytes.end()};
}

Result<ImageHeader> headerOf(const Bytes& bytes, ImageFormat format) {
    MemorySource source(bytes);
    return readImageHeader("image", format, source);
}

/// Appends `value` as `size` bytes in the given byte order.
void put(Bytes& out, std::uint64_t value, int size, bool little) {
    for (int i = 0; i < size; ++i) {
        const int shift = 8 * (little ? i : size - 1 - i);
        out.push_back(static_cast<std::uint8_t>((value >> shift) & 0xFF));
    }
}

struct TiffEntry {
    std::uint16_t tag;
    std::uint16_t type;  ///< 3 SHORT, 4 LONG, 16 LONG8, ...
    std::uint64_t value;
};

/// A TIFF (or BigTIFF) with one image directory holding `entries`, each with one value.
Bytes tiff(bool little, bool big, const std::vector<TiffEntry>& entries) {
    Bytes out;
    out.push_back(little ? 'I' : 'M');
    out.push_back(little ? 'I' : 'M');
    put(out, big ? 43 : 42, 2, little);
    if (big) {
        put(out, 8, 2, little);
        put(out, 0, 2, little);
        put(out, 16, 8, little);
    } else {
        put(out, 8, 4, little);
    }
    const int field = big ? 8 : 4;
    put(out, entries.size(), big ? 8 : 2, little);
    for (const auto& e : entries) {
        put(out, e.tag, 2, little);
        put(out, e.type, 2, little);
        put(out, 1, field, little);
        const int size = e.type == 3 ? 2 : e.type == 16 ? 8 : 4;
        put(out, e.value, size, little);
        put(out, 0, field - size, little);
    }
    put(out, 0, field, little);  // no further directory
    return out;
}

void expectSize(const Result<ImageHeader>& header, std::int64_t width, std::int64_t height) {
    ASSERT_TRUE(header.has_value()) << header.error().message;
    EXPECT_EQ(header->width, width);
    EXPECT_EQ(header->height, height);
}

void expectDamaged(const Result<ImageHeader>& header, const std::string& detail) {
    ASSERT_FALSE(header.has_value());
    EXPECT_EQ(header.error().code, ErrorCode::CorruptFile);
    EXPECT_NE(header.error().message.find("'image'"), std::string::npos) << header.error().message;
    EXPECT_NE(header.error().message.find(detail), std::string::npos) << header.error().message;
}

struct Written {
    const char* name;
    int channels;
    ImageWriteOptions options;
    ImageFormat format;
    const char* webpChunk;  ///< the first chunk a WebP file must start with; null otherwise
};

/// One file per format and, for WebP, per kind of first chunk (lossy, lossless, extended).
const std::vector<Written>& writtenFormats() {
    static const std::vector<Written> kFormats{
        {"small.png", 3, {}, ImageFormat::Png, nullptr},
        {"small.jpg", 3, {}, ImageFormat::Jpeg, nullptr},
        {"lossy.webp", 3, {}, ImageFormat::WebP, "VP8 "},
        {"lossless.webp", 3, {.webpQuality = 101}, ImageFormat::WebP, "VP8L"},
        {"alpha.webp", 4, {}, ImageFormat::WebP, "VP8X"},
        {"small.tif", 3, {}, ImageFormat::Tiff, nullptr},
        {"small.bmp", 3, {}, ImageFormat::Bmp, nullptr},
    };
    return kFormats;
}

using ImageHeaderTest = upscale::test::FolderTest;

TEST_F(ImageHeaderTest, DimensionsOfEveryWrittenFormat) {
    for (const auto& w : writtenFormats()) {
        SCOPED_TRACE(w.name);
        const fs::path path = dir() / w.name;
        ASSERT_TRUE(writeImage(path, patternImage(37, 23, w.channels, BitDepth::U8), w.options));
        const Bytes bytes = toBytes(readAll(path));
        ASSERT_EQ(formatFromSignature(bytes), w.format);
        if (w.webpChunk != nullptr) {
            ASSERT_EQ(toString(Bytes(bytes.begin() + 12, bytes.begin() + 16)), w.webpChunk);
        }
        expectSize(headerOf(bytes, w.format), 37, 23);

        auto file = InputFile::open(path);
        ASSERT_TRUE(file.has_value()) << file.error().message;
        EXPECT_EQ(file->size(), bytes.size());
        expectSize(readImageHeader(path, w.format, *file), 37, 23);
    }
}

TEST_F(ImageHeaderTest, JpegSegmentsBeyondTheFirstWindowAndFillBytesAreSkipped) {
    const fs::path plain = dir() / "plain.jpg";
    ASSERT_TRUE(writeImage(plain, patternImage(37, 23, 3, BitDepth::U8)));
    Bytes jpeg = toBytes(readAll(plain));
    // Two maximal APP2 segments (as a large ICC profile is stored) push the frame header past
    // the reader's first 64 KiB window; fill bytes before a marker are allowed too.
    Bytes extra;
    for (int i = 0; i < 2; ++i) {
        put(extra, 0xFFE2, 2, false);
        put(extra, 0xFFFF, 2, false);
        extra.insert(extra.end(), 0xFFFF - 2, static_cast<std::uint8_t>('a' + i));
    }
    extra.insert(extra.end(), {0xFF, 0xFF, 0xFF});
    jpeg.insert(jpeg.begin() + 2, extra.begin(), extra.end());
    const fs::path path = dir() / "segments.jpg";
    writeBytes(path, toString(jpeg));

    auto file = InputFile::open(path);
    ASSERT_TRUE(file.has_value()) << file.error().message;
    expectSize(readImageHeader(path, ImageFormat::Jpeg, *file), 37, 23);
    auto image = readImage(path);
    ASSERT_TRUE(image.has_value()) << image.error().message;
    EXPECT_EQ(image->width(), 37);
    EXPECT_EQ(image->height(), 23);
}

TEST(ImageHeader, BrokenJpegSegmentsAreDamaged) {
    expectDamaged(headerOf({0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x08}, ImageFormat::Jpeg),
                  "before any frame header");
    expectDamaged(headerOf({0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01, 0x00}, ImageFormat::Jpeg),
                  "invalid length 1");
    expectDamaged(headerOf({0xFF, 0xD8, 0x12, 0x34, 0x00, 0x10}, ImageFormat::Jpeg),
                  "no marker at byte 2");
    expectDamaged(
        headerOf({0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x05, 0x08, 0x00, 0x10}, ImageFormat::Jpeg),
        "frame header at byte 2 is 5 bytes long");
    // A progressive frame header (SOF2) after an APP0 segment.
    expectSize(headerOf({0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xC2, 0x00,
                         0x0B, 0x08, 0x01, 0x2C, 0x02, 0x58, 0x03, 0x01, 0x22, 0x00},
                        ImageFormat::Jpeg),
               600, 300);
}

TEST(ImageHeader, TiffInBothByteOrdersWithShortAndLongFields) {
    for (const bool little : {true, false}) {
        SCOPED_TRACE(little ? "little-endian" : "big-endian");
        // NewSubfileType first: the reader must step over tags it does not need.
        expectSize(headerOf(tiff(little, false, {{254, 4, 0}, {256, 3, 37}, {257, 3, 23}}),
                            ImageFormat::Tiff),
                   37, 23);
        expectSize(
            headerOf(tiff(little, false, {{256, 4, 70000}, {257, 3, 65535}}), ImageFormat::Tiff),
            70000, 65535);
        expectSize(
            headerOf(tiff(little, false, {{256, 3, 5}, {257, 4, 0xFFFFFFFF}}), ImageFormat::Tiff),
            5, 0xFFFFFFFF);
        expectSize(
            headerOf(tiff(little, true, {{256, 16, 123456789012}, {257, 3, 9}}), ImageFormat::Tiff),
            123456789012, 9);
        expectSize(headerOf(tiff(little, true, {{256, 4, 37}, {257, 4, 23}}), ImageFormat::Tiff),
                   37, 23);
    }
}

TEST(ImageHeader, BrokenTiffDirectoriesAreDamagedOrTruncated) {
    expectDamaged(headerOf(tiff(true, false, {{256, 11, 37}, {257, 3, 23}}), ImageFormat::Tiff),
                  "tag 256 has the type 11");
    expectDamaged(headerOf(tiff(false, false, {{256, 3, 37}}), ImageFormat::Tiff),
                  "no ImageWidth or no ImageLength");
    expectDamaged(headerOf(tiff(true, false, {}), ImageFormat::Tiff), "directory is empty");
    // LONG8 exists only in BigTIFF.
    expectDamaged(headerOf(tiff(true, false, {{256, 16, 37}, {257, 3, 23}}), ImageFormat::Tiff),
                  "type 16");

    Bytes farAway = tiff(true, false, {{256, 3, 37}, {257, 3, 23}});
    farAway[4] = 0xF0;  // the directory offset now points past the end of the file
    expectDamaged(headerOf(farAway, ImageFormat::Tiff), "ends after");
    Bytes tooMany = tiff(false, false, {{256, 3, 37}, {257, 3, 23}});
    tooMany[8] = 0x7F;  // 32514 entries announced, two present
    expectDamaged(headerOf(tooMany, ImageFormat::Tiff), "ends after");
}

TEST_F(ImageHeaderTest, BmpTopDownAndCoreHeaders) {
    const fs::path written = dir() / "rows.bmp";
    const auto pattern = patternImage(37, 23, 3, BitDepth::U8);
    ASSERT_TRUE(writeImage(written, pattern));
    Bytes bmp = toBytes(readAll(written));
    expectSize(headerOf(bmp, ImageFormat::Bmp), 37, 23);
    // A negative height: the same rows, stored top-down.
    const auto topDown = static_cast<std::uint32_t>(-23);
    for (int i = 0; i < 4; ++i) {
        bmp[22 + i] = static_cast<std::uint8_t>(topDown >> (8 * i));
    }
    expectSize(headerOf(bmp, ImageFormat::Bmp), 37, 23);

    Bytes negativeWidth = bmp;
    negativeWidth[21] = 0xFF;
    expectDamaged(headerOf(negativeWidth, ImageFormat::Bmp), "width is negative");

    Bytes core{'B', 'M'};
    put(core, 26, 4, true);  // file size
    put(core, 0, 4, true);
    put(core, 26, 4, true);  // pixel data offset
    put(core, 12, 4, true);  // BITMAPCOREHEADER
    put(core, 640, 2, true);
    put(core, 480, 2, true);
    put(core, 1, 2, true);
    put(core, 24, 2, true);
    expectSize(headerOf(core, ImageFormat::Bmp), 640, 480);
    core[14] = 5;
    expectDamaged(headerOf(core, ImageFormat::Bmp), "info header has the invalid size 5");
}

TEST(ImageHeader, BrokenPngAndWebpHeadersAreDamaged) {
    Bytes png{0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    put(png, 13, 4, false);
    png.insert(png.end(), {'I', 'D', 'A', 'T'});
    png.resize(33, 0);
    expectDamaged(headerOf(png, ImageFormat::Png), "not a 13-byte IHDR");

    // RIFF, a length, WEBP, then a first chunk of the given kind with zeros for its data.
    const auto webp = [](const std::string& chunk) {
        Bytes out = toBytes("RIFF");
        put(out, 32, 4, true);
        const Bytes rest = toBytes("WEBP" + chunk);
        out.insert(out.end(), rest.begin(), rest.end());
        out.resize(40, 0);
        return out;
    };
    expectDamaged(headerOf(webp("ABCD"), ImageFormat::WebP), "none of VP8, VP8L or VP8X");
    expectDamaged(headerOf(webp("VP8 "), ImageFormat::WebP), "no start code");
    const Bytes vp8l = webp("VP8L");
    expectDamaged(headerOf(vp8l, ImageFormat::WebP), "no signature");
}

TEST_F(ImageHeaderTest, EveryCutShortHeaderIsCorruptNeverACrash) {
    for (const auto& w : writtenFormats()) {
        SCOPED_TRACE(w.name);
        const fs::path whole = dir() / w.name;
        ASSERT_TRUE(writeImage(whole, patternImage(37, 23, w.channels, BitDepth::U8), w.options));
        const Bytes bytes = toBytes(readAll(whole));
        // Every prefix: once the header is complete it stays readable, and before that the
        // error says where the file ends.
        std::size_t complete = 0;
        for (std::size_t n = 1; n <= bytes.size(); ++n) {
            const Bytes prefix(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
            const auto header = headerOf(prefix, w.format);
            if (header.has_value()) {
                complete = complete == 0 ? n : complete;
                ASSERT_EQ(header->width, 37) << n;
                ASSERT_EQ(header->height, 23) << n;
                continue;
            }
            ASSERT_EQ(complete, 0U) << "readable at " << complete << " bytes but not at " << n;
            ASSERT_EQ(header.error().code, ErrorCode::CorruptFile);
            ASSERT_NE(header.error().message.find(fmt::format("ends after {} bytes", n)),
                      std::string::npos)
                << header.error().message;
        }
        ASSERT_GT(complete, 0U);

        // Through readImage, a file cut inside its header is corrupt (known by its signature, or
        // by its name when even that is cut), and one cut later is corrupt or decodes partly.
        const fs::path cut = dir() / (std::string("cut_") + w.name);
        for (std::size_t n = 1; n < bytes.size(); n += n < complete ? 1 : 97) {
            writeBytes(cut, toString(Bytes(bytes.begin(), bytes.begin() + n)));
            const auto image = readImage(cut);
            if (n < complete) {
                ASSERT_FALSE(image.has_value()) << n;
                ASSERT_EQ(image.error().code, ErrorCode::CorruptFile) << image.error().message;
            }
            if (!image) {
                ASSERT_TRUE(image.error().code == ErrorCode::CorruptFile ||
                            image.error().code == ErrorCode::UnsupportedFormat)
                    << image.error().message;
                ASSERT_NE(image.error().message.find(cut.string()), std::string::npos)
                    << image.error().message;
            }
        }
    }
}

}  // namespace
