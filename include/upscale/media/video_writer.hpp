#pragma once
// Video out: encodes frames as they arrive (nothing accumulates), keeps the source's timestamps
// and colour properties, and copies the source's audio, subtitle and attachment streams when
// the output container can hold them.

#include <filesystem>
#include <memory>
#include <string>

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

/// Codec names accepted by VideoWriteOptions::codec.
[[nodiscard]] const std::vector<std::string>& videoCodecNames();
/// Container extensions (with the dot) the writer can produce: ".mp4", ".mkv", ".mov", ".webm".
[[nodiscard]] const std::vector<std::string>& videoOutputExtensions();
/// True when the path's extension is one of videoOutputExtensions() (any case).
[[nodiscard]] bool hasVideoOutputExtension(const std::filesystem::path& path);

/// Writes one video file. The file is written under a temporary name beside the target and
/// renamed by finish(); a writer destroyed without finish() removes its temporary file.
/// Thread contract: used from one thread at a time. Move-only.
class VideoWriter {
public:
    /// Opens the output: the container from the target's extension, the encoder from options,
    /// frames of width x height in RGB of the source's depth, timestamps in source.timeBase.
    /// Other streams of `sourceFile` are copied as options allow; a stream the container cannot
    /// hold is skipped with one warning. Errors: InvalidArgument (a codec the container cannot
    /// hold, an unknown pixel format), Io (the file cannot be created).
    [[nodiscard]] static core::Result<std::unique_ptr<VideoWriter>> create(
        const std::filesystem::path& target, const std::filesystem::path& sourceFile,
        const VideoProbe& source, int width, int height, const VideoWriteOptions& options);

    ~VideoWriter();
    VideoWriter(const VideoWriter&) = delete;
    VideoWriter& operator=(const VideoWriter&) = delete;

    /// Encodes one frame (RGB, the size given to create()) with its source timestamp and writes
    /// what the encoder returns, interleaved with the copied streams up to that time.
    [[nodiscard]] core::Result<void> write(const VideoFrame& frame);

    /// Flushes the encoder, copies the rest of the other streams (all of them when `complete`,
    /// else only up to the last frame written), finalises the container so it plays, and renames
    /// the temporary file to `finalPath`. Returns the path written.
    [[nodiscard]] core::Result<std::filesystem::path> finish(
        bool complete, const std::filesystem::path& finalPath);

    /// The output name used for a cancelled job: "<dir>/<stem>.partial<ext>".
    [[nodiscard]] static std::filesystem::path partialPath(const std::filesystem::path& target);

    struct Impl;

private:
    explicit VideoWriter(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace upscale::media
