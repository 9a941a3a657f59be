// VideoReader and VideoWriter on their own: probing, colour conversion, timestamps, and what the
// writer puts into a container, judged with ffprobe.

#include <gtest/gtest.h>

#include <sstream>

#include <spdlog/sinks/ostream_sink.h>

#include "common/test_paths.hpp"
#include "common/video_clips.hpp"
#include "upscale/core/logging.hpp"
#include "upscale/media/video.hpp"
#include "upscale/media/video_writer.hpp"

namespace fs = std::filesystem;
using namespace upscale;
using namespace upscale::test;

namespace {

class Video : public ::testing::Test {
protected:
    void SetUp() override {
        UPSCALE_REQUIRE_ENCODERS("libx264", "ffv1", "aac");
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        m_dir = fs::path(UPSCALE_TEST_BINARY_DIR) / ("video_" + std::string(info->name()));
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
    }
    fs::path m_dir;
};

std::vector<media::VideoFrame> readAll(const fs::path& file) {
    std::vector<media::VideoFrame> frames;
    auto reader = media::VideoReader::open(file);
    EXPECT_TRUE(reader.has_value()) << reader.error().message;
    if (!reader) {
        return frames;
    }
    for (;;) {
        auto frame = (*reader)->read();
        EXPECT_TRUE(frame.has_value());
        if (!frame || !*frame) {
            break;
        }
        frames.push_back(std::move(**frame));
    }
    return frames;
}

}  // namespace

TEST_F(Video, ProbeDescribesTheVideoAndTheOtherStreams) {
    const auto clip = m_dir / "clip.mp4";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc=size=64x48:rate=24 -f lavfi -i sine=frequency=440 "
                       "-t 0.5 -c:v libx264 -pix_fmt yuv420p -c:a aac -shortest",
                       clip),
              "");
    auto probe = media::probeVideo(clip);
    ASSERT_TRUE(probe.has_value()) << probe.error().message;
    EXPECT_EQ(probe->width, 64);
    EXPECT_EQ(probe->height, 48);
    EXPECT_EQ(probe->codec, "h264");
    EXPECT_EQ(probe->pixelFormat, "yuv420p");
    EXPECT_EQ(probe->frameCount, 12);
    EXPECT_NEAR(probe->frameRate.value(), 24.0, 1e-9);
    EXPECT_GT(probe->timeBase.den, 0);
    EXPECT_NEAR(probe->durationSeconds, 0.5, 0.01);
    ASSERT_EQ(probe->others.size(), 1U);
    EXPECT_EQ(probe->others[0].type, "audio");
    EXPECT_EQ(probe->others[0].codec, "aac");
}

TEST_F(Video, ColoursAreDecodedWithTheSourceMatrixAndRange) {
    // One solid colour, stored three ways: BT.601 limited, BT.709 limited, BT.709 full range.
    struct Case {
        const char* name;
        const char* args;
    };
    const Case cases[] = {
        {"bt601.mkv",
         "-vf format=yuv444p,scale=out_color_matrix=bt601:out_range=tv "
         "-color_primaries smpte170m -color_trc smpte170m -colorspace smpte170m"},
        {"bt709.mkv",
         "-vf format=yuv444p,scale=out_color_matrix=bt709:out_range=tv "
         "-color_primaries bt709 -color_trc bt709 -colorspace bt709"},
        {"full.mkv",
         "-vf format=yuvj444p,scale=out_color_matrix=bt709:out_range=pc "
         "-colorspace bt709 -color_range pc"},
    };
    for (const auto& c : cases) {
        const auto clip = m_dir / c.name;
        ASSERT_EQ(
            makeClip(std::string("-f lavfi -i color=c=0x3070C0:size=32x16:rate=10 -frames:v 1 "
                                 "-c:v ffv1 ") +
                         c.args,
                     clip),
            "");
        const auto frames = readAll(clip);
        ASSERT_EQ(frames.size(), 1U) << c.name;
        const auto& img = frames[0].image;
        EXPECT_EQ(img.depth(), core::BitDepth::U8);
        EXPECT_NEAR(img.at(5, 5, 0), 0x30, 3) << c.name;
        EXPECT_NEAR(img.at(5, 5, 1), 0x70, 3) << c.name;
        EXPECT_NEAR(img.at(5, 5, 2), 0xC0, 3) << c.name;
    }
}

TEST_F(Video, TenBitSourcesDecodeToSixteenBitRgb) {
    const auto clip = m_dir / "deep.mkv";
    ASSERT_EQ(makeClip("-f lavfi -i color=c=0x3070C0:size=32x16:rate=10 -frames:v 2 "
                       "-pix_fmt yuv420p10le -c:v ffv1",
                       clip),
              "");
    auto probe = media::probeVideo(clip);
    ASSERT_TRUE(probe.has_value());
    EXPECT_EQ(probe->bitsPerComponent, 10);
    const auto frames = readAll(clip);
    ASSERT_EQ(frames.size(), 2U);
    EXPECT_EQ(frames[0].image.depth(), core::BitDepth::U16);
    EXPECT_NEAR(frames[0].image.at(4, 4, 2), 0xC0 * 257, 3 * 257);
}

TEST_F(Video, FramesKeepTheirSourceTimestamps) {
    const auto clip = m_dir / "vfr.mkv";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc=size=32x24:rate=10 -frames:v 6 "
                       "-vf setpts='(N*N+N)/20/TB' -fps_mode passthrough -c:v ffv1",
                       clip),
              "");
    const auto frames = readAll(clip);
    const auto expected = frameTimes(clip);
    ASSERT_EQ(frames.size(), expected.size());
    auto probe = media::probeVideo(clip);
    ASSERT_TRUE(probe.has_value());
    for (std::size_t i = 0; i < frames.size(); ++i) {
        EXPECT_NEAR(frames[i].pts * probe->timeBase.value(), std::stod(expected[i]), 1e-6) << i;
        EXPECT_EQ(frames[i].index, static_cast<std::int64_t>(i));
    }
}

TEST_F(Video, AFileWithoutVideoIsRefusedWithAClearMessage) {
    const auto clip = m_dir / "sound.mp4";
    ASSERT_EQ(makeClip("-f lavfi -i sine=frequency=440 -t 0.2 -c:a aac", clip), "");
    auto reader = media::VideoReader::open(clip);
    ASSERT_FALSE(reader.has_value());
    EXPECT_EQ(reader.error().code, core::ErrorCode::UnsupportedFormat);
    EXPECT_NE(reader.error().message.find("has no video stream"), std::string::npos);
    EXPECT_NE(reader.error().message.find("sound.mp4"), std::string::npos);
}

TEST_F(Video, AStreamOverTheLimitsIsRefusedBeforeDecoding) {
    const auto clip = m_dir / "clip.mkv";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc=size=64x48:rate=10 -frames:v 2 -c:v ffv1", clip), "");
    const media::ReadLimits fewPixels{.maxPixels = 64 * 48 - 1};
    auto probe = media::probeVideo(clip, fewPixels);
    auto reader = media::VideoReader::open(clip, fewPixels);
    ASSERT_FALSE(probe.has_value());
    ASSERT_FALSE(reader.has_value());
    for (const core::Error& error : {probe.error(), reader.error()}) {
        EXPECT_EQ(error.code, core::ErrorCode::LimitExceeded);
        EXPECT_NE(error.message.find(clip.string()), std::string::npos) << error.message;
        EXPECT_NE(error.message.find("64x48 = 3072 pixels, more than the limit of 3071 pixels"),
                  std::string::npos)
            << error.message;
        EXPECT_EQ(error.remedy, core::Remedy::RaiseLimit);
    }
    auto narrow = media::VideoReader::open(clip, media::ReadLimits{.maxDimension = 63});
    ASSERT_FALSE(narrow.has_value());
    EXPECT_EQ(narrow.error().code, core::ErrorCode::LimitExceeded);
    EXPECT_NE(narrow.error().message.find("limit of 63 pixels on a side"), std::string::npos)
        << narrow.error().message;

    auto exact = media::VideoReader::open(clip, media::ReadLimits{.maxPixels = 64 * 48});
    ASSERT_TRUE(exact.has_value()) << exact.error().message;
    auto frame = (*exact)->read();
    ASSERT_TRUE(frame.has_value() && frame->has_value());
    EXPECT_EQ((*frame)->image.width(), 64);
}

TEST_F(Video, ATruncatedFileGivesItsFramesAndSaysWhereItStopped) {
    const auto clip = m_dir / "whole.mkv";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc=size=64x48:rate=10 -frames:v 20 -c:v ffv1", clip), "");
    const auto cut = m_dir / "cut.mkv";
    truncatedCopy(clip, cut, 0.5);
    std::ostringstream logged;
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(logged);
    auto subscription = core::subscribeToLog(sink);
    const auto frames = readAll(cut);
    subscription.reset();
    EXPECT_GT(frames.size(), 0U);
    EXPECT_LT(frames.size(), 20U);
    EXPECT_NE(logged.str().find("ended early: decoding stopped after frame " +
                                std::to_string(frames.size())),
              std::string::npos)
        << logged.str();
}

TEST_F(Video, WriterRefusesACodecTheContainerCannotHold) {
    const auto clip = m_dir / "clip.mkv";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc=size=32x24:rate=10 -frames:v 2 -c:v ffv1", clip), "");
    auto probe = media::probeVideo(clip);
    ASSERT_TRUE(probe.has_value());
    media::VideoWriteOptions options;
    options.codec = "ffv1";
    auto writer = media::VideoWriter::create(m_dir / "out.mp4", clip, *probe, 32, 24, options);
    ASSERT_FALSE(writer.has_value());
    EXPECT_EQ(writer.error().code, core::ErrorCode::InvalidArgument);
    EXPECT_NE(writer.error().message.find("Matroska (MKV) holds every codec offered"),
              std::string::npos)
        << writer.error().message;
    EXPECT_EQ(writer.error().message.find("--"), std::string::npos) << writer.error().message;
    EXPECT_EQ(writer.error().remedy, core::Remedy::ChooseContainer) << writer.error().message;
    // Nothing is left behind: no output, no temporary file.
    EXPECT_EQ(std::distance(fs::directory_iterator(m_dir), fs::directory_iterator()), 1);
}

TEST_F(Video, WriterWritesEachFrameWithItsTimestampAndRenamesWhenFinished) {
    const auto clip = m_dir / "vfr.mkv";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc=size=32x24:rate=10 -frames:v 5 "
                       "-vf setpts='(N*N+N)/20/TB' -fps_mode passthrough -c:v ffv1",
                       clip),
              "");
    auto frames = readAll(clip);
    auto probe = media::probeVideo(clip);
    ASSERT_TRUE(probe.has_value());
    const auto out = m_dir / "copy.mkv";
    media::VideoWriteOptions options;
    options.codec = "ffv1";
    auto writer = media::VideoWriter::create(out, clip, *probe, 32, 24, options);
    ASSERT_TRUE(writer.has_value()) << writer.error().message;
    for (const auto& f : frames) {
        ASSERT_TRUE((*writer)->write(f).has_value());
    }
    EXPECT_FALSE(fs::exists(out));  // still under its temporary name
    auto done = (*writer)->finish(true, out);
    ASSERT_TRUE(done.has_value()) << done.error().message;
    EXPECT_EQ(frameTimes(out), frameTimes(clip));
    const auto copied = readAll(out);
    ASSERT_EQ(copied.size(), frames.size());
    EXPECT_NEAR(copied[3].image.at(10, 10, 0), frames[3].image.at(10, 10, 0), 3);
    EXPECT_EQ(std::distance(fs::directory_iterator(m_dir), fs::directory_iterator()), 2);
}

TEST_F(Video, VideoExtensionsIncludeAnimatedGif) {
    EXPECT_TRUE(media::hasVideoExtension("a/b.MP4"));
    EXPECT_TRUE(media::hasVideoExtension("clip.mkv"));
    EXPECT_TRUE(media::hasVideoExtension("anim.gif"));
    EXPECT_FALSE(media::hasVideoExtension("photo.png"));
}
