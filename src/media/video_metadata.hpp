#pragma once
// Private to the media module: what the source's video stream says about its pictures beyond
// the pixels (pixel aspect ratio, field order, HDR10 static metadata, rotation, start time), read
// once before the first frame and carried to the output stream, with one warning for what the
// output cannot hold.

#include <cstdint>
#include <filesystem>
#include <utility>
#include <vector>

#include "ffmpeg_handles.hpp"
#include "upscale/core/image.hpp"

namespace upscale::media {

struct VideoMetadata {
    AVRational sampleAspect{0, 1};  ///< 0/1 when the source does not say
    AVFieldOrder fieldOrder = AV_FIELD_UNKNOWN;
    /// Stream side data carried as it is: mastering display and content light level.
    std::vector<std::pair<AVPacketSideDataType, std::vector<std::uint8_t>>> sideData;
    bool hdr10Plus = false;       ///< per-frame HDR10+ metadata (SMPTE ST 2094-40)
    bool dolbyVision = false;     ///< a Dolby Vision configuration or RPU
    double rotation = 0.0;        ///< counter-clockwise degrees, from the display matrix
    bool picturesTurned = false;  ///< the writer turned the pictures: the output has no rotation

    /// True for a source whose pictures are two interlaced fields.
    [[nodiscard]] bool interlaced() const {
        return fieldOrder != AV_FIELD_UNKNOWN && fieldOrder != AV_FIELD_PROGRESSIVE;
    }
};

/// Reads the metadata of the best video stream of `source`. HDR10 static metadata comes from the
/// stream, else from the side data of its first decoded frame. Nothing is an error: a source that
/// cannot be read gives empty metadata.
[[nodiscard]] VideoMetadata readVideoMetadata(const std::filesystem::path& source);

/// One warning for each property of `meta` the output cannot carry (HDR10+, Dolby Vision), and
/// one for interlaced sources, whose frames are upscaled as whole pictures.
void reportMetadataLosses(const VideoMetadata& meta, const std::filesystem::path& source,
                          const std::filesystem::path& target);

/// Gives the output video stream the source's pixel aspect ratio, field order and side data, and
/// an upright display matrix when the pictures were turned (after the source's was copied).
void applyVideoMetadata(const VideoMetadata& meta, AVStream& stream);

/// How far every time of the source is moved back (AV_TIME_BASE units): the earliest start of its
/// video, audio and subtitle streams when the video would otherwise start before zero (wrapped or
/// negative MPEG-TS times) or every stream starts late (no empty lead-in), else 0, so that a
/// small negative audio start owed to the codec (Opus pre-skip, AAC priming) stays as it is. The
/// reader takes it off every frame time and the copied streams are moved by the same amount, so
/// the streams stay in sync.
[[nodiscard]] std::int64_t timelineOffset(const AVFormatContext& input, int videoIndex);

/// True when some pixel of the frame is not fully opaque.
[[nodiscard]] bool anyTransparent(const AVFrame& frame);

/// True for containers that store a display matrix (MP4, MOV); elsewhere the pictures are turned.
[[nodiscard]] bool holdsDisplayMatrix(const AVOutputFormat& container);

/// Clockwise quarter turns (0 to 3) that show a picture as a display matrix of `rotation`
/// counter-clockwise degrees would; 0 for angles that are not a multiple of 90 degrees.
[[nodiscard]] int clockwiseQuarterTurns(double rotation);

/// `from` turned clockwise by `turns` quarter turns, into `to` (reused between frames).
const core::Image& turnClockwise(const core::Image& from, int turns, core::Image& to);

}  // namespace upscale::media
