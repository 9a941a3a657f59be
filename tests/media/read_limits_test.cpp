// Inputs are refused by what their headers announce, before anything large is read or
// allocated: pixel and side limits in every format, a decompression bomb (measured by the peak
// memory of the process), files too large to decode, and paths that are not regular files.

#include <gtest/gtest.h>

#include <sys/resource.h>
#include <sys/stat.h>
#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "image_test_util.hpp"
#include "upscale/media/image_io.hpp"

namespace fs = std::filesystem;
using upscale::core::BitDepth;
using upscale::core::ErrorCode;
using upscale::core::errorCodeName;
using upscale::media::readImage;
using upscale::media::ReadLimits;
using upscale::media::writeImage;
using upscale::test::patternImage;
using upscale::test::writeBytes;

namespace {

void putBigEndian(std::string& out, std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) {
        out.push_back(static_cast<char>((value >> shift) & 0xFF));
    }
}

/// A PNG chunk: length, type, data and the CRC of type and data.
std::string pngChunk(const std::string& type, const std::string& data) {
    std::string chunk;
    putBigEndian(chunk, static_cast<std::uint32_t>(data.size()));
    const std::string body = type + data;
    chunk += body;
    putBigEndian(chunk, static_cast<std::uint32_t>(
                            crc32(0, reinterpret_cast<const Bytef*>(body.data()), body.size())));
    return chunk;
}

/// zlib data that inflates to `size` zero bytes, made a piece at a time so that making it never
/// holds much memory (the peak memory of the process is what the bomb test measures).
std::string zlibZeros(std::size_t size) {
    z_stream z{};
    EXPECT_EQ(deflateInit(&z, Z_BEST_COMPRESSION), Z_OK);
    std::vector<Bytef> zeros(64 * 1024, 0);
    std::vector<Bytef> out(64 * 1024);
    std::string compressed;
    std::size_t left = size;
    int flush = Z_NO_FLUSH;
    while (flush != Z_FINISH) {
        const std::size_t piece = std::min(left, zeros.size());
        left -= piece;
        flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
        z.next_in = zeros.data();
        z.avail_in = static_cast<uInt>(piece);
        do {
            z.next_out = out.data();
            z.avail_out = static_cast<uInt>(out.size());
            deflate(&z, flush);
            compressed.append(reinterpret_cast<const char*>(out.data()), out.size() - z.avail_out);
        } while (z.avail_out == 0);
    }
    deflateEnd(&z);
    return compressed;
}

/// A valid 8-bit RGB PNG header for width x height, then `rowBytes` bytes of zero rows.
std::string pngWithZeroRows(std::uint32_t width, std::uint32_t height, std::size_t rowBytes) {
    std::string ihdr;
    putBigEndian(ihdr, width);
    putBigEndian(ihdr, height);
    ihdr +=
        std::string("\x08\x02\x00\x00\x00", 5);  // 8 bits, RGB, deflate, no filter, no interlace
    return std::string("\x89PNG\r\n\x1a\n", 8) + pngChunk("IHDR", ihdr) +
           pngChunk("IDAT", zlibZeros(rowBytes)) + pngChunk("IEND", "");
}

long peakRssKiB() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

using ReadLimitsTest = upscale::test::FolderTest;
class ReadLimitsDeathTest : public upscale::test::FolderTest {};

/// Reads an image with the default limits, prints the error code, the growth of the peak memory
/// and the message on stderr, and exits with 0 when the peak grew by less than 64 MiB.
[[noreturn]] void readAndReportPeakMemory(const fs::path& path) {
    const long before = peakRssKiB();
    const auto result = readImage(path);
    const long grownKiB = peakRssKiB() - before;
    std::fprintf(stderr, "code=%s grown=%ld KiB: %s\n",
                 result ? "none" : errorCodeName(result.error().code).data(), grownKiB,
                 result ? "" : result.error().message.c_str());
    std::_Exit(grownKiB < 64 * 1024 ? 0 : 1);
}

TEST_F(ReadLimitsTest, EveryFormatIsCheckedAgainstThePixelAndSideLimits) {
    for (const char* name : {"small.png", "small.jpg", "small.webp", "small.tif", "small.bmp"}) {
        SCOPED_TRACE(name);
        const fs::path path = dir() / name;
        ASSERT_TRUE(writeImage(path, patternImage(37, 23, 3, BitDepth::U8)));

        auto over = readImage(path, ReadLimits{.maxPixels = 850});
        ASSERT_FALSE(over.has_value());
        EXPECT_EQ(over.error().code, ErrorCode::LimitExceeded);
        const std::string& message = over.error().message;
        for (const char* part : {"37x23 = 851 pixels", "limit of 850 pixels"}) {
            EXPECT_NE(message.find(part), std::string::npos) << part << " in: " << message;
        }
        EXPECT_EQ(over.error().remedy, upscale::core::Remedy::RaiseLimit);
        EXPECT_NE(message.find(path.string()), std::string::npos) << message;
        auto exact = readImage(path, ReadLimits{.maxPixels = 851});
        ASSERT_TRUE(exact.has_value()) << exact.error().message;
        EXPECT_EQ(exact->width(), 37);

        auto wide = readImage(path, ReadLimits{.maxDimension = 36});
        ASSERT_FALSE(wide.has_value());
        EXPECT_EQ(wide.error().code, ErrorCode::LimitExceeded);
        EXPECT_NE(wide.error().message.find("limit of 36 pixels on a side"), std::string::npos)
            << wide.error().message;
        EXPECT_TRUE(readImage(path, ReadLimits{.maxDimension = 37}).has_value());
    }
}

TEST_F(ReadLimitsDeathTest, DecompressionBombIsRefusedWithoutAllocating) {
    // Decoded, 30000 x 30000 RGB is 2.7 GB: below OpenCV's own limit of 2^30 pixels, so only our
    // check stands in the way. The 128 MiB of zero rows behind the header compress to about
    // 130 KB, and a decoder would fill that much memory with them before the data runs out.
    const fs::path path = dir() / "bomb.png";
    writeBytes(path, pngWithZeroRows(30000, 30000, std::size_t{128} << 20));
    ASSERT_LT(fs::file_size(path), 1U << 20);
    GTEST_FLAG_SET(death_test_style, "threadsafe");  // a fresh process: its own peak memory
    EXPECT_EXIT(readAndReportPeakMemory(path), ::testing::ExitedWithCode(0),
                "code=limit-exceeded .*30000x30000 = 900000000 pixels");
}

TEST_F(ReadLimitsTest, ZeroWidthHeaderIsCorrupt) {
    const fs::path path = dir() / "empty_width.png";
    writeBytes(path, pngWithZeroRows(0, 5, 10));
    auto result = readImage(path);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, ErrorCode::CorruptFile);
    EXPECT_NE(result.error().message.find("0x5 pixels"), std::string::npos)
        << result.error().message;
}

TEST_F(ReadLimitsTest, FileTooLargeToDecodeIsRefusedBeforeItIsRead) {
    // A small valid header in a sparse 3 GiB file: refused by its size, which OpenCV could not
    // take in one buffer, without reading (or allocating) the gigabytes.
    const fs::path path = dir() / "huge_file.png";
    writeBytes(path, pngWithZeroRows(10, 10, 310));
    std::error_code ec;
    fs::resize_file(path, std::uintmax_t{3} << 30, ec);
    if (ec) {
        GTEST_SKIP() << "cannot make a sparse 3 GiB file here: " << ec.message();
    }
    const long before = peakRssKiB();
    auto result = readImage(path);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, ErrorCode::LimitExceeded);
    EXPECT_NE(result.error().message.find("3221225472 bytes"), std::string::npos)
        << result.error().message;
    EXPECT_NE(result.error().message.find(path.string()), std::string::npos);
    EXPECT_LT(peakRssKiB() - before, 64 * 1024);
}

TEST_F(ReadLimitsTest, NamedPipeIsRefusedWithoutBlocking) {
    // Opening a pipe for reading waits for a writer, and none comes: it must not be opened.
    const fs::path path = dir() / "pipe.png";
    ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
    auto result = readImage(path);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, ErrorCode::InvalidArgument);
    EXPECT_NE(result.error().message.find("is a named pipe"), std::string::npos)
        << result.error().message;
    EXPECT_NE(result.error().message.find(path.string()), std::string::npos);
}

TEST(ReadLimits, CharacterDeviceIsRefusedWithoutReading) {
    // /dev/zero never ends: reading it whole would exhaust the memory.
    auto result = readImage("/dev/zero");
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, ErrorCode::InvalidArgument);
    EXPECT_NE(result.error().message.find("'/dev/zero' is a character device"), std::string::npos)
        << result.error().message;
}

}  // namespace
