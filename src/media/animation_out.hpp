#pragma once
// Private to the media module: GIF and animated WebP outputs. The writer encodes their frames
// losslessly (FFV1, with alpha when the source has it) into closed segments like any video, so
// that a stopped job keeps its work; the join decodes the segments and encodes the animation,
// each frame shown for its own time (until the next frame's timestamp) and the whole played as
// often as the source was.

#include <cstdint>
#include <filesystem>
#include <vector>

#include "ffmpeg_handles.hpp"
#include "upscale/core/error.hpp"
#include "upscale/media/video_writer.hpp"

namespace upscale::media {

enum class AnimationFormat { None, Gif, WebP };

/// The animation format a target's extension names (".gif", ".webp"), or None.
[[nodiscard]] AnimationFormat animationFormatOf(const std::filesystem::path& target);

/// Settled before the first frame: a picture size the format holds, and no codec choice, which
/// these formats do not offer (quality and preset settings are ignored with a warning). Each
/// stream of `source` other than its video, and its chapters, are left out with one warning,
/// since an animation holds pictures only. Errors: InvalidArgument naming the target.
[[nodiscard]] core::Result<void> checkAnimation(AnimationFormat format,
                                                const std::filesystem::path& source,
                                                const std::filesystem::path& target, int width,
                                                int height, const VideoWriteOptions& options);

/// How often the animated source plays: its GIF loop extension, APNG or WebP loop count
/// (0: for ever); 0 for other files (videos become endless animations); 1 for a GIF without a
/// loop extension.
[[nodiscard]] int animationPlays(const std::filesystem::path& source);

/// How long the source's last frame is shown, in `timeBase`: its packet's duration, else the
/// end of its stream, else `fallback`.
[[nodiscard]] std::int64_t lastFrameDuration(const std::filesystem::path& source,
                                             AVRational timeBase, std::int64_t fallback);

struct AnimationJoin {
    AnimationFormat format = AnimationFormat::None;
    std::vector<std::filesystem::path> segments;  ///< lossless segments, in order
    std::filesystem::path target;                 ///< names the output in messages
    std::filesystem::path writeTo;                ///< the file written
    AVRational timeBase{1, 1};                    ///< of the segments' timestamps
    std::int64_t lastDuration = 0;                ///< of the last frame, in timeBase
    int plays = 0;                                ///< 0: for ever
    bool alpha = false;                           ///< the frames carry transparency
};

/// Decodes the segments and writes the animation. Errors: CorruptFile for a damaged segment,
/// DiskFull or Io naming the file, Internal for an encoder failure.
[[nodiscard]] core::Result<void> joinAnimation(const AnimationJoin& join);

/// Animated WebP through libwebp's animation encoder: lossy colour (quality 90) with lossless
/// alpha; `alpha` marks the animation as having transparency.
class WebPAnimationWriter {
public:
    [[nodiscard]] static core::Result<WebPAnimationWriter> create(const std::filesystem::path& path,
                                                                  int width, int height, int plays,
                                                                  bool alpha);
    WebPAnimationWriter(WebPAnimationWriter&& other) noexcept;
    WebPAnimationWriter& operator=(WebPAnimationWriter&&) = delete;
    WebPAnimationWriter(const WebPAnimationWriter&) = delete;
    ~WebPAnimationWriter();

    /// Adds a frame (8-bit RGBA) shown from `startMs` until the next frame or the end.
    [[nodiscard]] core::Result<void> add(const std::uint8_t* rgba, int stride, int startMs);
    /// Ends the animation at `endMs` and writes the file, synced to the disk.
    [[nodiscard]] core::Result<void> close(int endMs);

    struct Impl;

private:
    explicit WebPAnimationWriter(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace upscale::media
