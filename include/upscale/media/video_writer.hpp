#pragma once
// Video out: encodes frames as they arrive (nothing accumulates), keeps the source's timestamps
// and colour properties, and keeps the source's other streams and chapters: copied when the
// output container holds them, converted when it does not, left out with a warning when
// neither is possible.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "upscale/core/error.hpp"
#include "upscale/media/video.hpp"

namespace upscale::media {

struct VideoWriteOptions {
    /// "h264", "h265", "av1", "ffv1" or "prores"; empty = the container's usual codec.
    std::string codec;
    int crf = -1;              ///< quality for h264/h265/av1 (lower is better); -1 = default
    std::string preset;        ///< encoder speed preset ("veryfast", "medium"...); empty = default
    std::string pixelFormat;   ///< FFmpeg pixel format name; empty = follow the source
    bool audio = true;         ///< copy the source's audio streams
    bool otherStreams = true;  ///< copy subtitles and attachments

    [[nodiscard]] core::Result<void> validate() const;
};

/// One closed segment: a run of frames encoded by an encoder of its own, starting with a key
/// frame, synced to the disk.
struct SegmentInfo {
    int index = 0;  ///< 0-based; the file is segmentFileName(index) in the segment folder
    std::filesystem::path file;
    std::int64_t firstFrame = 0;  ///< index of its first frame in the source
    std::int64_t frames = 0;
    std::int64_t firstPts = 0, lastPts = 0;  ///< in the source's time base
    std::int64_t bytes = 0;                  ///< size of the closed file
};

/// How the writer cuts the video into segments. Each frame goes into a segment file as soon as
/// it is encoded; finish() joins the segments, without re-encoding, into the output container
/// with the source's other streams. A job that stops (a crash, a full disk) keeps the segments
/// closed so far, and a later writer given them as `done` continues after them.
struct SegmentOptions {
    /// Where the segment files go. Empty: a hidden folder beside the target, removed by finish().
    std::filesystem::path folder;
    /// A new segment starts at the first frame at least this many seconds after the first frame
    /// of the current one: the cut points depend on the source alone.
    double seconds = 5.0;
    /// Segments closed by an earlier run, in order; the next one written is done.size().
    std::vector<SegmentInfo> done;
    /// Called once a segment has been closed at a cut point or at the end of the video (not for
    /// the short segment a cancel closes); an error stops the writer.
    std::function<core::Result<void>(const SegmentInfo&)> onClosed;
};

/// "000012.seg": the name of segment `index` in its folder.
[[nodiscard]] std::string segmentFileName(int index);

/// Codec names accepted by VideoWriteOptions::codec.
[[nodiscard]] const std::vector<std::string>& videoCodecNames();
/// Container extensions (with the dot) the writer can produce: ".mp4", ".mkv", ".mov", ".webm".
[[nodiscard]] const std::vector<std::string>& videoOutputExtensions();
/// True when the path's extension is one of videoOutputExtensions() (any case).
[[nodiscard]] bool hasVideoOutputExtension(const std::filesystem::path& path);
/// Extensions (with the dot) of the animations the writer can produce from a video: ".gif",
/// ".webp". They are written only when asked for; a video's default output stays a video
/// container.
[[nodiscard]] const std::vector<std::string>& animationOutputExtensions();
/// True when the path's extension is one of animationOutputExtensions() (any case).
[[nodiscard]] bool hasAnimationOutputExtension(const std::filesystem::path& path);

/// Writes one video file. Frames are encoded into segment files as they arrive; finish() joins
/// them under a temporary name beside the target and renames it. A writer destroyed without
/// finish() removes its temporary files (a segment folder it was given is left as it is).
/// Thread contract: used from one thread at a time. Move-only.
class VideoWriter {
public:
    /// Opens the output: the container from the target's extension, the encoder from options,
    /// frames of width x height in RGB of the source's depth (RGBA when keepsAlpha()),
    /// timestamps in source.timeBase. A GIF or WebP target is an animation: its frames are
    /// kept losslessly in the segments, and finish() encodes the animation from them with each
    /// frame's display time and the source's play count, with the source's transparency.
    /// Everything that could fail the join is settled here, before the first frame: one frame
    /// is encoded and the encoder closed; each other stream of `sourceFile` that options allow
    /// is planned as copied, converted (audio to AAC, Opus or FLAC, text subtitles to the
    /// container's text format, cover art to a Matroska attachment) or left out, with one
    /// warning for each conversion or loss; chapters are kept; and the muxer writes a trial
    /// header with exactly those streams. Errors: InvalidArgument (a codec the container
    /// cannot hold, an unknown pixel format, settings the encoder refuses), UnsupportedFormat
    /// (the muxer refuses the planned streams), Io (the folder cannot be created).
    [[nodiscard]] static core::Result<std::unique_ptr<VideoWriter>> create(
        const std::filesystem::path& target, const std::filesystem::path& sourceFile,
        const VideoProbe& source, int width, int height, const VideoWriteOptions& options,
        SegmentOptions segments = {});

    ~VideoWriter();
    VideoWriter(const VideoWriter&) = delete;
    VideoWriter& operator=(const VideoWriter&) = delete;

    /// True when the frames given to write() carry alpha (RGBA): the source has an alpha
    /// channel and the output keeps it.
    [[nodiscard]] bool keepsAlpha() const;

    /// Encodes one frame (RGB or RGBA as keepsAlpha() says, the size given to create()) with its
    /// source timestamp into the current segment, starting a new segment at a cut point.
    [[nodiscard]] core::Result<void> write(const VideoFrame& frame);

    /// Closes the current segment, joins every segment into the container with the other
    /// streams (all of them when `complete`, else only up to the last frame written), so that
    /// it plays, and renames the temporary file to `finalPath`. Returns the path written.
    [[nodiscard]] core::Result<std::filesystem::path> finish(
        bool complete, const std::filesystem::path& finalPath);

    /// Closes the current segment as at a cut point (SegmentOptions::onClosed is called) and
    /// joins nothing: for segments written apart, which a later writer given all of them as
    /// SegmentOptions::done joins with finish(). Nothing is written after it.
    [[nodiscard]] core::Result<void> closeSegment();

    /// The output name used for a cancelled job: "<dir>/<stem>.partial<ext>".
    [[nodiscard]] static std::filesystem::path partialPath(const std::filesystem::path& target);

    struct Impl;

private:
    explicit VideoWriter(std::unique_ptr<Impl> impl);
    [[nodiscard]] static core::Result<std::unique_ptr<VideoWriter>> createUnguarded(
        const std::filesystem::path& target, const std::filesystem::path& sourceFile,
        const VideoProbe& source, int width, int height, const VideoWriteOptions& options,
        SegmentOptions segments);
    [[nodiscard]] core::Result<void> writeUnguarded(const VideoFrame& frame);
    [[nodiscard]] core::Result<std::filesystem::path> finishUnguarded(
        bool complete, const std::filesystem::path& finalPath);
    [[nodiscard]] core::Result<void> closeSegmentUnguarded();
    std::unique_ptr<Impl> m_impl;
};

}  // namespace upscale::media
