// Writes that run out of room: a full file system and the file size limit both give DiskFull
// naming the file, and leave neither a truncated result nor a temporary file behind.

#include <gtest/gtest.h>

#include <sys/mount.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <set>
#include <string>

#include "image_test_util.hpp"
#include "upscale/media/image_io.hpp"

namespace fs = std::filesystem;
using upscale::core::BitDepth;
using upscale::core::ErrorCode;
using upscale::core::errorCodeName;
using upscale::core::Image;
using upscale::media::ImageWriteOptions;
using upscale::media::readImage;
using upscale::media::writeImage;
using upscale::test::listFolder;
using upscale::test::patternImage;
using upscale::test::readAll;

namespace {

/// About 192 KiB as an uncompressed PNG.
Image bigImage() {
    return patternImage(256, 256, 3, BitDepth::U8);
}

constexpr ImageWriteOptions kUncompressed{.pngCompression = 0};

class DiskFullTest : public upscale::test::FolderTest {
protected:
    void TearDown() override {
        if (!m_mounted.empty()) {
            ::umount2(m_mounted.c_str(), MNT_DETACH);
        }
        FolderTest::TearDown();
    }

    /// A 64 KiB tmpfs inside the test folder; empty when it cannot be mounted here.
    fs::path mountSmallDisk(std::string& why) {
        if (::geteuid() != 0) {
            why = "mounting a small tmpfs needs root";
            return {};
        }
        const fs::path point = dir() / "small_disk";
        fs::create_directory(point);
        if (::mount("tmpfs", point.c_str(), "tmpfs", 0, "size=64k") != 0) {
            why = std::string("cannot mount a 64 KiB tmpfs: ") + std::strerror(errno);
            return {};
        }
        m_mounted = point;
        return point;
    }

private:
    fs::path m_mounted;
};

class DiskFullDeathTest : public upscale::test::FolderTest {};

/// Lowers the file size limit to 16 KiB, writes a bigger image, prints the error code and
/// message on stderr and exits.
[[noreturn]] void writeUnderFileSizeLimit(const fs::path& path) {
    const rlimit limit{16 * 1024, 16 * 1024};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    // Past the limit the kernel sends SIGXFSZ, which kills by default; ignored, the write fails
    // with EFBIG instead.
    std::signal(SIGXFSZ, SIG_IGN);
    const auto result = writeImage(path, bigImage(), kUncompressed);
    std::fprintf(stderr, "code=%s: %s\n",
                 result ? "none" : errorCodeName(result.error().code).data(),
                 result ? "" : result.error().message.c_str());
    std::_Exit(0);
}

TEST_F(DiskFullTest, FullFileSystemIsDiskFullAndLeavesNothing) {
    std::string why;
    const fs::path disk = mountSmallDisk(why);
    if (disk.empty()) {
        GTEST_SKIP() << why;
    }
    const fs::path path = disk / "big.png";
    auto result = writeImage(path, bigImage(), kUncompressed);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, ErrorCode::DiskFull);
    const std::string& message = result.error().message;
    EXPECT_NE(message.find("Cannot write '" + path.string() + "'"), std::string::npos) << message;
    EXPECT_NE(message.find(std::strerror(ENOSPC)), std::string::npos) << message;
    EXPECT_NE(message.find("Free some space on the disk."), std::string::npos) << message;
    EXPECT_EQ(result.error().remedy, upscale::core::Remedy::Resume);
    EXPECT_TRUE(listFolder(disk).empty());

    // The space the failed write took is free again, and an existing file that cannot be
    // replaced keeps its old content whole.
    const fs::path kept = disk / "kept.png";
    const Image small = patternImage(16, 16, 3, BitDepth::U8);
    ASSERT_TRUE(writeImage(kept, small));
    const std::string before = readAll(kept);
    auto replace = writeImage(kept, bigImage(), kUncompressed);
    ASSERT_FALSE(replace.has_value());
    EXPECT_EQ(replace.error().code, ErrorCode::DiskFull);
    EXPECT_EQ(listFolder(disk), std::set<std::string>{"kept.png"});
    EXPECT_EQ(readAll(kept), before);
    auto back = readImage(kept);
    ASSERT_TRUE(back.has_value()) << back.error().message;
    EXPECT_EQ(back->width(), 16);
}

TEST_F(DiskFullDeathTest, FileSizeLimitIsDiskFullAndLeavesNothing) {
    const fs::path path = dir() / "big.png";
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    // In a child process: the limit cannot be raised again once lowered.
    EXPECT_EXIT(writeUnderFileSizeLimit(path), ::testing::ExitedWithCode(0),
                "code=disk-full: Cannot write '.*big\\.png': File too large\\. .*file size "
                "limit.*raise the limit\\.");
    EXPECT_TRUE(listFolder(dir()).empty());
}

}  // namespace
