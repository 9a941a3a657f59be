#include "stream_copier.hpp"

#include <cstring>
#include <optional>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "upscale/core/logging.hpp"

namespace upscale::media {
namespace fs = std::filesystem;

namespace {

using core::ErrorCode;
using core::fail;

bool wanted(AVMediaType type, const VideoWriteOptions& options) {
    switch (type) {
        case AVMEDIA_TYPE_AUDIO:
            return options.audio;
        case AVMEDIA_TYPE_SUBTITLE:
        case AVMEDIA_TYPE_ATTACHMENT:
            return options.otherStreams;
        default:
            return false;
    }
}

void copyDisplayMatrix(const AVStream* from, AVStream* to) {
    std::size_t size = 0;
    const std::uint8_t* matrix = av_stream_get_side_data(from, AV_PKT_DATA_DISPLAYMATRIX, &size);
    if (matrix == nullptr || size == 0) {
        return;
    }
    if (std::uint8_t* copy = av_stream_new_side_data(to, AV_PKT_DATA_DISPLAYMATRIX, size)) {
        std::memcpy(copy, matrix, size);
    }
}

/// A mov_text encoder fed by the source's text subtitle decoder, or nothing when either side is
/// missing; then the stream is left out like any other the container cannot hold.
std::optional<std::pair<ff::CodecPtr, ff::CodecPtr>> textConverter(const AVStream& in,
                                                                   const AVOutputFormat& format) {
    const AVCodecDescriptor* desc = avcodec_descriptor_get(in.codecpar->codec_id);
    if (desc == nullptr || (desc->props & AV_CODEC_PROP_TEXT_SUB) == 0 ||
        avformat_query_codec(&format, AV_CODEC_ID_MOV_TEXT, FF_COMPLIANCE_NORMAL) != 1) {
        return std::nullopt;
    }
    const AVCodec* decoder = avcodec_find_decoder(in.codecpar->codec_id);
    const AVCodec* encoder = avcodec_find_encoder(AV_CODEC_ID_MOV_TEXT);
    if (decoder == nullptr || encoder == nullptr) {
        return std::nullopt;
    }
    ff::CodecPtr dec(avcodec_alloc_context3(decoder));
    ff::CodecPtr enc(avcodec_alloc_context3(encoder));
    if (!dec || !enc || avcodec_parameters_to_context(dec.get(), in.codecpar) < 0) {
        return std::nullopt;
    }
    dec->pkt_timebase = in.time_base;
    if (avcodec_open2(dec.get(), decoder, nullptr) < 0) {
        return std::nullopt;
    }
    enc->time_base = in.time_base;
    if (dec->subtitle_header != nullptr) {
        // The encoder owns its copy of the ASS header and frees it with the context.
        enc->subtitle_header =
            static_cast<std::uint8_t*>(av_mallocz(dec->subtitle_header_size + 1));
        if (enc->subtitle_header == nullptr) {
            return std::nullopt;
        }
        std::memcpy(enc->subtitle_header, dec->subtitle_header, dec->subtitle_header_size);
        enc->subtitle_header_size = dec->subtitle_header_size;
    }
    if (avcodec_open2(enc.get(), encoder, nullptr) < 0) {
        return std::nullopt;
    }
    return std::pair{std::move(dec), std::move(enc)};
}

}  // namespace

core::Result<std::unique_ptr<StreamCopier>> StreamCopier::open(const fs::path& source,
                                                               AVFormatContext& output,
                                                               AVStream* video,
                                                               const VideoWriteOptions& options) {
    std::unique_ptr<StreamCopier> copier(new StreamCopier());
    copier->m_source = source;
    copier->m_output = &output;
    if (const int rc = ff::openInput(source.c_str(), copier->m_input); rc < 0) {
        return fail(ErrorCode::UnsupportedFormat,
                    fmt::format("Cannot read the streams of '{}' again to copy them: {}.",
                                source.string(), ff::errorText(rc)));
    }
    AVFormatContext& input = *copier->m_input;
    av_dict_copy(&output.metadata, input.metadata, 0);
    const int videoIndex = av_find_best_stream(&input, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (videoIndex >= 0) {
        const AVStream* sourceVideo = input.streams[videoIndex];
        av_dict_copy(&video->metadata, sourceVideo->metadata, 0);
        // The encoder names itself; the source's encoder tag would be wrong.
        av_dict_set(&video->metadata, "encoder", nullptr, 0);
        video->disposition = sourceVideo->disposition;
        copyDisplayMatrix(sourceVideo, video);
    }

    auto log = core::logger("media");
    for (unsigned i = 0; i < input.nb_streams; ++i) {
        AVStream* in = input.streams[i];
        in->discard = AVDISCARD_ALL;
        if (static_cast<int>(i) == videoIndex || !wanted(in->codecpar->codec_type, options)) {
            continue;
        }
        const char* type = av_get_media_type_string(in->codecpar->codec_type);
        const char* codecName = avcodec_get_name(in->codecpar->codec_id);
        // Matroska keeps attachments of any type (fonts, cover art, notes) as files.
        const bool holds = avformat_query_codec(output.oformat, in->codecpar->codec_id,
                                                FF_COMPLIANCE_NORMAL) == 1 ||
                           (in->codecpar->codec_type == AVMEDIA_TYPE_ATTACHMENT &&
                            std::string_view(output.oformat->name) == "matroska");
        auto converter = holds ? std::nullopt : textConverter(*in, *output.oformat);
        if (!holds && !converter) {
            log->warn(
                "The {} stream {} ({}) of '{}' cannot be stored in {}; it is left out. "
                "MKV output keeps it.",
                type, i, codecName, source.string(), output.oformat->name);
            continue;
        }
        AVStream* out = avformat_new_stream(&output, nullptr);
        if (out == nullptr || avcodec_parameters_copy(out->codecpar, in->codecpar) < 0) {
            return fail(ErrorCode::OutOfMemory,
                        fmt::format("Out of memory copying the streams of '{}'.", source.string()));
        }
        out->codecpar->codec_tag = 0;
        if (converter) {
            avcodec_parameters_from_context(out->codecpar, converter->second.get());
            log->info("The {} stream {} ({}) of '{}' is converted to mov_text for {}.", type, i,
                      codecName, source.string(), output.oformat->name);
            copier->m_converters[static_cast<int>(i)] = {std::move(converter->first),
                                                         std::move(converter->second)};
        }
        out->time_base = in->time_base;
        out->disposition = in->disposition;
        av_dict_copy(&out->metadata, in->metadata, 0);
        in->discard = AVDISCARD_DEFAULT;
        copier->m_map[static_cast<int>(i)] = out;
    }
    if (copier->m_map.empty()) {
        copier->m_input.reset();
        copier->m_done = true;
    }
    return copier;
}

core::Result<void> StreamCopier::copyUntil(double seconds) {
    while (!m_done) {
        if (!m_hasPending) {
            const int rc = av_read_frame(m_input.get(), m_pending.get());
            if (rc < 0) {
                if (rc != AVERROR_EOF) {
                    core::logger("media")->warn(
                        "Copying the other streams of '{}' stopped early: {}.", m_source.string(),
                        ff::errorText(rc));
                }
                m_done = true;
                break;
            }
            const auto found = m_map.find(m_pending->stream_index);
            if (found == m_map.end()) {
                av_packet_unref(m_pending.get());
                continue;
            }
            m_hasPending = true;
        }
        const AVStream* in = m_input->streams[m_pending->stream_index];
        const std::int64_t ts = m_pending->dts != AV_NOPTS_VALUE ? m_pending->dts : m_pending->pts;
        if (ts != AV_NOPTS_VALUE && ts * av_q2d(in->time_base) > seconds) {
            break;
        }
        AVStream* out = m_map.at(m_pending->stream_index);
        av_packet_rescale_ts(m_pending.get(), in->time_base, out->time_base);
        m_pending->stream_index = out->index;
        m_pending->pos = -1;
        m_hasPending = false;
        if (auto converter = m_converters.find(static_cast<int>(in->index));
            converter != m_converters.end()) {
            if (auto ok = writeConverted(converter->second); !ok) {
                return ok;
            }
            continue;
        }
        if (const int rc = av_interleaved_write_frame(m_output, m_pending.get()); rc < 0) {
            av_packet_unref(m_pending.get());
            if (auto failed = writeFailure(rc)) {
                return fail(*failed);
            }
            core::logger("media")->warn("A packet of '{}' could not be copied ({}); skipping it.",
                                        m_source.string(), ff::errorText(rc));
        }
    }
    return {};
}

core::Result<void> StreamCopier::writeConverted(TextConverter& converter) {
    AVSubtitle subtitle{};
    int got = 0;
    const int decoded =
        avcodec_decode_subtitle2(converter.decoder.get(), &subtitle, &got, m_pending.get());
    if (decoded < 0 || got == 0) {
        av_packet_unref(m_pending.get());
        return {};
    }
    std::vector<std::uint8_t> buffer(64 * 1024);
    const int size = avcodec_encode_subtitle(converter.encoder.get(), buffer.data(),
                                             static_cast<int>(buffer.size()), &subtitle);
    avsubtitle_free(&subtitle);
    if (size > 0 && av_new_packet(m_converted.get(), size) == 0) {
        std::memcpy(m_converted->data, buffer.data(), static_cast<std::size_t>(size));
        // The cue keeps the source packet's start and length (already in the output time base).
        m_converted->pts = m_pending->pts;
        m_converted->dts = m_pending->dts;
        m_converted->duration = m_pending->duration;
        m_converted->stream_index = m_pending->stream_index;
        const int rc = av_interleaved_write_frame(m_output, m_converted.get());
        av_packet_unref(m_converted.get());
        if (rc < 0) {
            if (auto failed = writeFailure(rc)) {
                av_packet_unref(m_pending.get());
                return fail(*failed);
            }
            core::logger("media")->warn("A subtitle of '{}' could not be written ({}).",
                                        m_source.string(), ff::errorText(rc));
        }
    }
    av_packet_unref(m_pending.get());
    return {};
}

std::optional<core::Error> StreamCopier::writeFailure(int rc) const {
    const int errnum = AVUNERROR(rc);
    if (rc != AVERROR(errnum) || (errnum != EIO && core::ioErrorCode(errnum) == ErrorCode::Io)) {
        return std::nullopt;
    }
    return core::Error{
        core::ioErrorCode(errnum),
        fmt::format("Cannot write the output beside '{}': {}. Free some space on "
                    "the disk.",
                    m_output->url != nullptr ? m_output->url : "", ff::errorText(rc)),
        core::Remedy::Resume, m_output->url != nullptr ? m_output->url : ""};
}

}  // namespace upscale::media
