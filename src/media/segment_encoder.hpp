#pragma once
// Private to the media module: the encoder of one video segment at a time. Every segment's
// encoder is opened with the same settings, which give the same stream parameters, so that the
// segments join into one stream.

#include <cstdint>
#include <filesystem>
#include <string>

#include "ffmpeg_handles.hpp"
#include "segment_file.hpp"
#include "upscale/core/error.hpp"

namespace upscale::media {

/// What every segment's encoder is opened with.
struct EncoderConfig {
    const AVCodec* codec = nullptr;
    AVPixelFormat format = AV_PIX_FMT_NONE;
    int width = 0, height = 0;
    AVRational timeBase{1, 1};
    AVRational frameRate{0, 1};
    AVColorPrimaries primaries = AVCOL_PRI_UNSPECIFIED;
    AVColorTransferCharacteristic transfer = AVCOL_TRC_UNSPECIFIED;
    AVColorSpace matrix = AVCOL_SPC_UNSPECIFIED;
    AVColorRange range = AVCOL_RANGE_UNSPECIFIED;
    AVRational sampleAspect{0, 1};
    AVFieldOrder fieldOrder = AV_FIELD_UNKNOWN;
    int crf = -1;
    std::string preset;
};

/// Opens, feeds and closes segment encoders, with the one frame buffer frames are converted
/// into. Every encoder opened is closed after at least one frame and the end of its stream:
/// SVT-AV1 never returns from closing an encoder that had none, nor from ending its stream.
class SegmentEncoder {
public:
    /// Allocates the frame buffer. Errors: OutOfMemory naming `target`.
    [[nodiscard]] static core::Result<SegmentEncoder> create(const EncoderConfig& config,
                                                             const std::filesystem::path& target);
    SegmentEncoder(SegmentEncoder&&) noexcept = default;
    SegmentEncoder& operator=(SegmentEncoder&&) = delete;
    SegmentEncoder(const SegmentEncoder&) = delete;
    ~SegmentEncoder() { discard(); }

    [[nodiscard]] const EncoderConfig& config() const { return m_config; }
    /// The frame buffer: the config's format, size and colour tags.
    [[nodiscard]] AVFrame& frame() { return *m_frame; }
    [[nodiscard]] bool isOpen() const { return m_encoder != nullptr; }
    /// The open encoder's parameters, for the segment's header.
    [[nodiscard]] SegmentHeader header() const { return SegmentHeader::fromEncoder(*m_encoder); }

    /// Opens a new encoder. Errors: InvalidArgument when it refuses the settings.
    [[nodiscard]] core::Result<void> open();
    /// Opens an encoder, encodes one black frame and closes it: bad settings fail here, before
    /// any frame is upscaled. Returns the stream parameters the segments will have.
    [[nodiscard]] core::Result<SegmentHeader> trial();
    /// Sends the frame buffer, with `pts`.
    [[nodiscard]] core::Result<void> send(std::int64_t pts);
    /// Ends the stream; the packets it gives up are then taken with receive().
    [[nodiscard]] core::Result<void> endStream();
    /// The next packet the encoder has ready: false when it has none (yet).
    [[nodiscard]] core::Result<bool> receive(AVPacket& packet);
    /// Closes the encoder after its stream was ended and drained.
    void close() { m_encoder.reset(); }
    /// Ends the stream and drops what the encoder still holds.
    void discard();

    /// The error for a failed FFmpeg call while writing the target.
    [[nodiscard]] core::Error error(int rc, const char* doing) const;

private:
    SegmentEncoder(const EncoderConfig& config, std::filesystem::path target)
        : m_config(config), m_target(std::move(target)) {}
    int sendBlackFrame();

    EncoderConfig m_config;
    std::filesystem::path m_target;
    ff::CodecPtr m_encoder;  ///< the current segment's, or null between segments
    ff::FramePtr m_frame{av_frame_alloc()};
    ff::PacketPtr m_packet{av_packet_alloc()};
    int m_frames = 0;  ///< frames the current encoder accepted
    bool m_optionsReported = false;
};

}  // namespace upscale::media
