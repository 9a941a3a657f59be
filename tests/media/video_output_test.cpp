// What the video writer makes of a whole source: every codec the CLI offers in every container,
// and each of the source's other streams (audio, subtitles, chapters, cover art, further video)
// copied, converted or left out with a warning, all decided before the first frame. Judged with
// ffprobe.

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include <spdlog/sinks/ostream_sink.h>

#include "common/test_paths.hpp"
#include "common/video_clips.hpp"
#include "ffmpeg_handles.hpp"
#include "upscale/core/logging.hpp"
#include "upscale/media/video.hpp"
#include "upscale/media/video_writer.hpp"
#include "video_rewrite.hpp"

namespace fs = std::filesystem;
using namespace upscale;
using namespace upscale::test;

namespace {

std::string streamValue(const fs::path& file, std::size_t index, const char* key) {
    const auto all = streams(file);
    return index < all.size() ? all[index].value(key, std::string("?")) : std::string("none");
}

/// H.264 at its fastest: what most cases here write, where the video codec is not the point.
media::VideoWriteOptions fastH264() {
    media::VideoWriteOptions options;
    options.codec = "h264";
    options.preset = "ultrafast";
    return options;
}

/// The codec ffprobe names for the audio encoder in "-c:a NAME ...".
std::string avcodecName(const std::string& args) {
    std::string name = args.substr(args.find("-c:a ") + 5);
    name = name.substr(0, name.find(' '));
    return name == "libopus" ? "opus" : name;
}

double packetTime(const nlohmann::json& packet) {
    return std::stod(packet.value("pts_time", std::string("nan")));
}

/// Where the first audio stream's sound ends: its last packet's start plus its length, seconds.
double audioEnd(const fs::path& file) {
    const auto j =
        probeJson(file, "-select_streams a:0 -show_entries packet=pts_time,duration_time");
    const auto packets = j.value("packets", nlohmann::json::array());
    if (packets.empty()) {
        return -1.0;
    }
    const double last = packetTime(packets.back());
    const std::string length = packets.back().value("duration_time", "");
    if (!length.empty()) {
        return last + std::stod(length);
    }
    // Without a length (TrueHD in Matroska), packets follow each other at a fixed step.
    return packets.size() > 1 ? 2 * last - packetTime(packets[packets.size() - 2]) : last;
}

/// The audio packets of a file: their start times in seconds.
std::vector<double> audioTimes(const fs::path& file) {
    const auto j = probeJson(file, "-select_streams a:0 -show_entries packet=pts_time");
    std::vector<double> times;
    for (const auto& p : j.value("packets", nlohmann::json::array())) {
        times.push_back(packetTime(p));
    }
    return times;
}

// ---------------------------------------------------------------------------------------------
// Every codec x container pair the CLI offers (--codec h264|h265|av1|ffv1|prores, -f mp4|mkv|
// mov|webm): it writes a playable file with every frame at its time, or is refused before any
// frame with a message that names the container and the codec. Each run has a time limit (the
// ctest TIMEOUT of this executable): an encoder that never closes fails the test.

struct Pair {
    const char* codec;
    const char* container;
    const char* ffprobeName;  ///< codec_name ffprobe reports; null when refused
};

std::string pairName(const ::testing::TestParamInfo<Pair>& info) {
    return std::string(info.param.codec) + "_" + info.param.container;
}

void PrintTo(const Pair& pair, std::ostream* out) {
    *out << pair.codec << " in " << pair.container;
}

class CodecContainer : public ::testing::TestWithParam<Pair> {};

TEST_P(CodecContainer, WritesEveryFrameOrIsRefusedBeforeTheFirst) {
    UPSCALE_REQUIRE_ENCODERS("libx264", "libx265", "libsvtav1", "ffv1", "prores_ks");
    const Pair pair = GetParam();
    const auto dir = freshDir();
    const auto clip = dir / "clip.mkv";
    // 64x64 is the smallest frame SVT-AV1 takes; 4 frames at 10 fps.
    ASSERT_EQ(
        makeClip("-f lavfi -i testsrc=size=64x64:rate=10 -frames:v 4 -pix_fmt yuv420p -c:v ffv1",
                 clip),
        "");
    const auto out = dir / (std::string("out.") + pair.container);
    media::VideoWriteOptions options;
    options.codec = pair.codec;
    options.preset = std::string(pair.codec) == "av1" ? "12" : "";
    if (std::string(pair.codec) == "h264" || std::string(pair.codec) == "h265") {
        options.preset = "ultrafast";
    }
    const auto written = rewrite(clip, out, options);
    if (pair.ffprobeName == nullptr) {
        ASSERT_FALSE(written.has_value());
        EXPECT_EQ(written.error().code, core::ErrorCode::InvalidArgument);
        EXPECT_NE(written.error().message.find("cannot hold"), std::string::npos)
            << written.error().message;
        EXPECT_EQ(written.error().message.find("--"), std::string::npos) << written.error().message;
        EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
        return;
    }
    ASSERT_TRUE(written.has_value()) << written.error().message;
    EXPECT_EQ(videoStream(out).value("codec_name", ""), pair.ffprobeName);
    EXPECT_EQ(frameHashes(out).size(), 4U);
    EXPECT_EQ(frameTimes(out), frameTimes(clip));
    // Nothing else is left beside the output: no temporary file, no segment folder.
    EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 2);
}

INSTANTIATE_TEST_SUITE_P(
    All, CodecContainer,
    ::testing::Values(
        Pair{"h264", "mp4", "h264"}, Pair{"h264", "mkv", "h264"}, Pair{"h264", "mov", "h264"},
        Pair{"h264", "webm", nullptr}, Pair{"h265", "mp4", "hevc"}, Pair{"h265", "mkv", "hevc"},
        Pair{"h265", "mov", "hevc"}, Pair{"h265", "webm", nullptr}, Pair{"av1", "mp4", "av1"},
        Pair{"av1", "mkv", "av1"}, Pair{"av1", "mov", nullptr}, Pair{"av1", "webm", "av1"},
        Pair{"ffv1", "mp4", nullptr}, Pair{"ffv1", "mkv", "ffv1"}, Pair{"ffv1", "mov", nullptr},
        Pair{"ffv1", "webm", nullptr}, Pair{"prores", "mp4", nullptr},
        Pair{"prores", "mkv", "prores"}, Pair{"prores", "mov", "prores"},
        Pair{"prores", "webm", nullptr}, Pair{"", "webm", "av1"}),
    pairName);

class VideoOutput : public ::testing::Test {
protected:
    void SetUp() override {
        UPSCALE_REQUIRE_ENCODERS("ffv1", "libx264", "aac", "libopus", "flac", "mov_text");
        m_dir = freshDir();
    }
    fs::path m_dir;
};

// ---------------------------------------------------------------------------------------------
// Audio a container cannot hold as it is (FLAC or TrueHD in MP4/MOV, Opus in MOV, AAC in WebM)
// is converted, with one warning, before the first frame; the item never fails at the join.

struct AudioCase {
    const char* name;
    const char* audio;  ///< ffmpeg arguments for the source's audio
    const char* container;
    const char* expected;  ///< codec_name of the output's audio
};

void PrintTo(const AudioCase& c, std::ostream* out) {
    *out << c.name;
}

class AudioConversion : public ::testing::TestWithParam<AudioCase> {};

/// The packets of a file's streams: stream index -> start times in seconds.
std::map<int, std::vector<std::string>> packetTimes(const fs::path& file) {
    std::map<int, std::vector<std::string>> times;
    const auto j = probeJson(file, "-show_entries packet=stream_index,pts_time");
    for (const auto& p : j.value("packets", nlohmann::json::array())) {
        times[p.value("stream_index", -1)].push_back(p.value("pts_time", "?"));
    }
    return times;
}

TEST_P(AudioConversion, IsDecidedBeforeTheFirstFrameWithOneWarning) {
    UPSCALE_REQUIRE_ENCODERS("ffv1", "libx264", "libsvtav1", "aac", "libopus", "flac", "truehd");
    const AudioCase c = GetParam();
    const auto dir = freshDir();
    const auto clip = dir / "src.mkv";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc=size=64x64:rate=10 -f lavfi "
                       "-i sine=frequency=440:sample_rate=48000 -t 1 -pix_fmt yuv420p -c:v ffv1 " +
                           std::string(c.audio),
                       clip),
              "");
    const auto out = dir / (std::string("out.") + c.container);
    LogCapture log;
    media::VideoWriteOptions options;
    const bool webm = std::string(c.container) == "webm";
    options.codec = webm ? "av1" : "h264";
    options.preset = webm ? "12" : "ultrafast";
    const auto written = rewrite(clip, out, options);
    ASSERT_TRUE(written.has_value()) << written.error().message << "\n" << log.text();
    const auto types = streams(out);
    ASSERT_EQ(types.size(), 2U);
    EXPECT_EQ(types[1].value("codec_name", ""), c.expected);
    const bool converted = std::string(c.expected) != avcodecName(c.audio);
    EXPECT_EQ(log.count("is converted to"), converted ? 1U : 0U) << log.text();
    EXPECT_EQ(log.text().find("--"), std::string::npos) << log.text();
    // Every frame at its time, and the whole second of sound from where it started.
    auto source = packetTimes(clip);
    auto output = packetTimes(out);
    EXPECT_EQ(output[0], source[0]);
    ASSERT_FALSE(output[1].empty());
    EXPECT_NEAR(std::stod(output[1].front()), std::stod(source[1].front()), 0.03);
    EXPECT_NEAR(audioEnd(out), audioEnd(clip), 0.03);
}

INSTANTIATE_TEST_SUITE_P(
    All, AudioConversion,
    ::testing::Values(AudioCase{"flac_mp4", "-c:a flac", "mp4", "aac"},
                      AudioCase{"flac_mov", "-c:a flac", "mov", "aac"},
                      AudioCase{"truehd_mp4", "-c:a truehd -strict -2", "mp4", "aac"},
                      AudioCase{"truehd_mov", "-c:a truehd -strict -2", "mov", "aac"},
                      AudioCase{"opus_mov", "-c:a libopus", "mov", "aac"},
                      AudioCase{"aac_webm", "-c:a aac", "webm", "opus"},
                      AudioCase{"flac_webm", "-c:a flac", "webm", "opus"},
                      AudioCase{"flac_mkv", "-c:a flac", "mkv", "flac"},
                      AudioCase{"opus_mp4", "-c:a libopus", "mp4", "opus"}),
    [](const ::testing::TestParamInfo<AudioCase>& info) { return std::string(info.param.name); });

TEST_F(VideoOutput, ConvertedAudioIsTheSameAfterAResumedRun) {
    const auto clip = m_dir / "src.mkv";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc=size=32x32:rate=10 -f lavfi "
                       "-i sine=frequency=440:sample_rate=48000 -t 2 -pix_fmt yuv420p -c:v ffv1 "
                       "-c:a flac",
                       clip),
              "");
    auto probe = media::probeVideo(clip);
    ASSERT_TRUE(probe.has_value());
    const auto out = m_dir / "out.mp4";
    const auto folder = m_dir / "segments";
    std::vector<media::SegmentInfo> closed;
    auto segments = [&] {
        media::SegmentOptions options;
        options.folder = folder;
        options.seconds = 0.5;
        options.done = closed;
        options.onClosed = [&](const media::SegmentInfo& s) -> core::Result<void> {
            closed.push_back(s);
            return {};
        };
        return options;
    };
    auto reader = media::VideoReader::open(clip);
    ASSERT_TRUE(reader.has_value());
    {
        // The first run stops (as a crash would) after 12 frames: two segments are closed.
        auto writer = media::VideoWriter::create(out, clip, *probe, 32, 32, fastH264(), segments());
        ASSERT_TRUE(writer.has_value()) << writer.error().message;
        for (int i = 0; i < 12; ++i) {
            auto frame = (*reader)->read();
            ASSERT_TRUE(frame.has_value() && frame->has_value());
            ASSERT_TRUE((*writer)->write(**frame).has_value());
        }
    }
    ASSERT_EQ(closed.size(), 2U);
    reader = media::VideoReader::open(clip);
    ASSERT_TRUE(reader.has_value());
    LogCapture log;
    auto writer = media::VideoWriter::create(out, clip, *probe, 32, 32, fastH264(), segments());
    ASSERT_TRUE(writer.has_value()) << writer.error().message;
    for (std::int64_t i = 0;; ++i) {
        auto frame = (*reader)->read();
        ASSERT_TRUE(frame.has_value());
        if (!*frame) {
            break;
        }
        if (i >= closed.back().firstFrame + closed.back().frames) {
            ASSERT_TRUE((*writer)->write(**frame).has_value());
        }
    }
    const auto done = (*writer)->finish(true, out);
    ASSERT_TRUE(done.has_value()) << done.error().message;
    EXPECT_EQ(streamValue(out, 1, "codec_name"), "aac");
    EXPECT_EQ(log.count("is converted to AAC"), 1U) << log.text();
    EXPECT_EQ(frameTimes(out), frameTimes(clip));
    const auto sound = audioTimes(out);
    ASSERT_FALSE(sound.empty());
    EXPECT_NEAR(audioEnd(out), audioEnd(clip), 0.03);
    // The joined file was put together in the segment folder and moved out of it.
    EXPECT_EQ(std::distance(fs::directory_iterator(m_dir), fs::directory_iterator()), 3);
}

// ---------------------------------------------------------------------------------------------
// Errors name their real cause: only a full disk, a quota or a file too large says so.

TEST(VideoOutputErrors, OnlyAFullDiskIsCalledAFullDisk) {
    const fs::path file = "/videos/out.mp4";
    const auto refused = media::ff::writeError(AVERROR_EXPERIMENTAL, file);
    EXPECT_EQ(refused.code, core::ErrorCode::UnsupportedFormat);
    EXPECT_EQ(refused.message.find("disk"), std::string::npos) << refused.message;
    EXPECT_NE(refused.message.find("Experimental feature"), std::string::npos) << refused.message;
    const auto denied = media::ff::writeError(AVERROR(EACCES), file);
    EXPECT_EQ(denied.code, core::ErrorCode::Io);
    EXPECT_EQ(denied.message.find("Free some space"), std::string::npos) << denied.message;
    for (const int full : {ENOSPC, EDQUOT, EFBIG}) {
        const auto error = media::ff::writeError(AVERROR(full), file);
        EXPECT_EQ(error.code, core::ErrorCode::DiskFull) << full;
        EXPECT_NE(error.message.find("/videos/out.mp4"), std::string::npos) << error.message;
    }
}

// ---------------------------------------------------------------------------------------------
// Chapters, cover art and further video streams.

TEST_F(VideoOutput, ChaptersAreKeptInEveryContainerThatHasThem) {
    const auto meta = m_dir / "chapters.txt";
    std::ofstream(meta) << ";FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=400\n"
                           "title=Opening\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=400\nEND=1000\n"
                           "title=Ending\n";
    const auto clip = m_dir / "src.mkv";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc=size=32x32:rate=10 -i " + quoted(meta) +
                           " -map_metadata 1 -map_chapters 1 -t 1 -c:v ffv1",
                       clip),
              "");
    auto chapters = [](const fs::path& file) {
        std::vector<std::string> found;
        for (const auto& c :
             probeJson(file, "-show_chapters").value("chapters", nlohmann::json::array())) {
            found.push_back(c.value("start_time", "?") + " " +
                            c.value("tags", nlohmann::json::object()).value("title", "?"));
        }
        return found;
    };
    ASSERT_EQ(chapters(clip).size(), 2U);
    for (const char* container : {"mkv", "mp4", "mov"}) {
        SCOPED_TRACE(container);
        const auto out = m_dir / (std::string("out.") + container);
        const auto options = fastH264();
        const auto written = rewrite(clip, out, options);
        ASSERT_TRUE(written.has_value()) << written.error().message;
        EXPECT_EQ(chapters(out), chapters(clip));
    }
}

TEST_F(VideoOutput, CoverArtIsKeptWhereTheContainerHasIt) {
    const auto cover = m_dir / "cover.jpg";
    ASSERT_EQ(makeClip("-f lavfi -i color=red:size=16x16 -frames:v 1", cover), "");
    const auto clip = m_dir / "src.mp4";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc=size=32x32:rate=10 -i " + quoted(cover) +
                           " -t 1 -map 0 -map 1 -c:v:0 libx264 -c:v:1 copy "
                           "-disposition:v:1 attached_pic",
                       clip),
              "");
    auto coverOf = [](const fs::path& file) {
        for (const auto& s : streams(file)) {
            if (s.value("disposition", nlohmann::json::object()).value("attached_pic", 0) == 1) {
                return s.value("codec_name", "?");
            }
        }
        return std::string("none");
    };
    ASSERT_EQ(coverOf(clip), "mjpeg");
    for (const char* container : {"mp4", "mkv"}) {
        SCOPED_TRACE(container);
        const auto out = m_dir / (std::string("out.") + container);
        const auto options = fastH264();
        LogCapture log;
        const auto written = rewrite(clip, out, options);
        ASSERT_TRUE(written.has_value()) << written.error().message;
        EXPECT_EQ(coverOf(out), "mjpeg");
        EXPECT_EQ(frameTimes(out), frameTimes(clip));
        EXPECT_EQ(log.count("left out"), 0U) << log.text();
    }
    {
        // MOV would make the picture a one-frame video track: it is left out, saying so.
        const auto options = fastH264();
        LogCapture log;
        const auto mov = m_dir / "out.mov";
        ASSERT_TRUE(rewrite(clip, mov, options).has_value());
        EXPECT_EQ(streamTypes(mov), (std::vector<std::string>{"video"}));
        EXPECT_EQ(log.count("cover art stream 1 (mjpeg) of '" + clip.string() + "' is left out"),
                  1U)
            << log.text();
    }
    const auto webm = m_dir / "out.webm";
    media::VideoWriteOptions av1;
    av1.codec = "av1";
    av1.preset = "12";
    const auto clip64 = m_dir / "src64.mp4";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc=size=64x64:rate=10 -i " + quoted(cover) +
                           " -t 0.3 -map 0 -map 1 -c:v:0 libx264 -c:v:1 copy "
                           "-disposition:v:1 attached_pic",
                       clip64),
              "");
    LogCapture log;
    const auto written = rewrite(clip64, webm, av1);
    ASSERT_TRUE(written.has_value()) << written.error().message;
    EXPECT_EQ(streamTypes(webm), (std::vector<std::string>{"video"}));
    EXPECT_EQ(log.count("cover art stream 1 (mjpeg) of '" + clip64.string() + "' is left out"), 1U)
        << log.text();
}

TEST_F(VideoOutput, AFurtherVideoStreamIsCopiedOrLeftOutWithAWarning) {
    const auto clip = m_dir / "src.mkv";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc=size=32x32:rate=10 -f lavfi "
                       "-i testsrc2=size=16x16:rate=5 -t 1 -map 0 -map 1 -c:v:0 libx264 "
                       "-c:v:1 ffv1",
                       clip),
              "");
    const auto options = fastH264();
    const auto mkv = m_dir / "out.mkv";
    ASSERT_TRUE(rewrite(clip, mkv, options).has_value());
    EXPECT_EQ(streamTypes(mkv), (std::vector<std::string>{"video", "video"}));
    EXPECT_EQ(streamValue(mkv, 1, "codec_name"), "ffv1");
    const auto second = probeJson(mkv, "-select_streams v:1 -show_entries packet=pts_time");
    EXPECT_EQ(second.value("packets", nlohmann::json::array()).size(), 5U);

    LogCapture log;
    const auto mp4 = m_dir / "out.mp4";
    ASSERT_TRUE(rewrite(clip, mp4, options).has_value());
    EXPECT_EQ(streamTypes(mp4), (std::vector<std::string>{"video"}));
    EXPECT_EQ(log.count("video stream 1 (ffv1) of '" + clip.string() + "' is left out"), 1U)
        << log.text();
}

// ---------------------------------------------------------------------------------------------
// Subtitles: each container gets the text format it has, with the cues at their times.

TEST_F(VideoOutput, MovTextBecomesSubRipInMatroskaAndBack) {
    const auto srt = m_dir / "subs.srt";
    std::ofstream(srt) << "1\n00:00:00,000 --> 00:00:00,300\nHello\n\n"
                          "2\n00:00:00,500 --> 00:00:00,800\nWorld\n";
    const auto clip = m_dir / "src.mp4";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc=size=32x32:rate=10 -i " + quoted(srt) +
                           " -t 1 -c:v libx264 -c:s mov_text",
                       clip),
              "");
    auto cues = [](const fs::path& file) {
        std::vector<std::string> found;
        const auto j = probeJson(file, "-select_streams s -show_entries packet=pts_time,size");
        for (const auto& p : j.value("packets", nlohmann::json::array())) {
            if (p.value("size", "0") != "2") {  // mov_text stores gaps as empty samples
                found.push_back(p.value("pts_time", "?"));
            }
        }
        return found;
    };
    ASSERT_EQ(cues(clip).size(), 2U);
    const auto options = fastH264();
    LogCapture log;
    const auto mkv = m_dir / "out.mkv";
    ASSERT_TRUE(rewrite(clip, mkv, options).has_value());
    EXPECT_EQ(streamValue(mkv, 1, "codec_name"), "subrip");
    EXPECT_EQ(cues(mkv), cues(clip));
    const auto text = runCommand("ffmpeg -v error -i " + quoted(mkv) + " -map 0:s -f srt - 2>&1");
    EXPECT_NE(text.output.find("Hello"), std::string::npos) << text.output;
    EXPECT_NE(text.output.find("World"), std::string::npos) << text.output;
    EXPECT_EQ(log.count("is converted to SubRip"), 1U) << log.text();
    EXPECT_EQ(log.text().find("-f mkv"), std::string::npos) << log.text();

    const auto back = m_dir / "back.mp4";
    ASSERT_TRUE(rewrite(mkv, back, options).has_value());
    EXPECT_EQ(streamValue(back, 1, "codec_name"), "mov_text");
    EXPECT_EQ(cues(back), cues(clip));
}

// ---------------------------------------------------------------------------------------------
// Timing through passes: Opus keeps its pre-skip exactly, and a complete file is not called
// truncated.

/// What must not change from pass to pass: the video's frame times (sorted), each audio packet's
/// time and MD5, and where the audio starts (Matroska's reader takes the pre-skip off it).
std::vector<std::string> timingSignature(const fs::path& file) {
    const auto j = probeJson(file,
                             "-show_entries packet=stream_index,pts_time,data_hash:"
                             "stream=codec_type,start_time -show_data_hash md5");
    std::vector<std::string> video, audio;
    for (const auto& p : j.value("packets", nlohmann::json::array())) {
        const std::string time = p.value("pts_time", "?");
        if (p.value("stream_index", -1) == 0) {
            video.push_back(time);
        } else {
            audio.push_back(time + " " + p.value("data_hash", "?"));
        }
    }
    std::sort(video.begin(), video.end(), [](const std::string& a, const std::string& b) {
        return std::stod(a) < std::stod(b);
    });
    for (const auto& st : j.value("streams", nlohmann::json::array())) {
        if (st.value("codec_type", "") == "audio") {
            audio.push_back("audio starts at " + st.value("start_time", std::string("?")));
        }
    }
    video.insert(video.end(), audio.begin(), audio.end());
    return video;
}

TEST_F(VideoOutput, OpusKeepsItsPreSkipThroughAnyNumberOfPasses) {
    for (const char* container : {"mkv", "mp4"}) {
        SCOPED_TRACE(container);
        const auto clip = m_dir / (std::string("pass0.") + container);
        ASSERT_EQ(makeClip("-f lavfi -i testsrc=size=32x32:rate=10 -f lavfi "
                           "-i sine=frequency=440:sample_rate=48000 -t 1 -c:v libx264 "
                           "-c:a libopus",
                           clip),
                  "");
        const auto original = timingSignature(clip);
        ASSERT_GT(original.size(), 10U);
        if (std::string(container) == "mkv") {  // 312 samples of pre-skip before zero
            ASSERT_EQ(original.back(), "audio starts at -0.007000");
        }
        fs::path previous = clip;
        for (int pass = 1; pass <= 3; ++pass) {
            const auto next = m_dir / ("pass" + std::to_string(pass) + "." + container);
            ASSERT_TRUE(rewrite(previous, next, fastH264()).has_value());
            EXPECT_EQ(timingSignature(next), original) << "pass " << pass;
            previous = next;
        }
    }
}

TEST_F(VideoOutput, ACompleteFileWithLongerAudioIsNotCalledTruncated) {
    const auto clip = m_dir / "src.mkv";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc=size=32x32:rate=10:duration=1 -f lavfi "
                       "-i sine=frequency=440:duration=3 -c:v ffv1 -c:a flac",
                       clip),
              "");
    ASSERT_EQ(frameHashes(clip).size(), 10U);
    LogCapture log;
    auto reader = media::VideoReader::open(clip);
    ASSERT_TRUE(reader.has_value());
    int frames = 0;
    for (;;) {
        auto frame = (*reader)->read();
        ASSERT_TRUE(frame.has_value());
        if (!*frame) {
            break;
        }
        ++frames;
    }
    EXPECT_EQ(frames, 10);
    EXPECT_FALSE((*reader)->endedEarly());
    EXPECT_EQ(log.text().find("ended early"), std::string::npos) << log.text();
}

}  // namespace
