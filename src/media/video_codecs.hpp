#pragma once
// Private to the media module: the video codecs the writer offers, and the pixel formats it
// chooses for them.

#include <filesystem>
#include <string>

#include "ffmpeg_handles.hpp"

namespace upscale::media {

/// FFmpeg's encoder for one of our codec names (empty: the container's usual codec), or null.
[[nodiscard]] const char* encoderFor(const std::string& codec, const std::filesystem::path& target);

/// True when the encoder can take frames of `format`.
[[nodiscard]] bool supports(const AVCodec* codec, AVPixelFormat format);

/// The encoder's format closest to a source format it cannot write. A source with alpha keeps
/// it where the encoder has a layout with alpha (FFV1, ProRes 4444 with alpha). RGB video
/// (`rgbVideo`: a stream tagged with the RGB matrix, such as FFV1 RGB or x264rgb) stays RGB where
/// the encoder has an RGB layout; other RGB and palette sources (GIF, APNG) get 4:2:0, which
/// every player plays. ProRes gets 4:4:4 10-bit (4444) for RGB and full-chroma sources, else
/// 4:2:2 10-bit.
[[nodiscard]] AVPixelFormat fallbackFormat(const AVCodec* codec, AVPixelFormat source,
                                           bool rgbVideo);

/// The encoder to use: libx264rgb instead of libx264 for RGB video, so that it is written as
/// RGB; otherwise `codec` itself.
[[nodiscard]] const AVCodec* encoderForSource(const AVCodec* codec, bool rgbVideo);

/// Bits per sample of a pixel format (8 when unknown).
[[nodiscard]] int bitsPerSample(AVPixelFormat format);

/// True for RGB layouts (packed or planar, gbrp included).
[[nodiscard]] bool isRgbFormat(AVPixelFormat format);

/// True for layouts with an alpha channel.
[[nodiscard]] bool hasAlphaChannel(AVPixelFormat format);

}  // namespace upscale::media
