// GIF and animated WebP out: every frame with its own display time, the source's play count and
// its transparency, through the same closed segments as any video (so a stopped job resumes).
// Judged by ffprobe and the ffmpeg tool (GIF) and by libwebp's decoder (WebP).

#include <gtest/gtest.h>

#include <tuple>

#include "common/animation_checks.hpp"
#include "upscale/media/video.hpp"
#include "upscale/media/video_writer.hpp"
#include "video_rewrite.hpp"

namespace fs = std::filesystem;
using namespace upscale;
using namespace upscale::test;

namespace {

class AnimationOut : public ::testing::Test {
protected:
    void SetUp() override {
        UPSCALE_REQUIRE_ENCODERS("apng", "gif", "libx264", "aac", "ffv1", "prores_ks");
        m_dir = freshDir();
        m_log = std::make_unique<LogCapture>();
    }
    void TearDown() override { m_log.reset(); }

    /// An APNG of four 32x24 frames shown 0.2, 0.3, 0.6 and 0.6 s, played three times: the
    /// left half red, the right half green, blue rising with the frame; the top half of every
    /// second frame transparent.
    fs::path transparentApng() {
        const auto apng = m_dir / "source.png";
        EXPECT_EQ(makeClip("-f lavfi -i \"color=c=red:s=32x24:r=10:d=0.4,format=rgba,"
                           "geq=r='if(lt(X,16),255,0)':g='if(lt(X,16),0,200)':b='N*60':"
                           "a='if(lt(Y,12),if(mod(N,2),0,255),255)',setpts='(N*N+N)/10/TB'\" "
                           "-fps_mode passthrough -plays 3 -f apng",
                           apng),
                  "");
        return apng;
    }

    /// Checks frames decoded from an output of transparentApng(): the source's colours, the top
    /// half transparent in frames 1 and 3 and opaque elsewhere.
    static void expectSourcePixels(const std::vector<RgbaFrame>& frames) {
        ASSERT_EQ(frames.size(), 4U);
        for (int n = 0; n < 4; ++n) {
            const RgbaFrame& f = frames[static_cast<std::size_t>(n)];
            SCOPED_TRACE("frame " + std::to_string(n));
            EXPECT_EQ(f.at(4, 4, 3), n % 2 == 1 ? 0 : 255);
            EXPECT_EQ(f.at(28, 4, 3), n % 2 == 1 ? 0 : 255);
            for (const auto& [x, y] : {std::pair{4, 20}, std::pair{28, 20}}) {
                EXPECT_EQ(f.at(x, y, 3), 255);
                EXPECT_NEAR(f.at(x, y, 0), x < 16 ? 255 : 0, 2);
                EXPECT_NEAR(f.at(x, y, 1), x < 16 ? 0 : 200, 2);
                EXPECT_NEAR(f.at(x, y, 2), n * 60, 2);
            }
        }
    }

    fs::path m_dir;
    std::unique_ptr<LogCapture> m_log;
};

}  // namespace

TEST_F(AnimationOut, GifKeepsEveryFrameItsTimePlayCountAndTransparency) {
    const auto apng = transparentApng();
    const auto gif = m_dir / "out.gif";
    const auto written = rewrite(apng, gif);
    ASSERT_TRUE(written.has_value()) << written.error().message;
    EXPECT_EQ(videoStream(gif).value("codec_name", ""), "gif");
    EXPECT_EQ(frameTimes(gif), frameTimes(apng));
    EXPECT_EQ(frameDurations(gif), frameDurations(apng));  // the last frame's too
    EXPECT_EQ(gifLoopCount(gif), 2);                       // played three times: two repeats
    expectSourcePixels(ffmpegRgbaFrames(gif, 32, 24));
    EXPECT_EQ(m_log->text().find("transparent"), std::string::npos) << m_log->text();
    // Nothing is left beside it: no segment folder, no temporary file.
    EXPECT_EQ(std::distance(fs::directory_iterator(m_dir), fs::directory_iterator()), 2);
}

TEST_F(AnimationOut, WebPKeepsEveryFrameItsTimePlayCountAndTransparency) {
    const auto apng = transparentApng();
    const auto webp = m_dir / "out.webp";
    const auto written = rewrite(apng, webp);
    ASSERT_TRUE(written.has_value()) << written.error().message;
    const WebPAnimation anim = decodeWebP(webp);
    EXPECT_EQ(anim.frames, 4);
    EXPECT_EQ(anim.loopCount, 3);
    EXPECT_TRUE(anim.alpha);
    ASSERT_EQ(anim.decoded.size(), 4U);
    const std::vector<int> ends{200, 500, 1100, 1700};
    for (std::size_t i = 0; i < ends.size(); ++i) {
        EXPECT_EQ(anim.decoded[i].endMs, ends[i]) << "frame " << i;
    }
    expectSourcePixels(anim.decoded);
}

TEST_F(AnimationOut, GifFromGifKeepsItsPlayCountAndTransparentArea) {
    const auto source = m_dir / "source.gif";
    // The right half transparent in every frame; played twice (one repeat).
    ASSERT_EQ(makeClip("-f lavfi -i \"testsrc=size=32x24:rate=10:duration=0.3,format=rgba,"
                       "geq=r='r(X,Y)':g='g(X,Y)':b='b(X,Y)':a='if(lt(X,16),255,0)',split[a][b];"
                       "[a]palettegen=reserve_transparent=1[p];[b][p]paletteuse\" -loop 1",
                       source),
              "");
    ASSERT_EQ(gifLoopCount(source), 1);
    const auto gif = m_dir / "out.gif";
    const auto written = rewrite(source, gif);
    ASSERT_TRUE(written.has_value()) << written.error().message;
    EXPECT_EQ(gifLoopCount(gif), 1);
    EXPECT_EQ(frameTimes(gif), frameTimes(source));
    const auto in = ffmpegRgbaFrames(source, 32, 24);
    const auto out = ffmpegRgbaFrames(gif, 32, 24);
    ASSERT_EQ(out.size(), 3U);
    ASSERT_EQ(in.size(), 3U);
    for (std::size_t n = 0; n < out.size(); ++n) {
        EXPECT_EQ(out[n].at(24, 12, 3), 0) << "frame " << n;
        EXPECT_EQ(out[n].at(4, 12, 3), 255) << "frame " << n;
        // At most 255 colours in the source's opaque half: each kept exactly.
        for (int y = 0; y < 24; ++y) {
            for (int x = 0; x < 16; ++x) {
                for (int c = 0; c < 3; ++c) {
                    ASSERT_EQ(out[n].at(x, y, c), in[n].at(x, y, c)) << x << "," << y;
                }
            }
        }
    }
}

TEST_F(AnimationOut, VideoBecomesAnEndlessOpaqueGifCloseToItsColoursWithoutItsAudio) {
    const auto clip = m_dir / "clip.mp4";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc2=size=64x48:rate=10 -f lavfi -i sine -t 0.3 "
                       "-c:v libx264 -pix_fmt yuv444p -qp 0 -c:a aac -shortest",
                       clip),
              "");
    const auto gif = m_dir / "out.gif";
    const auto written = rewrite(clip, gif);
    ASSERT_TRUE(written.has_value()) << written.error().message;
    EXPECT_EQ(gifLoopCount(gif), 0);
    EXPECT_EQ(frameTimes(gif), frameTimes(clip));
    EXPECT_EQ(streamTypes(gif), std::vector<std::string>{"video"});
    std::string log = m_log->text();
    EXPECT_NE(log.find("The audio stream 1 (aac) of '" + clip.string() +
                       "' is left out: a GIF animation holds pictures only"),
              std::string::npos)
        << log;
    // More colours than a GIF frame holds: a palette of its own per frame, with dithering.
    const auto in = ffmpegRgbaFrames(clip, 64, 48);
    const auto out = ffmpegRgbaFrames(gif, 64, 48);
    ASSERT_EQ(out.size(), in.size());
    ASSERT_EQ(out.size(), 3U);
    for (std::size_t n = 0; n < out.size(); ++n) {
        double error = 0;
        for (std::size_t i = 0; i < out[n].pixels.size(); ++i) {
            if (i % 4 == 3) {
                EXPECT_EQ(out[n].pixels[i], 255);
                continue;
            }
            error += std::abs(out[n].pixels[i] - in[n].pixels[i]);
        }
        EXPECT_LT(error / (64 * 48 * 3), 6.0) << "frame " << n;
    }
}

TEST_F(AnimationOut, StoppedAnimationResumesAfterItsClosedSegments) {
    const auto apng = transparentApng();
    const auto folder = m_dir / "segments";
    std::vector<media::SegmentInfo> closed;
    media::SegmentOptions first;
    first.folder = folder;
    first.seconds = 0.1;  // a segment per frame
    first.onClosed = [&](const media::SegmentInfo& s) -> core::Result<void> {
        closed.push_back(s);
        return {};
    };
    const auto gif = m_dir / "out.gif";
    ASSERT_TRUE(rewrite(apng, gif, {}, first, {0, 2}).has_value());
    ASSERT_EQ(closed.size(), 2U);
    EXPECT_FALSE(fs::exists(gif));
    media::SegmentOptions second;
    second.folder = folder;
    second.seconds = 0.1;
    second.done = closed;
    const auto written = rewrite(apng, gif, {}, second, {2, -1});
    ASSERT_TRUE(written.has_value()) << written.error().message;
    EXPECT_EQ(frameTimes(gif), frameTimes(apng));
    EXPECT_EQ(frameDurations(gif), frameDurations(apng));
    expectSourcePixels(ffmpegRgbaFrames(gif, 32, 24));
}

TEST_F(AnimationOut, ACodecOrATooLargePictureIsRefusedBeforeTheFirstFrame) {
    const auto apng = transparentApng();
    media::VideoWriteOptions options;
    options.codec = "h264";
    const auto refused = rewrite(apng, m_dir / "out.gif", options);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, core::ErrorCode::InvalidArgument);
    EXPECT_NE(refused.error().message.find("A GIF animation has an image format of its own"),
              std::string::npos)
        << refused.error().message;

    auto reader = media::VideoReader::open(apng);
    ASSERT_TRUE(reader.has_value());
    const auto large =
        media::VideoWriter::create(m_dir / "out.webp", apng, (*reader)->probe(), 20000, 24, {});
    ASSERT_FALSE(large.has_value());
    EXPECT_NE(large.error().message.find("at most 16383x16383"), std::string::npos)
        << large.error().message;
    EXPECT_FALSE(fs::exists(m_dir / "out.webp"));
}

TEST_F(AnimationOut, TransparencyIsKeptWithFfv1InMkvAndProRes4444InMov) {
    const auto apng = transparentApng();
    for (const auto& [name, codec, pixelFormat] :
         {std::tuple{"out.mkv", "ffv1", "bgra"}, std::tuple{"out.mov", "prores", "yuva444p10le"}}) {
        SCOPED_TRACE(name);
        media::VideoWriteOptions options;
        options.codec = codec;
        const auto out = m_dir / name;
        const auto written = rewrite(apng, out, options);
        ASSERT_TRUE(written.has_value()) << written.error().message;
        EXPECT_EQ(videoStream(out).value("pix_fmt", ""), pixelFormat);
        EXPECT_EQ(frameTimes(out), frameTimes(apng));
        const auto frames = ffmpegRgbaFrames(out, 32, 24);
        ASSERT_EQ(frames.size(), 4U);
        for (int n = 0; n < 4; ++n) {
            const RgbaFrame& f = frames[static_cast<std::size_t>(n)];
            EXPECT_EQ(f.at(4, 4, 3), n % 2 == 1 ? 0 : 255) << "frame " << n;
            EXPECT_EQ(f.at(28, 20, 3), 255) << "frame " << n;
            EXPECT_NEAR(f.at(28, 20, 1), 200, 3) << "frame " << n;
        }
    }
    // Kept, so not called lost.
    EXPECT_EQ(m_log->text().find("transparent"), std::string::npos) << m_log->text();
    // H.264 has no alpha: the one warning.
    ASSERT_TRUE(rewrite(apng, m_dir / "out.mp4").has_value());
    EXPECT_EQ(m_log->count("has transparent areas"), 1U) << m_log->text();
}
