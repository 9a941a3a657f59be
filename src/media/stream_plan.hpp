#pragma once
// Private to the media module: what becomes of each of a source's streams other than the video
// that is upscaled, decided once, before the first frame, for one output container. A stream is
// copied as it is when the container's muxer takes it (tried, not only looked up), converted when
// it is not and a conversion keeps its content (audio, text subtitles, cover art in Matroska), or
// left out with one warning that says why.

#include <filesystem>
#include <vector>

#include "ffmpeg_handles.hpp"
#include "upscale/core/error.hpp"
#include "upscale/media/video_writer.hpp"

namespace upscale::media {

enum class StreamFate {
    Copy,     ///< packets copied unchanged
    Convert,  ///< decoded and encoded again as `convertTo`
    Attach,   ///< a cover picture stored as a Matroska attachment (the picture unchanged)
};

struct PlannedStream {
    int source = 0;  ///< index in the source file
    StreamFate fate = StreamFate::Copy;
    AVCodecID convertTo = AV_CODEC_ID_NONE;
};

struct StreamPlan {
    std::vector<PlannedStream> streams;  ///< the streams kept, in source order
};

/// Decides the fate of every stream of `source` but its best video stream, for `container`
/// and the choices in `options` (streams they exclude are left out without a word). Logs one
/// warning for each stream converted or left out, with the reason. Errors: UnsupportedFormat
/// when the source cannot be read again.
[[nodiscard]] core::Result<StreamPlan> planStreams(const std::filesystem::path& source,
                                                   const AVOutputFormat& container,
                                                   const VideoWriteOptions& options);

/// Writes the header of `output` (streams added, no file opened) into memory and discards it:
/// the muxer's verdict on exactly these streams. Returns FFmpeg's code (0 on success). FFmpeg's
/// own complaints are logged at debug level: the caller words the outcome.
[[nodiscard]] int tryHeader(AVFormatContext& output);

}  // namespace upscale::media
