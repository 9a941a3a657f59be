#pragma once
// Private to the media module: writes a source's other streams (audio, subtitles, attachments,
// cover art, further video) into an output container as a StreamPlan decided, packet by packet
// as the video is written, so the output is interleaved and nothing is held in memory. Streams
// the plan converts go through a PacketConverter.

#include <filesystem>
#include <map>
#include <memory>
#include <optional>

#include "ffmpeg_handles.hpp"
#include "stream_converters.hpp"
#include "stream_plan.hpp"
#include "upscale/core/error.hpp"

namespace upscale::media {

class StreamCopier {
public:
    /// Opens `source` again for reading and adds to `output` a stream for each planned one.
    /// Also copies the container's metadata and chapters (those that start by `untilSeconds`),
    /// and the video stream's metadata and display matrix to `video`. Must run before the
    /// output header is written.
    [[nodiscard]] static core::Result<std::unique_ptr<StreamCopier>> open(
        const std::filesystem::path& source, AVFormatContext& output, AVStream* video,
        const StreamPlan& plan, double untilSeconds);

    /// Writes the packets whose time is at most `seconds`, in file order.
    [[nodiscard]] core::Result<void> copyUntil(double seconds);

    /// Writes what the converters still hold; after the last copyUntil().
    [[nodiscard]] core::Result<void> finish();

private:
    StreamCopier() = default;

    /// Writes `packet` (timestamps in `from`) to the output stream `out`.
    [[nodiscard]] core::Result<void> write(AVPacket& packet, AVRational from, AVStream* out);

    std::filesystem::path m_source;
    ff::InputPtr m_input;
    AVFormatContext* m_output = nullptr;
    std::map<int, AVStream*> m_map;  ///< source stream index -> output stream
    std::map<int, std::unique_ptr<PacketConverter>> m_converters;  ///< by source stream index
    /// Samples (at 48 kHz) to add to the timestamps of an output stream: Matroska's reader takes
    /// an Opus track's codec delay off every timestamp, and its writer does not add it.
    std::map<int, std::int64_t> m_codecDelay;
    ff::PacketPtr m_pending{av_packet_alloc()};
    /// The source's timeline offset (AV_TIME_BASE units), taken off every copied packet's time.
    std::int64_t m_offset = 0;
    bool m_hasPending = false;
    bool m_done = false;
};

}  // namespace upscale::media
