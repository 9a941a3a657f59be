// An exception from inside the video writer (here from its segment callback) comes back from
// the entry point as an error naming the file, instead of ending the process.

#include <gtest/gtest.h>

#include <stdexcept>

#include "common/test_paths.hpp"
#include "common/video_clips.hpp"
#include "upscale/media/video.hpp"
#include "upscale/media/video_writer.hpp"

namespace fs = std::filesystem;
using namespace upscale;
using namespace upscale::test;

TEST(MediaBarriers, ASegmentCallbackThatThrowsFailsTheWriteNamingTheFile) {
    UPSCALE_REQUIRE_ENCODERS("ffv1");
    const auto dir = fs::path(UPSCALE_TEST_BINARY_DIR) / "media_barrier";
    fs::remove_all(dir);
    fs::create_directories(dir);
    const auto clip = dir / "src.mkv";
    ASSERT_EQ(makeClip("-f lavfi -i testsrc=size=32x32:rate=10 -frames:v 3 -c:v ffv1", clip), "");
    auto probe = media::probeVideo(clip);
    ASSERT_TRUE(probe) << probe.error().message;
    auto reader = media::VideoReader::open(clip);
    ASSERT_TRUE(reader) << reader.error().message;

    media::SegmentOptions segments;
    segments.folder = dir / "segments";
    segments.onClosed = [](const media::SegmentInfo&) -> core::Result<void> {
        throw std::runtime_error("the journal's disk went away");
    };
    media::VideoWriteOptions options;
    options.codec = "ffv1";
    const auto out = dir / "out.mkv";
    auto writer = media::VideoWriter::create(out, clip, *probe, 32, 32, options, segments);
    ASSERT_TRUE(writer) << writer.error().message;
    auto frame = (*reader)->read();
    ASSERT_TRUE(frame && frame->has_value());
    ASSERT_TRUE((*writer)->write(**frame));
    const auto closed = (*writer)->closeSegment();
    ASSERT_FALSE(closed);
    EXPECT_EQ(closed.error().code, core::ErrorCode::Internal);
    EXPECT_EQ(closed.error().message, "Unexpected failure while writing '" + out.string() +
                                          "': the journal's disk went away.");
}
