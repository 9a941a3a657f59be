#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "common/test_paths.hpp"
#include "image_test_util.hpp"
#include "upscale/core/error.hpp"
#include "upscale/core/image.hpp"
#include "upscale/media/image_io.hpp"

namespace fs = std::filesystem;
using upscale::core::BitDepth;
using upscale::core::ErrorCode;
using upscale::core::Image;
using upscale::media::formatSupports16Bit;
using upscale::media::formatSupportsAlpha;
using upscale::media::hasImageExtension;
using upscale::media::imageExtensions;
using upscale::media::ImageWriteOptions;
using upscale::media::readImage;
using upscale::media::writeImage;
using upscale::test::listFolder;
using upscale::test::patternImage;
using upscale::test::readAll;
using upscale::test::writeBytes;

namespace {

/// A smooth gradient, which lossy codecs reproduce closely.
Image gradientImage(int width, int height) {
    Image img(width, height, 3, BitDepth::U8);
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            img.set(x, y, 0, x * 255 / (width - 1));
            img.set(x, y, 1, y * 255 / (height - 1));
            img.set(x, y, 2, 128);
        }
    }
    return img;
}

void expectSameImage(const Image& actual, const Image& expected) {
    ASSERT_EQ(actual.width(), expected.width());
    ASSERT_EQ(actual.height(), expected.height());
    ASSERT_EQ(actual.channels(), expected.channels());
    ASSERT_EQ(actual.depth(), expected.depth());
    EXPECT_TRUE(std::equal(actual.bytes().begin(), actual.bytes().end(), expected.bytes().begin()));
}

double meanAbsDiff(const Image& a, const Image& b) {
    double sum = 0.0;
    for (int y = 0; y < a.height(); ++y) {
        for (int x = 0; x < a.width(); ++x) {
            for (int c = 0; c < a.channels(); ++c) {
                sum += std::abs(a.at(x, y, c) - b.at(x, y, c));
            }
        }
    }
    return sum / (static_cast<double>(a.width()) * a.height() * a.channels());
}

using ImageIoTest = upscale::test::FolderTest;

TEST_F(ImageIoTest, Rgb8PngRoundTripIsExactAndStoredAsBgr) {
    Image red(4, 3, 3, BitDepth::U8);
    for (int y = 0; y < 3; ++y) {
        for (int x = 0; x < 4; ++x) {
            red.set(x, y, 0, 255);
        }
    }
    const fs::path path = dir() / "red.png";
    ASSERT_TRUE(writeImage(path, red).has_value());

    const cv::Mat onDisk = cv::imread(path.string(), cv::IMREAD_UNCHANGED);
    ASSERT_EQ(onDisk.type(), CV_8UC3);
    EXPECT_EQ(onDisk.at<cv::Vec3b>(1, 2), cv::Vec3b(0, 0, 255));

    auto back = readImage(path);
    ASSERT_TRUE(back.has_value()) << back.error().message;
    EXPECT_EQ(back->at(2, 1, 0), 255);
    EXPECT_EQ(back->at(2, 1, 1), 0);
    EXPECT_EQ(back->at(2, 1, 2), 0);
    expectSameImage(*back, red);

    const Image pattern = patternImage(37, 23, 3, BitDepth::U8);
    ASSERT_TRUE(writeImage(path, pattern).has_value());
    auto patternBack = readImage(path);
    ASSERT_TRUE(patternBack.has_value()) << patternBack.error().message;
    expectSameImage(*patternBack, pattern);
}

TEST_F(ImageIoTest, Rgb16RoundTripIsExactInPngAndTiff) {
    const Image pattern = patternImage(29, 17, 3, BitDepth::U16);
    for (const char* name : {"wide.png", "wide.tif", "wide.tiff"}) {
        const fs::path path = dir() / name;
        auto written = writeImage(path, pattern);
        ASSERT_TRUE(written.has_value()) << written.error().message;
        auto back = readImage(path);
        ASSERT_TRUE(back.has_value()) << back.error().message;
        SCOPED_TRACE(name);
        expectSameImage(*back, pattern);
    }
}

TEST_F(ImageIoTest, Rgba16TiffKeepsAlphaAndDepth) {
    const Image pattern = patternImage(13, 11, 4, BitDepth::U16);
    const fs::path path = dir() / "alpha.tif";
    ASSERT_TRUE(writeImage(path, pattern).has_value());
    auto back = readImage(path);
    ASSERT_TRUE(back.has_value()) << back.error().message;
    expectSameImage(*back, pattern);
}

TEST_F(ImageIoTest, SixteenBitIntoJpegBecomesEightBit) {
    Image wide(16, 16, 3, BitDepth::U16);
    for (int y = 0; y < 16; ++y) {
        for (int x = 0; x < 16; ++x) {
            wide.set(x, y, 0, 200 * 257);
            wide.set(x, y, 1, 100 * 257);
            wide.set(x, y, 2, 50 * 257);
        }
    }
    const fs::path path = dir() / "wide.jpg";
    ASSERT_TRUE(writeImage(path, wide, ImageWriteOptions{.jpegQuality = 100}).has_value());
    auto back = readImage(path);
    ASSERT_TRUE(back.has_value()) << back.error().message;
    EXPECT_EQ(back->depth(), BitDepth::U8);
    EXPECT_EQ(back->channels(), 3);
    EXPECT_NEAR(back->at(8, 8, 0), 200, 3);
    EXPECT_NEAR(back->at(8, 8, 1), 100, 3);
    EXPECT_NEAR(back->at(8, 8, 2), 50, 3);
}

TEST_F(ImageIoTest, SixteenBitIntoLosslessWebpAndBmpIsRoundedToEightBit) {
    Image wide(8, 8, 3, BitDepth::U16);
    Image expected(8, 8, 3, BitDepth::U8);
    for (int y = 0; y < 8; ++y) {
        for (int x = 0; x < 8; ++x) {
            for (int c = 0; c < 3; ++c) {
                const int v = (x * 8 + y) * 1000 + c * 129;
                wide.set(x, y, c, v);
                expected.set(x, y, c, static_cast<int>(std::lround(v / 257.0)));
            }
        }
    }
    for (const char* name : {"wide.webp", "wide.bmp"}) {
        SCOPED_TRACE(name);
        const fs::path path = dir() / name;
        ASSERT_TRUE(writeImage(path, wide, ImageWriteOptions{.webpQuality = 101}).has_value());
        auto back = readImage(path);
        ASSERT_TRUE(back.has_value()) << back.error().message;
        expectSameImage(*back, expected);
    }
}

TEST_F(ImageIoTest, RgbaPngKeepsAlphaExactly) {
    const Image pattern = patternImage(19, 7, 4, BitDepth::U8);
    const fs::path path = dir() / "alpha.png";
    ASSERT_TRUE(writeImage(path, pattern).has_value());
    auto back = readImage(path);
    ASSERT_TRUE(back.has_value()) << back.error().message;
    EXPECT_TRUE(back->hasAlpha());
    expectSameImage(*back, pattern);

    const cv::Mat onDisk = cv::imread(path.string(), cv::IMREAD_UNCHANGED);
    ASSERT_EQ(onDisk.type(), CV_8UC4);
    const auto px = onDisk.at<cv::Vec4b>(3, 5);
    EXPECT_EQ(px[0], pattern.at(5, 3, 2));
    EXPECT_EQ(px[2], pattern.at(5, 3, 0));
    EXPECT_EQ(px[3], pattern.at(5, 3, 3));
}

TEST_F(ImageIoTest, AlphaIsDroppedForJpegAndBmp) {
    const Image pattern = patternImage(9, 5, 4, BitDepth::U8);
    const fs::path path = dir() / "alpha.bmp";
    ASSERT_TRUE(writeImage(path, pattern).has_value());
    auto back = readImage(path);
    ASSERT_TRUE(back.has_value()) << back.error().message;
    ASSERT_EQ(back->channels(), 3);
    for (int y = 0; y < 5; ++y) {
        for (int x = 0; x < 9; ++x) {
            for (int c = 0; c < 3; ++c) {
                ASSERT_EQ(back->at(x, y, c), pattern.at(x, y, c)) << x << "," << y << "," << c;
            }
        }
    }
    const fs::path jpeg = dir() / "alpha.jpg";
    ASSERT_TRUE(writeImage(jpeg, pattern).has_value());
    auto jpegBack = readImage(jpeg);
    ASSERT_TRUE(jpegBack.has_value()) << jpegBack.error().message;
    EXPECT_EQ(jpegBack->channels(), 3);
}

TEST_F(ImageIoTest, GreyPngBecomesThreeEqualChannels) {
    cv::Mat grey(6, 10, CV_8UC1);
    for (int y = 0; y < grey.rows; ++y) {
        for (int x = 0; x < grey.cols; ++x) {
            grey.at<std::uint8_t>(y, x) = static_cast<std::uint8_t>(x * 20 + y);
        }
    }
    const fs::path path = dir() / "grey.png";
    ASSERT_TRUE(cv::imwrite(path.string(), grey));
    auto back = readImage(path);
    ASSERT_TRUE(back.has_value()) << back.error().message;
    ASSERT_EQ(back->channels(), 3);
    EXPECT_EQ(back->depth(), BitDepth::U8);
    for (int y = 0; y < grey.rows; ++y) {
        for (int x = 0; x < grey.cols; ++x) {
            for (int c = 0; c < 3; ++c) {
                ASSERT_EQ(back->at(x, y, c), grey.at<std::uint8_t>(y, x));
            }
        }
    }
}

TEST_F(ImageIoTest, Grey16PngStaysSixteenBit) {
    cv::Mat grey(5, 7, CV_16UC1);
    for (int y = 0; y < grey.rows; ++y) {
        for (int x = 0; x < grey.cols; ++x) {
            grey.at<std::uint16_t>(y, x) = static_cast<std::uint16_t>(x * 9000 + y * 31 + 1);
        }
    }
    const fs::path path = dir() / "grey16.png";
    ASSERT_TRUE(cv::imwrite(path.string(), grey));
    auto back = readImage(path);
    ASSERT_TRUE(back.has_value()) << back.error().message;
    ASSERT_EQ(back->channels(), 3);
    EXPECT_EQ(back->depth(), BitDepth::U16);
    for (int y = 0; y < grey.rows; ++y) {
        for (int x = 0; x < grey.cols; ++x) {
            for (int c = 0; c < 3; ++c) {
                ASSERT_EQ(back->at(x, y, c), grey.at<std::uint16_t>(y, x));
            }
        }
    }
}

TEST_F(ImageIoTest, GreyAlphaPngBecomesRgba) {
    // A 2x1 grey+alpha PNG (colour type 4): (10, alpha 200), (250, alpha 0).
    const std::vector<std::uint8_t> png{
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48,
        0x44, 0x52, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x08, 0x04, 0x00, 0x00,
        0x00, 0x5E, 0x2B, 0xB7, 0x01, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78,
        0x9C, 0x63, 0xE0, 0x3A, 0xF1, 0x8B, 0x01, 0x00, 0x04, 0x79, 0x01, 0xCD, 0xD4, 0x1E,
        0xAB, 0x37, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82};
    const fs::path path = dir() / "grey_alpha.png";
    writeBytes(path, std::string(png.begin(), png.end()));
    auto back = readImage(path);
    ASSERT_TRUE(back.has_value()) << back.error().message;
    ASSERT_EQ(back->channels(), 4);
    for (int c = 0; c < 3; ++c) {
        EXPECT_EQ(back->at(0, 0, c), 10);
        EXPECT_EQ(back->at(1, 0, c), 250);
    }
    EXPECT_EQ(back->at(0, 0, 3), 200);
    EXPECT_EQ(back->at(1, 0, 3), 0);
}

TEST_F(ImageIoTest, OneChannelImageIsWrittenAsGrey) {
    const Image grey = patternImage(8, 4, 1, BitDepth::U8);
    const fs::path path = dir() / "grey.png";
    ASSERT_TRUE(writeImage(path, grey).has_value());
    auto back = readImage(path);
    ASSERT_TRUE(back.has_value()) << back.error().message;
    ASSERT_EQ(back->channels(), 3);
    EXPECT_EQ(back->at(5, 2, 0), grey.at(5, 2, 0));
    EXPECT_EQ(back->at(5, 2, 2), grey.at(5, 2, 0));
}

TEST_F(ImageIoTest, FloatTiffBecomesSixteenBitClamped) {
    cv::Mat floats(1, 3, CV_32FC3);
    floats.at<cv::Vec3f>(0, 0) = cv::Vec3f(0.0F, 0.5F, 1.0F);     // B, G, R
    floats.at<cv::Vec3f>(0, 1) = cv::Vec3f(-0.25F, 1.5F, 0.25F);  // out of range clamps
    floats.at<cv::Vec3f>(0, 2) = cv::Vec3f(1.0F, 1.0F, 1.0F);
    const fs::path path = dir() / "float.tif";
    // Uncompressed: OpenCV's default for 3-channel float TIFF (SGILOG) is lossy.
    ASSERT_TRUE(cv::imwrite(path.string(), floats, {cv::IMWRITE_TIFF_COMPRESSION, 1}));
    auto back = readImage(path);
    ASSERT_TRUE(back.has_value()) << back.error().message;
    EXPECT_EQ(back->depth(), BitDepth::U16);
    ASSERT_EQ(back->channels(), 3);
    EXPECT_EQ(back->at(0, 0, 0), 65535);
    EXPECT_NEAR(back->at(0, 0, 1), 32768, 1);
    EXPECT_EQ(back->at(0, 0, 2), 0);
    EXPECT_NEAR(back->at(1, 0, 0), 16384, 1);
    EXPECT_EQ(back->at(1, 0, 1), 65535);
    EXPECT_EQ(back->at(1, 0, 2), 0);
    EXPECT_EQ(back->at(2, 0, 1), 65535);
}

TEST_F(ImageIoTest, SignedSixteenBitTiffIsClampedAndDoubled) {
    const cv::Mat shorts = (cv::Mat_<std::int16_t>(1, 3) << -5, 100, 32767);
    const fs::path path = dir() / "signed.tif";
    ASSERT_TRUE(cv::imwrite(path.string(), shorts));
    auto back = readImage(path);
    ASSERT_TRUE(back.has_value()) << back.error().message;
    EXPECT_EQ(back->depth(), BitDepth::U16);
    ASSERT_EQ(back->channels(), 3);
    EXPECT_EQ(back->at(0, 0, 0), 0);
    EXPECT_EQ(back->at(1, 0, 1), 200);
    EXPECT_EQ(back->at(2, 0, 2), 65534);
}

TEST_F(ImageIoTest, LosslessWebpRoundTripIsExact) {
    const Image rgb = patternImage(21, 13, 3, BitDepth::U8);
    // libwebp may discard the colour of fully transparent pixels, so alpha stays above 0 here.
    Image rgba = patternImage(21, 13, 4, BitDepth::U8);
    for (int y = 0; y < rgba.height(); ++y) {
        for (int x = 0; x < rgba.width(); ++x) {
            rgba.set(x, y, 3, std::max(1, rgba.at(x, y, 3)));
        }
    }
    const ImageWriteOptions lossless{.webpQuality = 101};
    const fs::path path = dir() / "lossless.webp";

    ASSERT_TRUE(writeImage(path, rgb, lossless).has_value());
    auto back = readImage(path);
    ASSERT_TRUE(back.has_value()) << back.error().message;
    expectSameImage(*back, rgb);

    ASSERT_TRUE(writeImage(path, rgba, lossless).has_value());
    auto alphaBack = readImage(path);
    ASSERT_TRUE(alphaBack.has_value()) << alphaBack.error().message;
    expectSameImage(*alphaBack, rgba);
}

TEST_F(ImageIoTest, BmpRoundTripIsExact) {
    const Image pattern = patternImage(31, 9, 3, BitDepth::U8);  // odd width: BMP pads rows
    const fs::path path = dir() / "pattern.bmp";
    ASSERT_TRUE(writeImage(path, pattern).has_value());
    auto back = readImage(path);
    ASSERT_TRUE(back.has_value()) << back.error().message;
    expectSameImage(*back, pattern);
}

TEST_F(ImageIoTest, JpegRoundTripIsClose) {
    const Image gradient = gradientImage(64, 48);
    for (const char* name : {"gradient.jpg", "gradient.JPEG"}) {
        SCOPED_TRACE(name);
        const fs::path path = dir() / name;
        ASSERT_TRUE(writeImage(path, gradient).has_value());
        auto back = readImage(path);
        ASSERT_TRUE(back.has_value()) << back.error().message;
        ASSERT_EQ(back->width(), 64);
        ASSERT_EQ(back->height(), 48);
        ASSERT_EQ(back->channels(), 3);
        EXPECT_LT(meanAbsDiff(*back, gradient), 2.0);
        EXPECT_GT(back->at(60, 2, 0), 200);  // red grows to the right: channels are not swapped
        EXPECT_LT(back->at(60, 2, 1), 40);
    }
}

TEST_F(ImageIoTest, JpegQualityChangesTheFileSize) {
    const Image pattern = patternImage(64, 64, 3, BitDepth::U8);
    const fs::path low = dir() / "low.jpg";
    const fs::path high = dir() / "high.jpg";
    ASSERT_TRUE(writeImage(low, pattern, ImageWriteOptions{.jpegQuality = 10}).has_value());
    ASSERT_TRUE(writeImage(high, pattern, ImageWriteOptions{.jpegQuality = 100}).has_value());
    EXPECT_LT(fs::file_size(low), fs::file_size(high));
}

TEST_F(ImageIoTest, JpegExifOrientationIsApplied) {
    // 16x8: left half red, right half blue. Orientation 6 means "rotate 90 degrees clockwise
    // to display", which gives 8x16 with red on top.
    cv::Mat bgr(8, 16, CV_8UC3, cv::Scalar(255, 0, 0));
    bgr(cv::Rect(0, 0, 8, 8)).setTo(cv::Scalar(0, 0, 255));
    std::vector<std::uint8_t> jpeg;
    ASSERT_TRUE(cv::imencode(".jpg", bgr, jpeg, {cv::IMWRITE_JPEG_QUALITY, 100}));
    const std::vector<std::uint8_t> exif{
        0xFF, 0xE1, 0x00, 0x22, 'E',  'x',  'i',  'f',  0,    0,  // APP1, length 34
        'M',  'M',  0x00, 0x2A, 0x00, 0x00, 0x00, 0x08,           // TIFF header, IFD at 8
        0x00, 0x01,                                               // one entry
        0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 0x00, 0x00,  // orientation 6
        0x00, 0x00, 0x00, 0x00};                                                 // no next IFD
    jpeg.insert(jpeg.begin() + 2, exif.begin(), exif.end());
    const fs::path path = dir() / "rotated.jpg";
    writeBytes(path, std::string(jpeg.begin(), jpeg.end()));

    auto back = readImage(path);
    ASSERT_TRUE(back.has_value()) << back.error().message;
    ASSERT_EQ(back->width(), 8);
    ASSERT_EQ(back->height(), 16);
    EXPECT_GT(back->at(4, 2, 0), 200);  // red on top
    EXPECT_LT(back->at(4, 2, 2), 50);
    EXPECT_GT(back->at(4, 13, 2), 200);  // blue at the bottom
    EXPECT_LT(back->at(4, 13, 0), 50);
}

TEST_F(ImageIoTest, ReadsTheRepositorySamples) {
    for (const char* name : {"coffee_crop.png", "rocket_crop.png"}) {
        SCOPED_TRACE(name);
        const fs::path path = fs::path(UPSCALE_TEST_DATA_DIR) / name;
        auto img = readImage(path);
        ASSERT_TRUE(img.has_value()) << img.error().message;
        const cv::Mat reference = cv::imread(path.string(), cv::IMREAD_COLOR);
        ASSERT_EQ(img->width(), reference.cols);
        ASSERT_EQ(img->height(), reference.rows);
        ASSERT_EQ(img->depth(), BitDepth::U8);
        const int x = reference.cols / 2;
        const int y = reference.rows / 3;
        const auto px = reference.at<cv::Vec3b>(y, x);
        EXPECT_EQ(img->at(x, y, 0), px[2]);
        EXPECT_EQ(img->at(x, y, 1), px[1]);
        EXPECT_EQ(img->at(x, y, 2), px[0]);
    }
}

TEST_F(ImageIoTest, PathsWithUnusualCharactersWork) {
    const Image pattern = patternImage(5, 5, 3, BitDepth::U8);
    const fs::path path = dir() / "caf\xC3\xA9 'quoted' #1 [x] 100%.png";
    ASSERT_TRUE(writeImage(path, pattern).has_value());
    auto back = readImage(path);
    ASSERT_TRUE(back.has_value()) << back.error().message;
    expectSameImage(*back, pattern);
}

TEST_F(ImageIoTest, MissingFileIsNotFoundNamingThePath) {
    const fs::path path = dir() / "nope.png";
    auto result = readImage(path);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, ErrorCode::NotFound);
    EXPECT_NE(result.error().message.find(path.string()), std::string::npos)
        << result.error().message;
}

TEST_F(ImageIoTest, TextFileNamedPngIsRejectedNamingThePath) {
    const fs::path path = dir() / "x.png";
    writeBytes(path, "This is not an image, just some text.\n");
    auto result = readImage(path);
    ASSERT_FALSE(result.has_value());
    EXPECT_TRUE(result.error().code == ErrorCode::CorruptFile ||
                result.error().code == ErrorCode::UnsupportedFormat);
    EXPECT_NE(result.error().message.find(path.string()), std::string::npos)
        << result.error().message;
}

TEST_F(ImageIoTest, UnknownBytesUnderUnknownNameAreUnsupported) {
    const fs::path path = dir() / "notes.txt";
    writeBytes(path, "hello");
    auto result = readImage(path);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, ErrorCode::UnsupportedFormat);
    EXPECT_NE(result.error().message.find("is not an image we can read"), std::string::npos)
        << result.error().message;
    EXPECT_NE(result.error().message.find(path.string()), std::string::npos);
}

TEST_F(ImageIoTest, EmptyFileIsUnsupported) {
    const fs::path path = dir() / "empty.png";
    writeBytes(path, "");
    auto result = readImage(path);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, ErrorCode::UnsupportedFormat);
    EXPECT_NE(result.error().message.find(path.string()), std::string::npos);
}

TEST_F(ImageIoTest, TruncatedPngIsCorruptNamingTheFile) {
    const std::string full = readAll(fs::path(UPSCALE_TEST_DATA_DIR) / "coffee_crop.png");
    ASSERT_GT(full.size(), 100u);
    // Saved under a neutral name: the PNG signature alone must identify the format.
    const fs::path path = dir() / "truncated.bin";
    writeBytes(path, full.substr(0, 100));
    auto result = readImage(path);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, ErrorCode::CorruptFile);
    EXPECT_NE(result.error().message.find(path.string()), std::string::npos)
        << result.error().message;
    EXPECT_NE(result.error().message.find("PNG"), std::string::npos) << result.error().message;
}

TEST_F(ImageIoTest, HugeDimensionsAreRefusedWithoutDecoding) {
    // A valid PNG header claiming 100000x100000 pixels, with almost no data behind it.
    const std::vector<std::uint8_t> png{
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48,
        0x44, 0x52, 0x00, 0x01, 0x86, 0xA0, 0x00, 0x01, 0x86, 0xA0, 0x08, 0x02, 0x00, 0x00,
        0x00, 0x27, 0x30, 0x9C, 0x9F, 0x00, 0x00, 0x00, 0x0B, 0x49, 0x44, 0x41, 0x54, 0x78,
        0x9C, 0x63, 0x60, 0x40, 0x05, 0x00, 0x00, 0x10, 0x00, 0x01, 0x39, 0xBD, 0x8F, 0x65,
        0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82};
    const fs::path path = dir() / "huge.png";
    writeBytes(path, std::string(png.begin(), png.end()));
    auto result = readImage(path);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, ErrorCode::LimitExceeded);
    EXPECT_NE(result.error().message.find("100000x100000"), std::string::npos)
        << result.error().message;
    EXPECT_EQ(result.error().remedy, upscale::core::Remedy::RaiseLimit) << result.error().message;
    EXPECT_NE(result.error().message.find(path.string()), std::string::npos);
}

TEST_F(ImageIoTest, DirectoryIsRejected) {
    const fs::path path = dir() / "folder.png";
    fs::create_directory(path);
    auto result = readImage(path);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, ErrorCode::InvalidArgument);
    EXPECT_NE(result.error().message.find(path.string()), std::string::npos);
}

TEST_F(ImageIoTest, WriteIntoMissingFolderIsIoAndCreatesNothing) {
    const fs::path path = dir() / "missing" / "out.png";
    auto result = writeImage(path, patternImage(4, 4, 3, BitDepth::U8));
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, ErrorCode::Io);
    EXPECT_NE(result.error().message.find(path.string()), std::string::npos)
        << result.error().message;
    EXPECT_FALSE(fs::exists(dir() / "missing"));
    EXPECT_TRUE(listFolder(dir()).empty());
}

TEST_F(ImageIoTest, WriteIntoReadOnlyFolderIsIo) {
    const fs::path folder = dir() / "readonly";
    fs::create_directory(folder);
    fs::permissions(folder, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                                fs::perms::group_exec | fs::perms::others_read |
                                fs::perms::others_exec);
    const fs::path path = folder / "out.png";
    auto result = writeImage(path, patternImage(4, 4, 3, BitDepth::U8));
    if (result.has_value() && ::geteuid() == 0) {
        GTEST_SKIP() << "running as root, which ignores folder permissions";
    }
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, ErrorCode::Io);
    EXPECT_NE(result.error().message.find(path.string()), std::string::npos)
        << result.error().message;
    EXPECT_TRUE(listFolder(folder).empty());
}

TEST_F(ImageIoTest, WriteUnderARegularFileIsIo) {
    // Fails for every user, root included (ENOTDIR).
    const fs::path file = dir() / "file.txt";
    writeBytes(file, "not a folder");
    const fs::path path = file / "out.png";
    auto result = writeImage(path, patternImage(4, 4, 3, BitDepth::U8));
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, ErrorCode::Io);
    EXPECT_NE(result.error().message.find(path.string()), std::string::npos)
        << result.error().message;
    EXPECT_EQ(readAll(file), "not a folder");
    EXPECT_EQ(listFolder(dir()), std::set<std::string>{"file.txt"});
}

TEST_F(ImageIoTest, OverwriteReplacesTheFileAndLeavesNoTemporaryFiles) {
    const fs::path path = dir() / "out.png";
    const Image first = patternImage(40, 30, 3, BitDepth::U8);
    const Image second = patternImage(6, 5, 4, BitDepth::U16);
    ASSERT_TRUE(writeImage(path, first).has_value());
    ASSERT_TRUE(writeImage(path, second).has_value());
    auto back = readImage(path);
    ASSERT_TRUE(back.has_value()) << back.error().message;
    expectSameImage(*back, second);
    EXPECT_EQ(listFolder(dir()), std::set<std::string>{"out.png"});

    // A failure after the temporary file was written (the rename onto a non-empty folder fails)
    // must remove the temporary file and leave the existing files alone.
    const fs::path blocked = dir() / "blocked.png";
    fs::create_directory(blocked);
    writeBytes(blocked / "keep.txt", "keep");
    const std::string before = readAll(path);
    auto result = writeImage(blocked, first);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, ErrorCode::Io);
    EXPECT_NE(result.error().message.find(blocked.string()), std::string::npos)
        << result.error().message;
    EXPECT_EQ(listFolder(dir()), (std::set<std::string>{"blocked.png", "out.png"}));
    EXPECT_EQ(listFolder(blocked), std::set<std::string>{"keep.txt"});
    EXPECT_EQ(readAll(path), before);
}

TEST_F(ImageIoTest, UnknownOutputExtensionIsInvalidArgument) {
    const Image img = patternImage(4, 4, 3, BitDepth::U8);
    for (const char* name : {"out.xyz", "out"}) {
        SCOPED_TRACE(name);
        const fs::path path = dir() / name;
        auto result = writeImage(path, img);
        ASSERT_FALSE(result.has_value());
        EXPECT_EQ(result.error().code, ErrorCode::InvalidArgument);
        EXPECT_NE(result.error().message.find(path.string()), std::string::npos);
        EXPECT_NE(result.error().message.find(".png"), std::string::npos);
    }
    auto xyz = writeImage(dir() / "out.xyz", img);
    ASSERT_FALSE(xyz.has_value());
    EXPECT_NE(xyz.error().message.find("unknown image format '.xyz'"), std::string::npos)
        << xyz.error().message;
    EXPECT_TRUE(listFolder(dir()).empty());
}

TEST_F(ImageIoTest, OutOfRangeOptionsAreInvalidArguments) {
    const Image img = patternImage(4, 4, 3, BitDepth::U8);
    EXPECT_EQ(writeImage(dir() / "a.jpg", img, ImageWriteOptions{.jpegQuality = 0}).error().code,
              ErrorCode::InvalidArgument);
    EXPECT_EQ(writeImage(dir() / "a.webp", img, ImageWriteOptions{.webpQuality = 102}).error().code,
              ErrorCode::InvalidArgument);
    EXPECT_EQ(
        writeImage(dir() / "a.png", img, ImageWriteOptions{.pngCompression = 10}).error().code,
        ErrorCode::InvalidArgument);
    EXPECT_TRUE(listFolder(dir()).empty());
}

TEST_F(ImageIoTest, WebpBeyondItsSizeLimitIsInvalidArgument) {
    const Image wide(16384, 1, 3, BitDepth::U8);
    const fs::path path = dir() / "wide.webp";
    auto result = writeImage(path, wide);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, ErrorCode::InvalidArgument);
    EXPECT_NE(result.error().message.find("16383"), std::string::npos) << result.error().message;
    EXPECT_TRUE(listFolder(dir()).empty());
    EXPECT_TRUE(writeImage(dir() / "wide.png", wide).has_value());
}

TEST_F(ImageIoTest, EmptyImageIsInvalidArgument) {
    auto result = writeImage(dir() / "empty.png", Image{});
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, ErrorCode::InvalidArgument);
}

TEST(ImageFormats, ExtensionsAndCapabilities) {
    EXPECT_EQ(imageExtensions(), (std::vector<std::string>{".png", ".jpg", ".jpeg", ".webp", ".tif",
                                                           ".tiff", ".bmp"}));
    EXPECT_TRUE(hasImageExtension("a/b/photo.JPG"));
    EXPECT_TRUE(hasImageExtension("scan.TiFf"));
    EXPECT_FALSE(hasImageExtension("movie.mp4"));
    EXPECT_FALSE(hasImageExtension("png"));

    for (const char* name : {"a.png", "a.tif", "a.TIFF"}) {
        EXPECT_TRUE(formatSupports16Bit(name)) << name;
        EXPECT_TRUE(formatSupportsAlpha(name)) << name;
    }
    EXPECT_FALSE(formatSupports16Bit("a.webp"));
    EXPECT_TRUE(formatSupportsAlpha("a.WebP"));
    for (const char* name : {"a.jpg", "a.jpeg", "a.bmp", "a.gif"}) {
        EXPECT_FALSE(formatSupports16Bit(name)) << name;
        EXPECT_FALSE(formatSupportsAlpha(name)) << name;
    }
}

}  // namespace
