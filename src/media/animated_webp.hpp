#pragma once
// Private to the media module: an animated WebP opened as a video.

#include <filesystem>

#include "ffmpeg_handles.hpp"

namespace upscale::media::ff {

/// Decodes the animated WebP at `path` with libwebp (every frame composed, RGBA, with its display
/// time) and opens the frames for demuxing as a lossless video stream in millisecond time base.
/// Returns the FFmpeg code on failure (0 on success), like openInput.
[[nodiscard]] int openAnimatedWebP(const std::filesystem::path& path, InputPtr& out);

}  // namespace upscale::media::ff
