// Whole video jobs through the JobRunner with the bundled model on the CPU: clips built with the
// ffmpeg tool, results checked with ffprobe.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <spdlog/sinks/ostream_sink.h>

#include "common/animation_checks.hpp"
#include "common/test_paths.hpp"
#include "common/video_clips.hpp"
#include "upscale/core/logging.hpp"
#include "upscale/pipeline/job.hpp"

using namespace upscale;
using namespace upscale::test;
namespace fs = std::filesystem;

namespace {

struct JobRun {
    bool started = false;
    pipeline::JobSummary summary;
    std::vector<core::Event> events;
    std::string log;
};

/// The start times (seconds) of the frames of an animated WebP, from the durations in its
/// frame chunks (ANMF: a 24-bit duration in milliseconds at byte 12 of the payload).
std::vector<double> webpFrameStarts(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    const std::string data{std::istreambuf_iterator<char>(in), {}};
    const auto byte = [&](std::size_t at) {
        return static_cast<std::uint32_t>(static_cast<unsigned char>(data.at(at)));
    };
    std::vector<double> starts;
    std::uint32_t time = 0;
    for (std::size_t at = 12; at + 8 <= data.size();) {
        const std::uint32_t size =
            byte(at + 4) | byte(at + 5) << 8 | byte(at + 6) << 16 | byte(at + 7) << 24;
        if (data.compare(at, 4, "ANMF") == 0) {
            starts.push_back(time / 1000.0);
            time += byte(at + 20) | byte(at + 21) << 8 | byte(at + 22) << 16;
        }
        at += 8 + size + (size & 1);
    }
    return starts;
}

class VideoJob : public ::testing::Test {
protected:
    void SetUp() override {
        UPSCALE_REQUIRE_ENCODERS("libx264", "ffv1", "aac", "libopus", "srt");
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        m_dir = fs::path(UPSCALE_TEST_BINARY_DIR) / ("videojob_" + std::string(info->name()));
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
    }

    pipeline::JobSettings settings(const fs::path& input, double scale = 2.0) {
        pipeline::JobSettings s;
        s.inputs = {input};
        s.scale = scale;
        s.model = "realesr-animevideov3";
        s.engine.device = core::DeviceSpec{core::DeviceSpec::Kind::Cpu, 0};
        s.engine.precision = core::Precision::FP32;
        s.engine.workers = 1;
        s.video.preset = "veryfast";
        return s;
    }

    /// Runs a job; `onBatch` may cancel.
    JobRun run(const pipeline::JobSettings& s,
               std::function<void(const core::Batch&)> onBatch = {}) {
        JobRun out;
        std::ostringstream logged;
        auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(logged);
        auto subscription = core::subscribeToLog(sink);
        core::CancelToken cancel;
        engine::Context context;
        pipeline::JobRunner runner(context, s, [&](const core::Event& e) {
            out.events.push_back(e);
            const auto* batch = std::get_if<core::Batch>(&e);
            if (batch != nullptr && onBatch) {
                onBatch(*batch);
                if (batch->batchIndex == m_cancelAfter) {
                    cancel.cancel();
                }
            }
        });
        auto summary = runner.run(cancel);
        subscription.reset();
        out.log = logged.str();
        out.started = summary.has_value();
        EXPECT_TRUE(summary.has_value()) << summary.error().message;
        if (summary) {
            out.summary = *summary;
        }
        return out;
    }

    template <typename Kind>
    static std::vector<Kind> ofKind(const JobRun& r) {
        std::vector<Kind> out;
        for (const auto& e : r.events) {
            if (const auto* kind = std::get_if<Kind>(&e)) {
                out.push_back(*kind);
            }
        }
        return out;
    }

    fs::path m_dir;
    int m_cancelAfter = -1;
};

}  // namespace

TEST_F(VideoJob, ConstantRateClipKeepsFramesTimestampsAndAudioBytes) {
    const auto clip = m_dir / "clip.mp4";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc=size=64x48:rate=24 -f lavfi -i sine=frequency=440 "
                       "-t 0.5 -c:v libx264 -pix_fmt yuv420p -c:a aac -shortest",
                       clip),
              "");
    const auto r = run(settings(clip));
    EXPECT_EQ(r.summary.succeeded, 1) << r.log;
    const auto out = m_dir / "clip_x2.mp4";
    ASSERT_TRUE(fs::exists(out)) << r.log;
    EXPECT_EQ(frameTimes(out), frameTimes(clip));
    EXPECT_EQ(frameTimes(out).size(), 12U);
    const auto source = audioPacketHashes(clip);
    EXPECT_FALSE(source.empty());
    EXPECT_EQ(audioPacketHashes(out), source);
    const auto v = videoStream(out);
    EXPECT_EQ(v.value("width", 0), 128);
    EXPECT_EQ(v.value("height", 0), 96);
    // One event and one log line per batch of two frames, written as it finished.
    const auto batches = ofKind<core::Batch>(r);
    ASSERT_EQ(batches.size(), 6U);
    EXPECT_EQ(batches.back().framesDone, 12);
    EXPECT_EQ(batches.back().framesTotal, 12);
    EXPECT_EQ(batches[2].batchIndex, 3);
    EXPECT_EQ(batches[2].framesInBatch, 2);
    EXPECT_GT(batches[2].framesPerSecond, 0.0);
    EXPECT_GE(batches[2].etaSeconds, 0.0);
    EXPECT_NE(r.log.find("Batch 6: 2 frames upscaled and saved (12/12 frames"), std::string::npos)
        << r.log;
}

TEST_F(VideoJob, VariableFrameRateSurvives) {
    const auto clip = m_dir / "vfr.mkv";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc=size=32x24:rate=10 -frames:v 7 "
                       "-vf setpts='(N*N+N)/20/TB' -fps_mode passthrough -c:v libx264",
                       clip),
              "");
    const auto r = run(settings(clip));
    const auto out = m_dir / "vfr_x2.mkv";
    ASSERT_TRUE(fs::exists(out)) << r.log;
    const auto times = frameTimes(out);
    EXPECT_EQ(times, frameTimes(clip));
    EXPECT_EQ(times.size(), 7U);
}

TEST_F(VideoJob, SubtitlesOpusAndAttachmentsGoWhereTheContainerAllows) {
    const auto srt = m_dir / "subs.srt";
    std::ofstream(srt) << "1\n00:00:00,000 --> 00:00:00,300\nHello\n\n"
                          "2\n00:00:00,300 --> 00:00:00,500\nWorld\n";
    const auto clip = m_dir / "film.mkv";
    ASSERT_EQ(
        makeClip(
            "-f lavfi -i testsrc=size=32x24:rate=10 -f lavfi -i sine=frequency=440 "
            "-i " +
                quoted(srt) + " -attach " + quoted(srt) +
                " -metadata:s:t mimetype=application/x-truetype-font -t 0.5 -map 0 -map 1 -map 2 "
                "-c:v libx264 -c:a libopus -c:s srt",
            clip),
        "");
    ASSERT_EQ(streamTypes(clip),
              (std::vector<std::string>{"video", "audio", "subtitle", "attachment"}));

    // MP4 holds Opus, holds SRT once converted to mov_text, and cannot hold attachments.
    auto toMp4 = settings(clip);
    toMp4.format = "mp4";
    const auto mp4 = run(toMp4);
    EXPECT_EQ(mp4.summary.succeeded, 1) << mp4.log;
    const auto mp4Out = m_dir / "film_x2.mp4";
    EXPECT_EQ(streamTypes(mp4Out), (std::vector<std::string>{"video", "audio", "subtitle"}));
    EXPECT_EQ(streams(mp4Out)[2].value("codec_name", ""), "mov_text");
    // The same cues at the same times (mov_text also stores the gaps, as empty 2-byte samples).
    auto cues = [](const fs::path& file) {
        std::vector<std::string> times;
        const auto j = probeJson(file, "-select_streams s -show_entries packet=pts_time,size");
        for (const auto& p : j.value("packets", nlohmann::json::array())) {
            if (p.value("size", "0") != "2") {
                times.push_back(p.value("pts_time", "?"));
            }
        }
        return times;
    };
    EXPECT_EQ(cues(clip).size(), 2U);
    EXPECT_EQ(cues(mp4Out), cues(clip));
    EXPECT_EQ(audioPacketHashes(mp4Out), audioPacketHashes(clip));
    EXPECT_NE(mp4.log.find("subtitle stream 2 (subrip) of '" + clip.string() +
                           "' is converted to mov_text"),
              std::string::npos)
        << mp4.log;
    EXPECT_NE(mp4.log.find("attachment stream 3"), std::string::npos) << mp4.log;
    EXPECT_NE(mp4.log.find("is left out: mp4 cannot hold attachments"), std::string::npos)
        << mp4.log;

    const auto mkv = run(settings(clip));
    EXPECT_EQ(mkv.summary.succeeded, 1) << mkv.log;
    EXPECT_EQ(streamTypes(m_dir / "film_x2.mkv"),
              (std::vector<std::string>{"video", "audio", "subtitle", "attachment"}));
    EXPECT_EQ(audioPacketHashes(m_dir / "film_x2.mkv"), audioPacketHashes(clip));
}

TEST_F(VideoJob, TenBitStaysTenBitAndColourTagsAreKept) {
    struct Case {
        const char* name;
        const char* args;
        std::vector<std::pair<std::string, std::string>> expect;
    };
    const std::vector<Case> cases = {
        {"deep.mkv", "-pix_fmt yuv420p10le", {{"pix_fmt", "yuv420p10le"}}},
        {"full.mp4", "-pix_fmt yuvj420p", {{"color_range", "pc"}}},
        {"hd.mp4",
         "-pix_fmt yuv420p -color_primaries bt709 -color_trc bt709 -colorspace bt709",
         {{"color_primaries", "bt709"}, {"color_transfer", "bt709"}, {"color_space", "bt709"}}},
    };
    for (const auto& c : cases) {
        const auto clip = m_dir / c.name;
        ASSERT_EQ(makeClip(std::string("-f lavfi -i testsrc=size=32x24:rate=10 -frames:v 2 "
                                       "-c:v libx264 ") +
                               c.args,
                           clip),
                  "");
        const auto r = run(settings(clip));
        EXPECT_EQ(r.summary.succeeded, 1) << r.log;
        const auto out = m_dir / pipeline::outputFileName(clip, 2.0, "");
        const auto v = videoStream(out);
        for (const auto& [key, value] : c.expect) {
            EXPECT_EQ(v.value(key, ""), value) << c.name << " " << key;
        }
    }
}

TEST_F(VideoJob, OddSizesRotationAndASingleFrameWork) {
    const auto odd = m_dir / "odd.mkv";
    ASSERT_EQ(
        makeClip("-f lavfi -i testsrc=size=321x241:rate=10 -frames:v 1 -pix_fmt yuv420p -c:v ffv1",
                 odd),
        "");
    const auto r = run(settings(odd, 1.0));
    EXPECT_EQ(r.summary.succeeded, 1) << r.log;
    const auto v = videoStream(m_dir / "odd_x1.mkv");
    // 4:2:0 needs even sizes: one column and one row are added, and the log says so.
    EXPECT_EQ(v.value("width", 0), 322);
    EXPECT_EQ(v.value("height", 0), 242);
    EXPECT_EQ(frameTimes(m_dir / "odd_x1.mkv").size(), 1U);

    const auto plain = m_dir / "plain.mp4";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc=size=32x24:rate=10 -frames:v 3 -c:v libx264", plain),
              "");
    const auto rotated = m_dir / "rotated.mp4";
    ASSERT_EQ(makeClip("-i " + quoted(plain) + " -c copy -metadata:s:v:0 rotate=90", rotated), "");
    const auto rr = run(settings(rotated));
    EXPECT_EQ(rr.summary.succeeded, 1) << rr.log;
    const auto rv = videoStream(m_dir / "rotated_x2.mp4");
    ASSERT_TRUE(rv.contains("side_data_list")) << rv.dump();
    EXPECT_EQ(rv["side_data_list"][0].value("rotation", 0),
              videoStream(rotated)["side_data_list"][0].value("rotation", -1));
}

TEST_F(VideoJob, TruncatedFileUpscalesWhatCanBeDecoded) {
    const auto whole = m_dir / "whole.mkv";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc=size=32x24:rate=10 -frames:v 20 -c:v ffv1", whole), "");
    const auto cut = m_dir / "cut.mkv";
    truncatedCopy(whole, cut, 0.5);
    const auto r = run(settings(cut));
    EXPECT_EQ(r.summary.succeeded, 1) << r.log;
    const auto frames = frameTimes(m_dir / "cut_x2.mkv").size();
    EXPECT_GT(frames, 0U);
    EXPECT_LT(frames, 20U);
    EXPECT_NE(r.log.find("ended early: decoding stopped after frame " + std::to_string(frames)),
              std::string::npos)
        << r.log;
}

TEST_F(VideoJob, NoVideoStreamFailsAloneWithAClearError) {
    const auto sound = m_dir / "sound.mp4";
    ASSERT_EQ(makeClip("-f lavfi -i sine=frequency=440 -t 0.2 -c:a aac", sound), "");
    const auto r = run(settings(sound));
    EXPECT_EQ(r.summary.failed, 1);
    const auto failed = ofKind<core::ItemFailed>(r);
    ASSERT_EQ(failed.size(), 1U);
    EXPECT_NE(failed[0].error.message.find("has no video stream"), std::string::npos);
}

TEST_F(VideoJob, CancelKeepsAPlayablePartialFile) {
    const auto clip = m_dir / "long.mkv";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc=size=32x24:rate=10 -f lavfi -i sine=frequency=440 "
                       "-t 3 -c:v libx264 -c:a libopus",
                       clip),
              "");
    m_cancelAfter = 3;
    std::int64_t doneAtCancel = 0;
    const auto r = run(settings(clip), [&](const core::Batch& e) { doneAtCancel = e.framesDone; });
    EXPECT_EQ(r.summary.succeeded, 0);
    const auto partial = m_dir / "long_x2.partial.mkv";
    ASSERT_TRUE(fs::exists(partial)) << r.log;
    EXPECT_FALSE(fs::exists(m_dir / "long_x2.mkv"));
    const auto times = frameTimes(partial);
    EXPECT_EQ(static_cast<std::int64_t>(times.size()), doneAtCancel);
    EXPECT_LT(doneAtCancel, 30);
    EXPECT_GE(doneAtCancel, 6);
    const auto all = frameTimes(clip);
    EXPECT_TRUE(std::equal(times.begin(), times.end(), all.begin()));
    EXPECT_EQ(streamTypes(partial), (std::vector<std::string>{"video", "audio"}));
    // Only the item's own files remain: no temporary file is left behind.
    for (const auto& entry : fs::directory_iterator(m_dir)) {
        EXPECT_EQ(entry.path().string().find(".tmp"), std::string::npos) << entry.path();
    }
}

TEST_F(VideoJob, OneAndThreeWorkersWriteTheSameFramesInOrder) {
    const auto clip = m_dir / "clip.mkv";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc=size=32x24:rate=10 -frames:v 9 -c:v ffv1", clip), "");
    auto one = settings(clip);
    one.video.codec = "ffv1";
    one.output = m_dir / "one.mkv";
    run(one);
    auto three = one;
    three.engine.workers = 3;
    three.output = m_dir / "three.mkv";
    run(three);
    const auto a = frameHashes(m_dir / "one.mkv");
    EXPECT_EQ(a.size(), 9U);
    EXPECT_EQ(frameHashes(m_dir / "three.mkv"), a);
    EXPECT_EQ(frameTimes(m_dir / "three.mkv"), frameTimes(clip));
}

TEST_F(VideoJob, FramesOutWritesOnePngPerFrame) {
    const auto clip = m_dir / "clip.mp4";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc=size=32x24:rate=10 -frames:v 3 -c:v libx264", clip),
              "");
    auto s = settings(clip);
    s.framesOut = m_dir / "frames";
    const auto r = run(s);
    EXPECT_EQ(r.summary.succeeded, 1) << r.log;
    for (int i = 1; i <= 3; ++i) {
        const auto png = m_dir / "frames" / ("clip_00000" + std::to_string(i) + ".png");
        ASSERT_TRUE(fs::exists(png)) << png;
        const auto v = videoStream(png);
        EXPECT_EQ(v.value("width", 0), 64);
    }
    EXPECT_FALSE(fs::exists(m_dir / "clip_x2.mp4"));
}

TEST_F(VideoJob, OutputEqualToTheInputIsRefused) {
    const auto clip = m_dir / "clip.mp4";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc=size=32x24:rate=10 -frames:v 2 -c:v libx264", clip),
              "");
    const auto before = fs::file_size(clip);
    auto s = settings(clip);
    s.output = clip;
    s.overwrite = true;
    const auto r = run(s);
    EXPECT_EQ(r.summary.failed, 1);
    EXPECT_EQ(fs::file_size(clip), before);
    EXPECT_NE(r.log.find("would overwrite an input"), std::string::npos) << r.log;
}

TEST_F(VideoJob, AnimatedGifBecomesAnMp4Video) {
    const auto gif = m_dir / "anim.gif";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc=size=32x24:rate=10 -frames:v 4", gif), "");
    const auto r = run(settings(gif));
    EXPECT_EQ(r.summary.succeeded, 1) << r.log;
    const auto out = m_dir / "anim_x2.mp4";
    const auto v = videoStream(out);
    EXPECT_EQ(v.value("codec_name", ""), "h264");
    EXPECT_EQ(v.value("pix_fmt", ""), "yuv420p");
    EXPECT_EQ(v.value("width", 0), 64);
    EXPECT_EQ(frameTimes(out), frameTimes(gif));
}

TEST_F(VideoJob, AnimatedPngIsAVideoWithItsFrameTiming) {
    // Four frames of 0.1, 0.3, 0.1 and 0.2 s.
    const auto apng = m_dir / "anim.png";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc=size=32x24:rate=10 -frames:v 4 "
                       "-vf setpts='(N*N+N)/10/TB' -fps_mode passthrough -plays 0 -f apng",
                       apng),
              "");
    ASSERT_EQ(frameTimes(apng).size(), 4U);
    const auto r = run(settings(apng));
    EXPECT_EQ(r.summary.succeeded, 1) << r.log;
    EXPECT_FALSE(fs::exists(m_dir / "anim_x2.png"));
    const auto out = m_dir / "anim_x2.mp4";
    EXPECT_EQ(videoStream(out).value("width", 0), 64);
    EXPECT_EQ(frameTimes(out), frameTimes(apng));

    // A still PNG is still an image.
    const auto still = m_dir / "still.png";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc=size=32x24:rate=10 -frames:v 1", still), "");
    EXPECT_EQ(run(settings(still)).summary.succeeded, 1);
    EXPECT_TRUE(fs::exists(m_dir / "still_x2.png"));
}

TEST_F(VideoJob, AnimatedWebPIsAVideoWithItsFrameTiming) {
    UPSCALE_REQUIRE_ENCODERS("libwebp_anim");
    // Four half-transparent frames of uneven length.
    const auto webp = m_dir / "anim.webp";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc=size=32x24:rate=10 -frames:v 4 "
                       "-vf setpts='(N*N+N)/10/TB',format=rgba,colorchannelmixer=aa=0.5 "
                       "-fps_mode passthrough -c:v libwebp_anim -loop 0",
                       webp),
              "");
    // This FFmpeg cannot read it back, so the frame times come from the file's own frame chunks.
    const std::vector<double> expected = webpFrameStarts(webp);
    ASSERT_EQ(expected.size(), 4U);
    ASSERT_GT(expected[2] - expected[1], expected[1] - expected[0]);  // uneven
    const auto r = run(settings(webp));
    EXPECT_EQ(r.summary.succeeded, 1) << r.log;
    const auto out = m_dir / "anim_x2.mp4";
    EXPECT_EQ(videoStream(out).value("width", 0), 64);
    const auto times = frameTimes(out);
    ASSERT_EQ(times.size(), expected.size()) << r.log;
    for (std::size_t i = 0; i < times.size(); ++i) {
        EXPECT_NEAR(std::stod(times[i]), expected[i], 0.001) << "frame " << i;
    }
    EXPECT_NE(r.log.find(", 4 frame(s) -> 64x48"), std::string::npos) << r.log;
    EXPECT_NE(r.log.find("has transparent areas"), std::string::npos) << r.log;
}

TEST_F(VideoJob, GifAskedForStaysAGifWithItsTimingAndTransparency) {
    // Three frames, the right half transparent, played for ever.
    const auto gif = m_dir / "anim.gif";
    ASSERT_EQ(makeClip("-f lavfi -i \"testsrc=size=32x24:rate=10:duration=0.3,format=rgba,"
                       "geq=r='r(X,Y)':g='g(X,Y)':b='b(X,Y)':a='if(lt(X,16),255,0)',split[a][b];"
                       "[a]palettegen=reserve_transparent=1[p];[b][p]paletteuse\" -loop 0",
                       gif),
              "");
    auto s = settings(gif);
    s.format = "gif";
    const auto r = run(s);
    EXPECT_EQ(r.summary.succeeded, 1) << r.log;
    const auto out = m_dir / "anim_x2.gif";
    EXPECT_EQ(videoStream(out).value("codec_name", ""), "gif");
    EXPECT_EQ(videoStream(out).value("width", 0), 64);
    EXPECT_EQ(frameTimes(out), frameTimes(gif));
    EXPECT_EQ(frameDurations(out), frameDurations(gif));
    EXPECT_EQ(gifLoopCount(out), 0);
    const auto frames = ffmpegRgbaFrames(out, 64, 48);
    ASSERT_EQ(frames.size(), 3U);
    for (const auto& f : frames) {
        // Away from the edge, where the upscaled alpha blends.
        EXPECT_EQ(f.at(48, 24, 3), 0);
        EXPECT_EQ(f.at(60, 4, 3), 0);
        EXPECT_EQ(f.at(12, 24, 3), 255);
        EXPECT_EQ(f.at(2, 44, 3), 255);
    }
    EXPECT_EQ(r.log.find("has transparent areas"), std::string::npos) << r.log;
}

TEST_F(VideoJob, AnimatedWebPAskedForStaysAnAnimationWithItsTimingAndTransparency) {
    UPSCALE_REQUIRE_ENCODERS("libwebp_anim");
    // Four frames of uneven length, the right half transparent.
    const auto webp = m_dir / "anim.webp";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc=size=32x24:rate=10 -frames:v 4 "
                       "-vf \"setpts='(N*N+N)/10/TB',format=rgba,geq=r='r(X,Y)':g='g(X,Y)':"
                       "b='b(X,Y)':a='if(lt(X,16),255,0)'\" "
                       "-fps_mode passthrough -c:v libwebp_anim -lossless 1 -loop 2",
                       webp),
              "");
    const auto source = decodeWebP(webp);
    ASSERT_EQ(source.decoded.size(), 4U);
    auto s = settings(webp);
    s.format = "webp";
    const auto r = run(s);
    EXPECT_EQ(r.summary.succeeded, 1) << r.log;
    const auto out = decodeWebP(m_dir / "anim_x2.webp");
    EXPECT_EQ(out.frames, 4);
    EXPECT_EQ(out.loopCount, 2);
    EXPECT_TRUE(out.alpha);
    ASSERT_EQ(out.decoded.size(), 4U) << r.log;
    for (std::size_t i = 0; i < out.decoded.size(); ++i) {
        const RgbaFrame& f = out.decoded[i];
        EXPECT_EQ(f.width, 64);
        EXPECT_EQ(f.endMs, source.decoded[i].endMs) << "frame " << i;
        EXPECT_EQ(f.at(48, 24, 3), 0) << "frame " << i;
        EXPECT_EQ(f.at(12, 24, 3), 255) << "frame " << i;
    }
    EXPECT_EQ(r.log.find("has transparent areas"), std::string::npos) << r.log;
}

TEST_F(VideoJob, ResumedFramesOutWritesOnlyTheFramesThatAreMissing) {
    const auto clip = m_dir / "clip.mp4";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc=size=32x24:rate=10 -frames:v 6 -c:v libx264", clip),
              "");
    auto s = settings(clip);
    s.framesOut = m_dir / "frames";
    s.engine.batch = 1;
    ASSERT_EQ(run(s).summary.succeeded, 1);
    const auto frame = [&](int i) { return m_dir / "frames" / fmt::format("clip_{:06d}.png", i); };
    const auto sixth = fs::file_size(frame(6));
    // As a crash after the fourth frame would leave them.
    fs::remove(frame(5));
    fs::remove(frame(6));
    const auto kept = fs::last_write_time(frame(4));

    s.resume = true;
    const auto r = run(s);
    EXPECT_EQ(r.summary.succeeded, 1) << r.log;
    EXPECT_NE(r.log.find("4 frame(s) were finished by an earlier run; continuing at frame 5"),
              std::string::npos)
        << r.log;
    int batches = 0;
    for (const auto& e : r.events) {
        batches += std::holds_alternative<core::Batch>(e) ? 1 : 0;
    }
    EXPECT_EQ(batches, 2);
    EXPECT_EQ(fs::last_write_time(frame(4)), kept);
    ASSERT_TRUE(fs::exists(frame(6)));
    EXPECT_EQ(fs::file_size(frame(6)), sixth);
}
