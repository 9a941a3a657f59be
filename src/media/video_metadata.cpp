#include "video_metadata.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string_view>

#include <fmt/format.h>

extern "C" {
#include <libavutil/display.h>
#include <libavutil/imgutils.h>
#include <libavutil/mastering_display_metadata.h>
#include <libavutil/pixdesc.h>
}

#include "upscale/core/logging.hpp"
#include "video_codecs.hpp"

namespace upscale::media {
namespace fs = std::filesystem;

namespace {

/// The stream side data that describes every picture of the stream and is carried as it is.
constexpr AVPacketSideDataType kCarried[] = {AV_PKT_DATA_MASTERING_DISPLAY_METADATA,
                                             AV_PKT_DATA_CONTENT_LIGHT_LEVEL};

void keep(VideoMetadata& meta, AVPacketSideDataType type, const void* data, std::size_t size) {
    for (const auto& [have, bytes] : meta.sideData) {
        if (have == type) {
            return;
        }
    }
    const auto* begin = static_cast<const std::uint8_t*>(data);
    meta.sideData.emplace_back(type, std::vector<std::uint8_t>(begin, begin + size));
}

/// HDR10 metadata carried in the pictures (SEI messages) rather than in the container: from the
/// first decoded frame.
void readFirstFrame(AVFormatContext& input, int index, VideoMetadata& meta) {
    const AVStream* st = input.streams[index];
    const AVCodec* decoder = avcodec_find_decoder(st->codecpar->codec_id);
    if (decoder == nullptr) {
        return;
    }
    ff::CodecPtr codec(avcodec_alloc_context3(decoder));
    if (!codec || avcodec_parameters_to_context(codec.get(), st->codecpar) < 0) {
        return;
    }
    codec->thread_count = 1;
    if (avcodec_open2(codec.get(), decoder, nullptr) < 0) {
        return;
    }
    ff::PacketPtr packet{av_packet_alloc()};
    ff::FramePtr frame{av_frame_alloc()};
    // A few packets are enough for a decoder that holds frames back for reordering.
    for (int packets = 0; packets < 64;) {
        int got = avcodec_receive_frame(codec.get(), frame.get());
        if (got == 0) {
            break;
        }
        if (got != AVERROR(EAGAIN)) {
            return;
        }
        const int rc = av_read_frame(&input, packet.get());
        if (rc < 0) {
            avcodec_send_packet(codec.get(), nullptr);
            if (avcodec_receive_frame(codec.get(), frame.get()) != 0) {
                return;
            }
            break;
        }
        if (packet->stream_index == index) {
            avcodec_send_packet(codec.get(), packet.get());
            ++packets;
        }
        av_packet_unref(packet.get());
    }
    if (const AVFrameSideData* sd =
            av_frame_get_side_data(frame.get(), AV_FRAME_DATA_MASTERING_DISPLAY_METADATA)) {
        keep(meta, AV_PKT_DATA_MASTERING_DISPLAY_METADATA, sd->data, sd->size);
    }
    if (const AVFrameSideData* sd =
            av_frame_get_side_data(frame.get(), AV_FRAME_DATA_CONTENT_LIGHT_LEVEL)) {
        keep(meta, AV_PKT_DATA_CONTENT_LIGHT_LEVEL, sd->data, sd->size);
    }
    meta.hdr10Plus = av_frame_get_side_data(frame.get(), AV_FRAME_DATA_DYNAMIC_HDR_PLUS) != nullptr;
    meta.dolbyVision =
        meta.dolbyVision ||
        av_frame_get_side_data(frame.get(), AV_FRAME_DATA_DOVI_RPU_BUFFER) != nullptr;
}

/// True for a transfer that makes the stream HDR (PQ or HLG), where the pictures may carry HDR10
/// metadata the container does not repeat.
bool hdrTransfer(AVColorTransferCharacteristic trc) {
    return trc == AVCOL_TRC_SMPTE2084 || trc == AVCOL_TRC_ARIB_STD_B67;
}

}  // namespace

VideoMetadata readVideoMetadata(const fs::path& source) {
    VideoMetadata meta;
    ff::InputPtr input;
    if (ff::openInput(source.c_str(), input) < 0) {
        return meta;
    }
    const int index = av_find_best_stream(input.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (index < 0) {
        return meta;
    }
    AVStream* st = input->streams[index];
    meta.sampleAspect = av_guess_sample_aspect_ratio(input.get(), st, nullptr);
    if (meta.sampleAspect.num <= 0 || meta.sampleAspect.den <= 0) {
        meta.sampleAspect = AVRational{0, 1};
    }
    meta.fieldOrder = st->codecpar->field_order;
    meta.rotation = ff::streamRotation(st);
    for (const AVPacketSideDataType type : kCarried) {
        std::size_t size = 0;
        if (const std::uint8_t* data = av_stream_get_side_data(st, type, &size); data != nullptr) {
            keep(meta, type, data, size);
        }
    }
    meta.dolbyVision = av_stream_get_side_data(st, AV_PKT_DATA_DOVI_CONF, nullptr) != nullptr;
    if (hdrTransfer(st->codecpar->color_trc)) {
        for (unsigned i = 0; i < input->nb_streams; ++i) {
            input->streams[i]->discard =
                static_cast<int>(i) == index ? AVDISCARD_DEFAULT : AVDISCARD_ALL;
        }
        readFirstFrame(*input, index, meta);
    }
    return meta;
}

bool anyTransparent(const AVFrame& frame) {
    const auto format = static_cast<AVPixelFormat>(frame.format);
    const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(format);
    if (!hasAlphaChannel(format) || desc->nb_components < 2) {
        return false;
    }
    const int alpha = desc->nb_components - 1;
    const std::uint32_t opaque = (1U << desc->comp[alpha].depth) - 1;
    std::vector<std::uint32_t> row(static_cast<std::size_t>(frame.width));
    for (int y = 0; y < frame.height; ++y) {
        av_read_image_line2(row.data(), const_cast<const std::uint8_t**>(frame.data),
                            frame.linesize, desc, 0, y, alpha, frame.width, 0, 4);
        for (const std::uint32_t a : row) {
            if (a < opaque) {
                return true;
            }
        }
    }
    return false;
}

void reportMetadataLosses(const VideoMetadata& meta, const fs::path& source,
                          const fs::path& target) {
    auto log = core::logger("media");
    if (meta.hdr10Plus) {
        log->warn(
            "'{}' has HDR10+ dynamic metadata, which the encoder cannot carry; '{}' keeps "
            "the HDR10 static metadata only.",
            source.string(), target.string());
    }
    if (meta.dolbyVision) {
        log->warn(
            "'{}' has Dolby Vision metadata, which cannot be carried through upscaling; "
            "'{}' keeps the base layer's HDR10 metadata only.",
            source.string(), target.string());
    }
    if (meta.interlaced()) {
        const char* order = meta.fieldOrder == AV_FIELD_TT || meta.fieldOrder == AV_FIELD_TB
                                ? "top field first"
                                : "bottom field first";
        log->warn(
            "'{}' is interlaced ({}); its frames are upscaled as whole pictures, without "
            "deinterlacing, and '{}' is tagged with the same field order.",
            source.string(), order, target.string());
    }
}

void applyVideoMetadata(const VideoMetadata& meta, AVStream& stream) {
    if (meta.sampleAspect.num > 0) {
        stream.sample_aspect_ratio = meta.sampleAspect;
        stream.codecpar->sample_aspect_ratio = meta.sampleAspect;
    }
    if (meta.fieldOrder != AV_FIELD_UNKNOWN) {
        stream.codecpar->field_order = meta.fieldOrder;
    }
    for (const auto& [type, bytes] : meta.sideData) {
        if (std::uint8_t* copy = av_stream_new_side_data(&stream, type, bytes.size())) {
            std::memcpy(copy, bytes.data(), bytes.size());
        }
    }
    if (meta.picturesTurned) {
        constexpr std::size_t kSize = 9 * sizeof(std::int32_t);
        if (auto* matrix = reinterpret_cast<std::int32_t*>(
                av_stream_new_side_data(&stream, AV_PKT_DATA_DISPLAYMATRIX, kSize))) {
            av_display_rotation_set(matrix, 0.0);
        }
    }
}

std::int64_t timelineOffset(const AVFormatContext& input, int videoIndex) {
    if (videoIndex < 0) {
        return 0;
    }
    auto startOf = [&](unsigned i) {
        const AVStream* st = input.streams[i];
        return st->start_time == AV_NOPTS_VALUE
                   ? AV_NOPTS_VALUE
                   : av_rescale_q(st->start_time, st->time_base, AV_TIME_BASE_Q);
    };
    const std::int64_t video = startOf(static_cast<unsigned>(videoIndex));
    if (video == AV_NOPTS_VALUE) {
        return 0;
    }
    std::int64_t earliest = video;
    for (unsigned i = 0; i < input.nb_streams; ++i) {
        const AVMediaType type = input.streams[i]->codecpar->codec_type;
        if (type != AVMEDIA_TYPE_AUDIO && type != AVMEDIA_TYPE_SUBTITLE) {
            continue;
        }
        if (const std::int64_t start = startOf(i); start != AV_NOPTS_VALUE) {
            earliest = std::min(earliest, start);
        }
    }
    return video < 0 || earliest > 0 ? earliest : 0;
}

bool holdsDisplayMatrix(const AVOutputFormat& container) {
    const std::string_view name = container.name;
    return name == "mp4" || name == "mov" || name == "ipod" || name == "ismv" || name == "3gp";
}

int clockwiseQuarterTurns(double rotation) {
    const double turns = -rotation / 90.0;
    const double whole = std::round(turns);
    if (std::abs(turns - whole) > 1e-6) {
        return 0;
    }
    return static_cast<int>(((static_cast<long>(whole) % 4) + 4) % 4);
}

const core::Image& turnClockwise(const core::Image& from, int turns, core::Image& to) {
    const int w = from.width(), h = from.height();
    const int outW = turns % 2 == 1 ? h : w, outH = turns % 2 == 1 ? w : h;
    if (to.width() != outW || to.height() != outH || to.channels() != from.channels() ||
        to.depth() != from.depth()) {
        to = core::Image(outW, outH, from.channels(), from.depth());
    }
    const std::size_t pixel = from.channels() * from.bytesPerSample();
    for (int y = 0; y < h; ++y) {
        const std::uint8_t* in = from.row(y);
        for (int x = 0; x < w; ++x) {
            int tx = x, ty = y;
            switch (turns) {
                case 1:
                    tx = h - 1 - y, ty = x;
                    break;
                case 2:
                    tx = w - 1 - x, ty = h - 1 - y;
                    break;
                case 3:
                    tx = y, ty = w - 1 - x;
                    break;
                default:
                    break;
            }
            std::memcpy(to.row(ty) + pixel * tx, in + pixel * x, pixel);
        }
    }
    return to;
}

}  // namespace upscale::media
