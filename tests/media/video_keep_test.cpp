// What the writer keeps of the source beyond its pixels: pixel aspect ratio, HDR10 metadata,
// rotation, colour range and matrix, bit depth, field order, and timestamps that are right,
// judged with ffprobe on clips made with the ffmpeg tool.

#include <gtest/gtest.h>

#include <cmath>
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

class VideoKeep : public ::testing::Test {
protected:
    void SetUp() override {
        UPSCALE_REQUIRE_ENCODERS("libx264", "libx264rgb", "libx265", "ffv1", "prores_ks", "aac");
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        m_dir = fs::path(UPSCALE_TEST_BINARY_DIR) / ("videokeep_" + std::string(info->name()));
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
        m_sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(m_logged);
        m_subscription = core::subscribeToLog(m_sink);
    }
    void TearDown() override { m_subscription.reset(); }

    /// Reads every frame of `clip` and writes it unchanged (scale 1) to `out`.
    void rewrite(const fs::path& clip, const fs::path& out, const std::string& codec = "") {
        auto reader = media::VideoReader::open(clip);
        ASSERT_TRUE(reader.has_value()) << reader.error().message;
        const media::VideoProbe& probe = (*reader)->probe();
        media::VideoWriteOptions options;
        options.codec = codec;
        auto writer =
            media::VideoWriter::create(out, clip, probe, probe.width, probe.height, options);
        ASSERT_TRUE(writer.has_value()) << writer.error().message;
        for (;;) {
            auto frame = (*reader)->read();
            ASSERT_TRUE(frame.has_value()) << frame.error().message;
            if (!*frame) {
                break;
            }
            ASSERT_TRUE((*writer)->write(**frame).has_value());
        }
        auto done = (*writer)->finish(true, out);
        ASSERT_TRUE(done.has_value()) << done.error().message;
    }

    /// The first frame of a file as our reader decodes it.
    static media::VideoFrame firstFrame(const fs::path& file) {
        auto reader = media::VideoReader::open(file);
        EXPECT_TRUE(reader.has_value());
        auto frame = (*reader)->read();
        EXPECT_TRUE(frame.has_value() && frame->has_value());
        return std::move(**frame);
    }

    /// How many times `text` was logged.
    [[nodiscard]] int logged(const std::string& text) const {
        const std::string all = m_logged.str();
        int count = 0;
        for (auto at = all.find(text); at != std::string::npos; at = all.find(text, at + 1)) {
            ++count;
        }
        return count;
    }

    fs::path m_dir;
    std::ostringstream m_logged;
    std::shared_ptr<spdlog::sinks::ostream_sink_mt> m_sink;
    core::LogSubscription m_subscription;
};

/// The side data entry of a given type of the video stream, or an empty object.
nlohmann::json sideData(const fs::path& file, const std::string& type) {
    for (const auto& entry : videoStream(file).value("side_data_list", nlohmann::json::array())) {
        if (entry.value("side_data_type", "") == type) {
            return entry;
        }
    }
    return nlohmann::json::object();
}

/// The start times of the first video and the first audio stream, in seconds.
std::pair<double, double> starts(const fs::path& file) {
    double video = 0, audio = 0;
    for (const auto& s : streams(file)) {
        (s.value("codec_type", "") == "video" ? video : audio) =
            std::stod(s.value("start_time", "0"));
    }
    return {video, audio};
}

/// The time of the first audio packet (an MP4 edit list does not hide it).
double firstAudioTime(const fs::path& file) {
    const auto packets = probeJson(file, "-select_streams a:0 -show_entries packet=pts_time")
                             .value("packets", nlohmann::json::array());
    return packets.empty() ? 99.0 : std::stod(packets[0].value("pts_time", "99"));
}

/// "17/25" as a number; NaN when it is not a fraction.
double ratio(const std::string& text) {
    const auto slash = text.find('/');
    if (slash == std::string::npos) {
        return std::nan("");
    }
    return std::stod(text.substr(0, slash)) / std::stod(text.substr(slash + 1));
}

}  // namespace

TEST_F(VideoKeep, PixelAspectRatioOfAnAnamorphicSourceIsKept) {
    const auto clip = m_dir / "anamorphic.mkv";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc=size=32x24:rate=10 -frames:v 3 -vf setsar=4/3 "
                       "-c:v libx264",
                       clip),
              "");
    for (const char* name : {"out.mp4", "out.mkv", "out.mov"}) {
        const auto out = m_dir / name;
        rewrite(clip, out);
        EXPECT_EQ(videoStream(out).value("sample_aspect_ratio", ""), "4:3") << name;
        EXPECT_EQ(videoStream(out).value("display_aspect_ratio", ""), "16:9") << name;
    }
}

TEST_F(VideoKeep, Hdr10MasteringDisplayAndLightLevelAreKept) {
    const auto clip = m_dir / "hdr.mkv";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc=size=32x24:rate=10 -frames:v 3 -pix_fmt yuv420p10le "
                       "-c:v libx265 -color_primaries bt2020 -color_trc smpte2084 "
                       "-colorspace bt2020nc -x265-params 'log-level=error:master-display="
                       "G(13250,34500)B(7500,3000)R(34000,16000)WP(15635,16450)L(10000000,1):"
                       "max-cll=1000,400'",
                       clip),
              "");
    // x265 puts the metadata in the pictures (SEI), not in the container.
    EXPECT_EQ(sideData(clip, "Mastering display metadata").size(), 0U);
    for (const char* name : {"out.mkv", "out.mp4"}) {
        const auto out = m_dir / name;
        rewrite(clip, out, "h265");
        const auto mastering = sideData(out, "Mastering display metadata");
        // Matroska stores them as numbers, so the fractions come back reduced.
        EXPECT_NEAR(ratio(mastering.value("red_x", "")), 0.68, 1e-6) << name;
        EXPECT_NEAR(ratio(mastering.value("max_luminance", "")), 1000.0, 1e-6) << name;
        const auto light = sideData(out, "Content light level metadata");
        EXPECT_EQ(light.value("max_content", 0), 1000) << name;
        EXPECT_EQ(light.value("max_average", 0), 400) << name;
        EXPECT_EQ(videoStream(out).value("color_transfer", ""), "smpte2084") << name;
    }
}

TEST_F(VideoKeep, RotationIsKeptInMkvByTurningThePictures) {
    // 32x16, red in the top-left quarter; the display matrix says: shown turned 90 degrees
    // counter-clockwise.
    const auto plain = m_dir / "plain.mp4";
    ASSERT_EQ(makeClip("-f lavfi -i color=c=black:size=32x16:rate=10 -frames:v 2 "
                       "-vf drawbox=x=0:y=0:w=16:h=8:color=red:t=fill -c:v libx264 -qp 0 "
                       "-pix_fmt yuv444p",
                       plain),
              "");
    const auto rotated = m_dir / "rotated.mp4";
    ASSERT_EQ(makeClip("-i " + quoted(plain) + " -c copy -metadata:s:v:0 rotate=90", rotated), "");
    const auto out = m_dir / "out.mkv";
    rewrite(rotated, out);
    const auto stream = videoStream(out);
    EXPECT_EQ(stream.value("width", 0), 16);
    EXPECT_EQ(stream.value("height", 0), 32);
    const auto frame = firstFrame(out);
    // Turned as the ffmpeg tool shows it, the red quarter is the bottom half of the left column.
    EXPECT_GT(frame.image.at(4, 24, 0), 200);
    EXPECT_LT(frame.image.at(4, 4, 0), 50);
    EXPECT_LT(frame.image.at(12, 4, 0), 50);
    EXPECT_LT(frame.image.at(12, 24, 0), 50);

    // MP4 keeps the display matrix itself, and the pictures as they are.
    const auto mp4 = m_dir / "out.mp4";
    rewrite(rotated, mp4);
    EXPECT_EQ(videoStream(mp4).value("width", 0), 32);
    EXPECT_EQ(sideData(mp4, "Display Matrix").value("rotation", 0), 90);
}

TEST_F(VideoKeep, ColourRangeIsTaggedForEveryCodec) {
    // Only the range is tagged: no matrix, primaries or transfer beside it.
    for (const std::string range : {"tv", "pc"}) {
        const auto clip = m_dir / (range + ".mkv");
        ASSERT_EQ(makeClip("-f lavfi -i color=c=0x3070C0:size=32x24:rate=10 -frames:v 2 "
                           "-pix_fmt yuv420p -color_range " +
                               range + " -c:v ffv1",
                           clip),
                  "");
        const auto source = firstFrame(clip);
        for (const std::string name : {"h265.mp4", "prores.mov", "h264.mp4", "ffv1.mkv"}) {
            const auto out = m_dir / (range + "_" + name);
            rewrite(clip, out, name.substr(0, name.find('.')));
            // ProRes is limited range by definition: a full-range source is converted to it.
            const std::string expected = name == "prores.mov" ? "tv" : range;
            EXPECT_EQ(videoStream(out).value("color_range", ""), expected) << out;
            // Decoded as tagged, the colours are the source's.
            const auto frame = firstFrame(out);
            for (int c = 0; c < 3; ++c) {
                EXPECT_NEAR(frame.image.at(6, 6, c) * 255 / frame.image.maxValue(),
                            source.image.at(6, 6, c), 3)
                    << out << " channel " << c;
            }
        }
    }
}

TEST_F(VideoKeep, TwelveBitSourcesKeepTwelveBitsWhereTheEncoderCan) {
    const auto clip = m_dir / "deep.mkv";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc=size=32x24:rate=10 -frames:v 2 -pix_fmt yuv420p12le "
                       "-c:v ffv1",
                       clip),
              "");
    rewrite(clip, m_dir / "h265.mkv", "h265");
    rewrite(clip, m_dir / "ffv1.mkv", "ffv1");
    EXPECT_EQ(videoStream(m_dir / "h265.mkv").value("pix_fmt", ""), "yuv420p12le");
    EXPECT_EQ(videoStream(m_dir / "ffv1.mkv").value("pix_fmt", ""), "yuv420p12le");
    EXPECT_EQ(logged("bits per sample"), 0) << m_logged.str();

    rewrite(clip, m_dir / "h264.mkv", "h264");
    EXPECT_EQ(videoStream(m_dir / "h264.mkv").value("pix_fmt", ""), "yuv420p10le");
    EXPECT_EQ(logged("has 12 bits per sample; the libx264 encoder writes at most 10"), 1)
        << m_logged.str();
    EXPECT_EQ(logged("--"), 0) << m_logged.str();  // facts, no command-line advice
}

TEST_F(VideoKeep, InterlacedSourcesWarnOnceAndKeepTheirFieldOrder) {
    const auto clip = m_dir / "interlaced.mkv";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc=size=32x24:rate=10 -frames:v 3 -field_order tt "
                       "-c:v ffv1",
                       clip),
              "");
    const auto out = m_dir / "out.mkv";
    rewrite(clip, out, "ffv1");
    EXPECT_EQ(videoStream(out).value("field_order", ""), "tt");
    EXPECT_EQ(logged("' is interlaced (top field first)"), 1) << m_logged.str();

    const auto progressive = m_dir / "progressive.mkv";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc=size=32x24:rate=10 -frames:v 3 -c:v ffv1", progressive),
              "");
    rewrite(progressive, m_dir / "p.mkv", "ffv1");
    EXPECT_EQ(logged("' is interlaced"), 1) << m_logged.str();
}

TEST_F(VideoKeep, RgbSourcesStayRgbWithTheirExactColours) {
    const auto clip = m_dir / "rgb.mkv";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc=size=32x24:rate=10 -frames:v 3 -pix_fmt gbrp "
                       "-c:v ffv1",
                       clip),
              "");
    const auto ffv1 = m_dir / "ffv1.mkv";
    rewrite(clip, ffv1, "ffv1");
    EXPECT_EQ(videoStream(ffv1).value("color_space", ""), "gbr");
    EXPECT_EQ(frameHashes(ffv1), frameHashes(clip));  // lossless, every frame

    const auto x264 = m_dir / "x264rgb.mkv";
    rewrite(clip, x264, "h264");
    const auto stream = videoStream(x264);
    EXPECT_EQ(stream.value("codec_name", ""), "h264");
    EXPECT_EQ(stream.value("pix_fmt", ""), "gbrp");
    EXPECT_EQ(stream.value("color_space", ""), "gbr");
}

TEST_F(VideoKeep, RgbSourcesWrittenAsYuvAreTaggedWithAYuvMatrix) {
    const auto clip = m_dir / "x264rgb.mkv";
    ASSERT_EQ(makeClip("-f lavfi -i color=c=0x3070C0:size=32x16:rate=10 -frames:v 2 "
                       "-pix_fmt rgb24 -c:v libx264rgb -qp 0",
                       clip),
              "");
    for (const char* codec : {"prores", "h265"}) {
        const auto out = m_dir / (std::string(codec) + (codec[0] == 'p' ? ".mov" : ".mp4"));
        rewrite(clip, out, codec);
        const auto stream = videoStream(out);
        if (std::string(codec) == "prores") {
            EXPECT_EQ(stream.value("pix_fmt", ""), "yuv444p10le");  // ProRes 4444
            EXPECT_EQ(stream.value("color_space", ""), "bt709");
        } else {
            EXPECT_EQ(stream.value("pix_fmt", ""), "gbrp");
        }
        const auto frame = firstFrame(out);
        const auto at = [&](int c) {
            return frame.image.at(5, 5, c) * 255 / frame.image.maxValue();
        };
        EXPECT_NEAR(at(0), 0x30, 3) << codec;
        EXPECT_NEAR(at(1), 0x70, 3) << codec;
        EXPECT_NEAR(at(2), 0xC0, 3) << codec;
    }
}

TEST_F(VideoKeep, WrappedTransportStreamTimestampsKeepEveryFrame) {
    // The 33-bit MPEG-TS clock wraps 2 s into the clip: the first 20 frames have timestamps
    // just below 2^33, the others just above 0.
    const auto clip = m_dir / "wrap.ts";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc=size=32x24:rate=10 -f lavfi "
                       "-i sine=frequency=440:sample_rate=8000 -t 5 -c:v libx264 -bf 0 -c:a aac "
                       "-output_ts_offset 95440.3",
                       clip),
              "");
    ASSERT_EQ(frameTimes(clip).size(), 50U);
    const auto [videoStart, audioStart] = starts(clip);
    ASSERT_LT(videoStart, 0.0);  // FFmpeg unwraps the clock into negative times before the wrap
    for (const char* name : {"out.mp4", "out.mkv"}) {
        const auto out = m_dir / name;
        rewrite(clip, out);
        const auto times = frameTimes(out);
        ASSERT_EQ(times.size(), 50U) << name;
        // The earliest stream (the audio) starts at 0; each frame keeps its place after it.
        for (std::size_t i = 0; i < times.size(); ++i) {
            ASSERT_NE(times[i], "N/A") << name << " frame " << i;
            EXPECT_NEAR(std::stod(times[i]), videoStart - audioStart + 0.1 * static_cast<double>(i),
                        0.002)
                << name << " frame " << i;
        }
        EXPECT_NEAR(firstAudioTime(out), 0.0, 0.001) << name;
    }
}

TEST_F(VideoKeep, ALateStartIsNotWrittenAsEmptyLeadInAndAudioStaysInSync) {
    const auto clip = m_dir / "late.ts";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc=size=32x24:rate=10 -f lavfi "
                       "-i sine=frequency=440:sample_rate=8000 -t 2.5 -c:v libx264 -c:a aac "
                       "-output_ts_offset 11.4",
                       clip),
              "");
    const auto [videoStart, audioStart] = starts(clip);
    ASSERT_GT(audioStart, 10.0);
    const auto out = m_dir / "out.mp4";
    rewrite(clip, out);
    const auto times = frameTimes(out);
    ASSERT_EQ(times.size(), 25U);
    // The earliest stream (the audio) starts at 0 and the video keeps its place after it.
    EXPECT_NEAR(firstAudioTime(out), 0.0, 0.001);
    EXPECT_NEAR(std::stod(times.front()), videoStart - audioStart, 0.001);
    const auto format = probeJson(out, "-show_format").value("format", nlohmann::json::object());
    EXPECT_LT(std::stod(format.value("duration", "99")), 3.0);
}

TEST_F(VideoKeep, TransparencyThatCannotBeKeptIsNamedOnce) {
    const auto apng = m_dir / "half.png";
    ASSERT_EQ(makeClip("-f lavfi -i color=c=red:size=32x24:rate=10 -frames:v 2 "
                       "-vf format=rgba,colorchannelmixer=aa=0.5 -f apng",
                       apng),
              "");
    rewrite(apng, m_dir / "half.mp4");
    EXPECT_EQ(logged("half.png' has transparent areas"), 1) << m_logged.str();

    // A GIF decodes with an alpha channel, but one that is opaque everywhere says nothing.
    const auto gif = m_dir / "opaque.gif";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc=size=32x24:rate=10 -frames:v 2", gif), "");
    rewrite(gif, m_dir / "opaque.mp4");
    EXPECT_EQ(logged("transparent"), 1) << m_logged.str();
}
