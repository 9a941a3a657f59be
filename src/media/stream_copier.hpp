#pragma once
// Private to the media module: copies a source's audio, subtitle and attachment streams into an
// output container without re-encoding, packet by packet as the video is written, so the output
// is interleaved and nothing is held in memory. Text subtitles a container cannot hold (SRT, ASS
// in MP4 or MOV) are converted to mov_text, which loses nothing but styling.

#include <filesystem>
#include <map>
#include <memory>
#include <optional>

#include "ffmpeg_handles.hpp"
#include "upscale/core/error.hpp"
#include "upscale/media/video_writer.hpp"

namespace upscale::media {

class StreamCopier {
public:
    /// Opens `source` again for reading and adds to `output` a stream for each of its streams
    /// that options allow and the container can hold (one warning for each one left out). Also
    /// copies the container's metadata and the video stream's metadata and display matrix to
    /// `video`. Must run before the output header is written.
    [[nodiscard]] static core::Result<std::unique_ptr<StreamCopier>> open(
        const std::filesystem::path& source, AVFormatContext& output, AVStream* video,
        const VideoWriteOptions& options);

    /// Writes the copied packets whose time is at most `seconds`, in file order.
    [[nodiscard]] core::Result<void> copyUntil(double seconds);

private:
    StreamCopier() = default;

    std::filesystem::path m_source;
    ff::InputPtr m_input;
    AVFormatContext* m_output = nullptr;
    std::map<int, AVStream*> m_map;  ///< source stream index -> output stream
    /// Text subtitles re-encoded as mov_text, by source stream index.
    struct TextConverter {
        ff::CodecPtr decoder;
        ff::CodecPtr encoder;
    };
    std::map<int, TextConverter> m_converters;
    ff::PacketPtr m_pending{av_packet_alloc()};
    ff::PacketPtr m_converted{av_packet_alloc()};

    /// Writes m_pending (already in the output's time base) through its stream's converter.
    [[nodiscard]] core::Result<void> writeConverted(TextConverter& converter);
    /// The error that stops the job for a failed write (a full disk, an I/O error), or nothing
    /// for a packet the muxer refused, which is skipped with a warning.
    [[nodiscard]] std::optional<core::Error> writeFailure(int rc) const;
    /// The source's timeline offset (AV_TIME_BASE units), taken off every copied packet's time.
    std::int64_t m_offset = 0;
    bool m_hasPending = false;
    bool m_done = false;
};

}  // namespace upscale::media
