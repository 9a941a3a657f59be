#pragma once
// Private to the media module: one closed segment of encoded video, as a file of its own. The
// header holds the codec parameters (extradata included), so a segment can be joined without
// its encoder; then come the packets, each with its timestamps and flags; an end record with
// the packet count closes the file. A file without its end record (a crash while it was
// written) is refused as unfinished.
//
//   "UPSEG001" | u32 header size | header | { i64 pts, i64 dts, i64 duration, i32 flags,
//   i32 size, size bytes }... | i64 -1 x3, i32 0, i32 -1 (end) | i64 packet count

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <vector>

#include "ffmpeg_handles.hpp"
#include "upscale/core/error.hpp"

namespace upscale::media {

/// What a segment's header says: enough to give a muxer the video stream.
struct SegmentHeader {
    AVCodecID codecId = AV_CODEC_ID_NONE;
    int width = 0, height = 0;
    int format = -1;  ///< AVPixelFormat
    AVColorRange colorRange = AVCOL_RANGE_UNSPECIFIED;
    AVColorPrimaries colorPrimaries = AVCOL_PRI_UNSPECIFIED;
    AVColorTransferCharacteristic colorTrc = AVCOL_TRC_UNSPECIFIED;
    AVColorSpace colorSpace = AVCOL_SPC_UNSPECIFIED;
    AVChromaLocation chromaLocation = AVCHROMA_LOC_UNSPECIFIED;
    int profile = FF_PROFILE_UNKNOWN, level = FF_LEVEL_UNKNOWN;
    int videoDelay = 0;
    AVRational sampleAspect{0, 1};
    AVRational timeBase{1, 1};
    AVRational frameRate{0, 1};
    std::vector<std::uint8_t> extradata;

    [[nodiscard]] static SegmentHeader fromEncoder(const AVCodecContext& encoder);
    /// Fills a stream's codec parameters (the muxer's view of the video).
    void toParameters(AVCodecParameters& par) const;
};

class SegmentFileWriter {
public:
    /// Creates (truncates) `path` and writes the header. Errors name the file.
    [[nodiscard]] static core::Result<SegmentFileWriter> create(const std::filesystem::path& path,
                                                                const SegmentHeader& header);
    SegmentFileWriter(SegmentFileWriter&& other) noexcept;
    SegmentFileWriter& operator=(SegmentFileWriter&&) = delete;
    SegmentFileWriter(const SegmentFileWriter&) = delete;
    ~SegmentFileWriter();

    [[nodiscard]] core::Result<void> write(const AVPacket& packet);
    /// Writes the end record, flushes and syncs the file to the disk; returns its size.
    [[nodiscard]] core::Result<std::int64_t> close();
    [[nodiscard]] std::int64_t packets() const { return m_packets; }

private:
    SegmentFileWriter(std::filesystem::path path, std::FILE* file)
        : m_path(std::move(path)), m_file(file) {}
    [[nodiscard]] core::Result<void> put(const void* data, std::size_t size);

    std::filesystem::path m_path;
    std::FILE* m_file = nullptr;
    std::int64_t m_packets = 0;
};

class SegmentFileReader {
public:
    /// Opens a segment and reads its header. CorruptFile for anything that is not a segment.
    [[nodiscard]] static core::Result<SegmentFileReader> open(const std::filesystem::path& path);
    SegmentFileReader(SegmentFileReader&& other) noexcept;
    SegmentFileReader& operator=(SegmentFileReader&&) = delete;
    SegmentFileReader(const SegmentFileReader&) = delete;
    ~SegmentFileReader();

    [[nodiscard]] const SegmentHeader& header() const { return m_header; }
    /// The next packet (data included unless `withData` is false), false after the end record;
    /// CorruptFile when the file ends without one.
    [[nodiscard]] core::Result<bool> next(AVPacket& packet, bool withData = true);

private:
    SegmentFileReader(std::filesystem::path path, std::FILE* file)
        : m_path(std::move(path)), m_file(file) {}

    std::filesystem::path m_path;
    std::FILE* m_file = nullptr;
    SegmentHeader m_header;
    std::int64_t m_packets = 0;
};

}  // namespace upscale::media
