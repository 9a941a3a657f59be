#pragma once
// Video in: probing and decoding through FFmpeg. Frames cross this border as core::Images in RGB
// order (8-bit, or 16-bit for sources deeper than 8 bits), each with its presentation timestamp,
// so nothing downstream sees an FFmpeg type.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "upscale/core/error.hpp"
#include "upscale/core/image.hpp"
#include "upscale/media/read_limits.hpp"

namespace upscale::media {

/// Lower-case extensions (with the dot) treated as videos by the pipeline, animated GIF included.
[[nodiscard]] const std::vector<std::string>& videoExtensions();
/// True when the path's extension is one of videoExtensions() (any case).
[[nodiscard]] bool hasVideoExtension(const std::filesystem::path& path);

enum class AnimatedImage { None, Png, WebP };
/// An animated PNG (APNG) or animated WebP, recognised by its content; None for still images,
/// other files and files that cannot be read.
[[nodiscard]] AnimatedImage animatedImageKind(const std::filesystem::path& path);
/// True for what the pipeline treats as a video: a video extension (animated GIF included), or
/// an animated PNG or WebP.
[[nodiscard]] bool isVideoInput(const std::filesystem::path& path);

struct Rational {
    int num = 0;
    int den = 1;
    [[nodiscard]] double value() const { return den == 0 ? 0.0 : static_cast<double>(num) / den; }
};

/// A stream of the file other than the video stream that is upscaled.
struct StreamInfo {
    int index = 0;
    std::string type;  ///< "audio", "subtitle", "attachment", "data", "video"
    std::string codec;
    std::string language;  ///< empty when not tagged
};

struct VideoProbe {
    int width = 0;
    int height = 0;
    std::string codec;        ///< decoder name, e.g. "h264"
    std::string pixelFormat;  ///< FFmpeg's name of the source layout, e.g. "yuv420p10le"
    int bitsPerComponent = 8;
    bool alpha = false;  ///< the source's pixel format has an alpha channel (GIF, APNG, WebP...)
    double durationSeconds = -1.0;  ///< negative when unknown
    Rational frameRate;             ///< average rate; may be approximate for variable rate
    Rational timeBase;              ///< unit of VideoFrame::pts
    std::int64_t frameCount = 0;    ///< from the container, else estimated from duration x rate
    bool frameCountEstimated = false;
    /// Colour properties by FFmpeg's names ("bt709", "pc"...); "unknown" when untagged.
    std::string colorPrimaries = "unknown";
    std::string colorTransfer = "unknown";
    std::string colorMatrix = "unknown";
    std::string colorRange = "unknown";
    double rotationDegrees = 0.0;    ///< display rotation from the stream's display matrix
    std::vector<StreamInfo> others;  ///< audio, subtitles, attachments, further video

    /// True for sources stored with more than 8 bits per sample (decoded to 16-bit RGB).
    [[nodiscard]] bool deep() const { return bitsPerComponent > 8; }
};

/// One decoded frame, converted to RGB (RGBA when the reader keeps alpha) with the source's colour
/// matrix and range.
struct VideoFrame {
    core::Image image;
    /// Presentation timestamp in VideoProbe::timeBase units: the source's, moved back when the
    /// source starts late or its video before zero (wrapped or negative MPEG-TS times), so that
    /// the earliest stream starts at 0.
    std::int64_t pts = 0;
    std::int64_t index = 0;  ///< 0-based position in presentation order
};

/// Probes a file without decoding it. Errors: NotFound, UnsupportedFormat (not a container
/// FFmpeg reads, or no video stream), CorruptFile (a video stream without a frame size),
/// LimitExceeded (a frame size over `limits`), each naming the file and what to do.
[[nodiscard]] core::Result<VideoProbe> probeVideo(const std::filesystem::path& path,
                                                  const ReadLimits& limits = {});

/// Decodes the best video stream of a file, with FFmpeg's threaded decoding.
/// Thread contract: one reader is used from one thread at a time. Move-only.
class VideoReader {
public:
    /// Opens the file and its decoder. Errors as probeVideo(), plus a decoder that cannot open.
    /// The frame size is checked against `limits` before the decoder is opened.
    [[nodiscard]] static core::Result<std::unique_ptr<VideoReader>> open(
        const std::filesystem::path& path, const ReadLimits& limits = {});

    ~VideoReader();
    VideoReader(const VideoReader&) = delete;
    VideoReader& operator=(const VideoReader&) = delete;

    [[nodiscard]] const VideoProbe& probe() const;

    /// The next frame in presentation order, or nullopt at the end of the stream. Packets that
    /// fail to decode are skipped with a warning; a file that ends early (truncated) ends the
    /// stream with a warning that says after which frame and at which time it stopped.
    [[nodiscard]] core::Result<std::optional<VideoFrame>> read();

    /// Decodes the next frame without converting it (a frame an earlier run already upscaled):
    /// it counts towards the frame indices and timestamps as read() would. False at the end.
    [[nodiscard]] core::Result<bool> skip();

    /// Frames from read() come as RGBA, with the source's alpha channel (opaque where it has
    /// none), when `keep` is true; as RGB otherwise (the default).
    void keepAlpha(bool keep);

    /// True when the stream ended before the frame count the container announced.
    [[nodiscard]] bool endedEarly() const;

    struct Impl;

private:
    explicit VideoReader(std::unique_ptr<Impl> impl);
    [[nodiscard]] static core::Result<std::unique_ptr<VideoReader>> openUnguarded(
        const std::filesystem::path& path, const ReadLimits& limits);
    [[nodiscard]] core::Result<std::optional<VideoFrame>> next(bool toRgb);
    [[nodiscard]] core::Result<std::optional<VideoFrame>> nextUnguarded(bool toRgb);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace upscale::media
