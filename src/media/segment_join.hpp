#pragma once
// Private to the media module: joins closed video segments into one container without
// re-encoding, with the source's audio, subtitle and attachment streams copied beside them.

#include <filesystem>
#include <vector>

#include "segment_file.hpp"
#include "stream_plan.hpp"
#include "upscale/core/error.hpp"
#include "video_metadata.hpp"

namespace upscale::media {

struct JoinRequest {
    std::vector<std::filesystem::path> segments;  ///< in order
    std::filesystem::path target;                 ///< names the container and the messages
    std::filesystem::path writeTo;                ///< the file written
    std::filesystem::path sourceFile;             ///< the other streams come from here
    StreamPlan plan;                              ///< what becomes of the other streams
    double untilSeconds = 0.0;  ///< the other streams are copied up to this time
    VideoMetadata metadata;     ///< what the source's video stream says beyond the pixels
};

/// Writes the segments' packets with the source's timestamps. Decode timestamps are assigned
/// across the whole video, so that they increase across the segments' joins even when each
/// segment's encoder reorders frames. Errors: DiskFull or Io naming the file, CorruptFile for a
/// damaged segment.
[[nodiscard]] core::Result<void> joinSegments(const JoinRequest& request);

/// Sets up the output of `request` for a video stream described by `header`, with every
/// planned stream, and has the muxer write its header into memory: a job that passes this
/// trial before its first frame is not refused by the muxer after its last. Errors:
/// UnsupportedFormat with the muxer's reason.
[[nodiscard]] core::Result<void> tryJoin(const JoinRequest& request, const SegmentHeader& header);

}  // namespace upscale::media
