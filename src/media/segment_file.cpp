#include "segment_file.hpp"

#include "upscale/core/files.hpp"

#include <array>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <unistd.h>

namespace upscale::media {
namespace fs = std::filesystem;

namespace {

using core::ErrorCode;
using core::fail;

constexpr std::array<char, 8> kMagic = {'U', 'P', 'S', 'E', 'G', '0', '0', '1'};
constexpr std::int32_t kEndMarker = -1;
constexpr std::uint32_t kMaxHeader = 1U << 20;
constexpr std::int32_t kMaxPacket = 1 << 30;

/// The header's integer fields in file order.
std::vector<std::int64_t> headerFields(const SegmentHeader& h) {
    return {
        h.codecId,        h.width,         h.height,           h.format,           h.colorRange,
        h.colorPrimaries, h.colorTrc,      h.colorSpace,       h.chromaLocation,   h.profile,
        h.level,          h.videoDelay,    h.sampleAspect.num, h.sampleAspect.den, h.timeBase.num,
        h.timeBase.den,   h.frameRate.num, h.frameRate.den};
}

SegmentHeader headerFromFields(const std::vector<std::int64_t>& f) {
    SegmentHeader h;
    auto i32 = [&](std::size_t i) { return static_cast<int>(f[i]); };
    h.codecId = static_cast<AVCodecID>(f[0]);
    h.width = i32(1);
    h.height = i32(2);
    h.format = i32(3);
    h.colorRange = static_cast<AVColorRange>(f[4]);
    h.colorPrimaries = static_cast<AVColorPrimaries>(f[5]);
    h.colorTrc = static_cast<AVColorTransferCharacteristic>(f[6]);
    h.colorSpace = static_cast<AVColorSpace>(f[7]);
    h.chromaLocation = static_cast<AVChromaLocation>(f[8]);
    h.profile = i32(9);
    h.level = i32(10);
    h.videoDelay = i32(11);
    h.sampleAspect = {i32(12), i32(13)};
    h.timeBase = {i32(14), i32(15)};
    h.frameRate = {i32(16), i32(17)};
    return h;
}

constexpr std::size_t kHeaderFields = 18;

core::Error corrupt(const fs::path& path, const char* what) {
    return core::Error{ErrorCode::CorruptFile,
                       fmt::format("The video segment '{}' is unfinished or damaged ({}); it "
                                   "will be encoded again.",
                                   path.string(), what)};
}

template <typename T>
bool get(std::FILE* file, T& value) {
    return std::fread(&value, sizeof(T), 1, file) == 1;
}

}  // namespace

SegmentHeader SegmentHeader::fromEncoder(const AVCodecContext& enc) {
    SegmentHeader h;
    h.codecId = enc.codec_id;
    h.width = enc.width;
    h.height = enc.height;
    h.format = enc.pix_fmt;
    h.colorRange = enc.color_range;
    h.colorPrimaries = enc.color_primaries;
    h.colorTrc = enc.color_trc;
    h.colorSpace = enc.colorspace;
    h.chromaLocation = enc.chroma_sample_location;
    h.profile = enc.profile;
    h.level = enc.level;
    h.videoDelay = enc.has_b_frames;
    h.sampleAspect = enc.sample_aspect_ratio;
    h.timeBase = enc.time_base;
    h.frameRate = enc.framerate;
    if (enc.extradata != nullptr && enc.extradata_size > 0) {
        h.extradata.assign(enc.extradata, enc.extradata + enc.extradata_size);
    }
    return h;
}

void SegmentHeader::toParameters(AVCodecParameters& par) const {
    par.codec_type = AVMEDIA_TYPE_VIDEO;
    par.codec_id = codecId;
    par.width = width;
    par.height = height;
    par.format = format;
    par.color_range = colorRange;
    par.color_primaries = colorPrimaries;
    par.color_trc = colorTrc;
    par.color_space = colorSpace;
    par.chroma_location = chromaLocation;
    par.profile = profile;
    par.level = level;
    par.video_delay = videoDelay;
    par.sample_aspect_ratio = sampleAspect;
    av_freep(&par.extradata);
    par.extradata_size = 0;
    if (!extradata.empty()) {
        par.extradata =
            static_cast<std::uint8_t*>(av_mallocz(extradata.size() + AV_INPUT_BUFFER_PADDING_SIZE));
        if (par.extradata != nullptr) {
            std::memcpy(par.extradata, extradata.data(), extradata.size());
            par.extradata_size = static_cast<int>(extradata.size());
        }
    }
}

core::Result<SegmentFileWriter> SegmentFileWriter::create(const fs::path& path,
                                                          const SegmentHeader& header) {
    errno = 0;
    std::FILE* file = std::fopen(path.c_str(), "wb");
    if (file == nullptr) {
        return fail(core::writeError(path, errno));
    }
    SegmentFileWriter writer(path, file);
    const auto fields = headerFields(header);
    const auto extra = static_cast<std::int64_t>(header.extradata.size());
    const auto size =
        static_cast<std::uint32_t>((fields.size() + 1) * sizeof(std::int64_t) + extra);
    if (auto ok = writer.put(kMagic.data(), kMagic.size()); !ok) {
        return fail(ok.error());
    }
    if (auto ok = writer.put(&size, sizeof size); !ok) {
        return fail(ok.error());
    }
    if (auto ok = writer.put(fields.data(), fields.size() * sizeof(std::int64_t)); !ok) {
        return fail(ok.error());
    }
    if (auto ok = writer.put(&extra, sizeof extra); !ok) {
        return fail(ok.error());
    }
    if (auto ok = writer.put(header.extradata.data(), header.extradata.size()); !ok) {
        return fail(ok.error());
    }
    return writer;
}

SegmentFileWriter::SegmentFileWriter(SegmentFileWriter&& other) noexcept
    : m_path(std::move(other.m_path)),
      m_file(std::exchange(other.m_file, nullptr)),
      m_packets(other.m_packets) {}

SegmentFileWriter::~SegmentFileWriter() {
    if (m_file != nullptr) {
        std::fclose(m_file);
    }
}

core::Result<void> SegmentFileWriter::put(const void* data, std::size_t size) {
    if (size == 0) {
        return {};
    }
    errno = 0;
    if (std::fwrite(data, 1, size, m_file) != size) {
        return fail(core::writeError(m_path, errno != 0 ? errno : EIO));
    }
    return {};
}

core::Result<void> SegmentFileWriter::write(const AVPacket& packet) {
    const std::array<std::int64_t, 3> times{packet.pts, packet.dts, packet.duration};
    const std::array<std::int32_t, 2> flagsAndSize{packet.flags, packet.size};
    if (auto ok = put(times.data(), sizeof times); !ok) {
        return ok;
    }
    if (auto ok = put(flagsAndSize.data(), sizeof flagsAndSize); !ok) {
        return ok;
    }
    if (auto ok = put(packet.data, static_cast<std::size_t>(packet.size)); !ok) {
        return ok;
    }
    ++m_packets;
    return {};
}

core::Result<std::int64_t> SegmentFileWriter::close() {
    const std::array<std::int64_t, 3> times{-1, -1, -1};
    const std::array<std::int32_t, 2> end{0, kEndMarker};
    if (auto ok = put(times.data(), sizeof times); !ok) {
        return fail(ok.error());
    }
    if (auto ok = put(end.data(), sizeof end); !ok) {
        return fail(ok.error());
    }
    if (auto ok = put(&m_packets, sizeof m_packets); !ok) {
        return fail(ok.error());
    }
    errno = 0;
    if (std::fflush(m_file) != 0 || ::fsync(fileno(m_file)) != 0) {
        return fail(core::writeError(m_path, errno != 0 ? errno : EIO));
    }
    const long size = std::ftell(m_file);
    std::FILE* file = std::exchange(m_file, nullptr);
    if (std::fclose(file) != 0) {
        return fail(core::writeError(m_path, errno != 0 ? errno : EIO));
    }
    return static_cast<std::int64_t>(size);
}

core::Result<SegmentFileReader> SegmentFileReader::open(const fs::path& path) {
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (file == nullptr) {
        return fail(ErrorCode::NotFound,
                    fmt::format("The video segment '{}' is missing; it will be encoded again.",
                                path.string()));
    }
    SegmentFileReader reader(path, file);
    std::array<char, 8> magic{};
    std::uint32_t size = 0;
    if (std::fread(magic.data(), 1, magic.size(), file) != magic.size() || magic != kMagic ||
        !get(file, size) || size > kMaxHeader || size < (kHeaderFields + 1) * 8) {
        return fail(corrupt(path, "no segment header"));
    }
    std::vector<std::int64_t> fields(kHeaderFields);
    std::int64_t extra = 0;
    if (std::fread(fields.data(), sizeof(std::int64_t), fields.size(), file) != fields.size() ||
        !get(file, extra) || extra < 0 ||
        static_cast<std::uint64_t>(extra) != size - (kHeaderFields + 1) * 8) {
        return fail(corrupt(path, "a damaged header"));
    }
    reader.m_header = headerFromFields(fields);
    reader.m_header.extradata.resize(static_cast<std::size_t>(extra));
    if (std::fread(reader.m_header.extradata.data(), 1, reader.m_header.extradata.size(), file) !=
        reader.m_header.extradata.size()) {
        return fail(corrupt(path, "a damaged header"));
    }
    return reader;
}

SegmentFileReader::SegmentFileReader(SegmentFileReader&& other) noexcept
    : m_path(std::move(other.m_path)),
      m_file(std::exchange(other.m_file, nullptr)),
      m_header(std::move(other.m_header)),
      m_packets(other.m_packets) {}

SegmentFileReader::~SegmentFileReader() {
    if (m_file != nullptr) {
        std::fclose(m_file);
    }
}

core::Result<bool> SegmentFileReader::next(AVPacket& packet, bool withData) {
    std::array<std::int64_t, 3> times{};
    std::array<std::int32_t, 2> flagsAndSize{};
    if (std::fread(times.data(), sizeof times, 1, m_file) != 1 ||
        std::fread(flagsAndSize.data(), sizeof flagsAndSize, 1, m_file) != 1) {
        return fail(corrupt(m_path, "it ends without its end record"));
    }
    const std::int32_t size = flagsAndSize[1];
    if (size == kEndMarker) {
        std::int64_t count = -1;
        if (!get(m_file, count) || count != m_packets) {
            return fail(corrupt(m_path, "its packet count does not match"));
        }
        return false;
    }
    if (size < 0 || size > kMaxPacket) {
        return fail(corrupt(m_path, "a damaged packet"));
    }
    av_packet_unref(&packet);
    if (withData) {
        if (av_new_packet(&packet, size) < 0) {
            return fail(
                ErrorCode::OutOfMemory,
                fmt::format("Out of memory reading the video segment '{}'.", m_path.string()));
        }
        if (std::fread(packet.data, 1, static_cast<std::size_t>(size), m_file) !=
            static_cast<std::size_t>(size)) {
            return fail(corrupt(m_path, "a packet is cut short"));
        }
    } else if (std::fseek(m_file, size, SEEK_CUR) != 0) {
        return fail(corrupt(m_path, "a packet is cut short"));
    }
    packet.pts = times[0];
    packet.dts = times[1];
    packet.duration = times[2];
    packet.flags = flagsAndSize[0];
    ++m_packets;
    return true;
}

}  // namespace upscale::media
