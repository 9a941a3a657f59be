#pragma once
// Private to the media module: re-encoding of a stream a container cannot hold as it is. Audio
// is decoded, resampled where the encoder needs it, and encoded again (AAC, Opus or FLAC); text
// subtitles are decoded and encoded in the container's text format (mov_text, SubRip, WebVTT),
// which loses nothing but styling. Timing is kept: each output packet starts where its source
// did.

#include <functional>
#include <memory>

#include "ffmpeg_handles.hpp"
#include "upscale/core/error.hpp"

namespace upscale::media {

class PacketConverter {
public:
    using Emit = std::function<core::Result<void>(AVPacket&)>;
    virtual ~PacketConverter() = default;

    /// The encoder: its parameters describe the output stream, its time base the packets'.
    [[nodiscard]] virtual const AVCodecContext& encoder() const = 0;

    /// Converts one packet of the source stream (timestamps in its time base), or flushes
    /// what is held back when `packet` is null. Each packet made is passed to `emit`, with
    /// timestamps in the encoder's time base.
    [[nodiscard]] virtual core::Result<void> convert(const AVPacket* packet, const Emit& emit) = 0;
};

/// A converter from `in` to the codec `to`, or null when no decoder or encoder can do it
/// (then the stream is left out like any other the container cannot hold).
[[nodiscard]] std::unique_ptr<PacketConverter> makeConverter(const AVStream& in, AVCodecID to);

}  // namespace upscale::media
