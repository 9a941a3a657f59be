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

/// The encoder's format closest to a source format it cannot write. RGB and palette sources
/// (GIF) get 4:2:0, which every player plays; ProRes gets its usual 4:2:2 10-bit.
[[nodiscard]] AVPixelFormat fallbackFormat(const AVCodec* codec, AVPixelFormat source);

}  // namespace upscale::media
