#include "stream_plan.hpp"

#include <string_view>

#include <fmt/format.h>

#include "stream_converters.hpp"
#include "upscale/core/logging.hpp"

namespace upscale::media {
namespace fs = std::filesystem;

namespace {

using core::ErrorCode;
using core::fail;

bool isMatroska(const AVOutputFormat& container) {
    return std::string_view(container.name) == "matroska";
}

bool isCoverArt(const AVStream& stream) {
    return (stream.disposition & AV_DISPOSITION_ATTACHED_PIC) != 0;
}

/// Adds to `output` a stream with the parameters of `in`, as a copy would.
AVStream* addCopy(AVFormatContext& output, const AVStream& in) {
    AVStream* out = avformat_new_stream(&output, nullptr);
    if (out == nullptr || avcodec_parameters_copy(out->codecpar, in.codecpar) < 0) {
        return nullptr;
    }
    out->codecpar->codec_tag = 0;
    out->time_base = in.time_base;
    out->disposition = in.disposition;
    return out;
}

/// True when the container's muxer writes a header with `in` copied as it is, and does not
/// only take it as an experimental feature.
bool takesAsIs(const AVOutputFormat& container, const AVStream& in) {
    if (in.codecpar->codec_type == AVMEDIA_TYPE_ATTACHMENT) {
        // Matroska keeps attachments of any type (fonts, notes) as files; nothing else does.
        return isMatroska(container);
    }
    if (avformat_query_codec(&container, in.codecpar->codec_id, FF_COMPLIANCE_NORMAL) != 1) {
        return false;
    }
    AVFormatContext* raw = nullptr;
    avformat_alloc_output_context2(&raw, &container, nullptr, nullptr);
    ff::OutputPtr trial(raw);
    return trial && addCopy(*trial, in) != nullptr && tryHeader(*trial) >= 0;
}

/// The codec audio is converted to when the container cannot hold it as it is.
AVCodecID audioTarget(const AVOutputFormat& container, const AVCodecParameters& par) {
    if (std::string_view(container.name) == "webm") {
        return AV_CODEC_ID_OPUS;
    }
    const AVCodecDescriptor* desc = avcodec_descriptor_get(par.codec_id);
    if (isMatroska(container) && desc != nullptr && (desc->props & AV_CODEC_PROP_LOSSLESS) != 0) {
        return AV_CODEC_ID_FLAC;
    }
    return AV_CODEC_ID_AAC;
}

/// The text subtitle format of the container, or none.
AVCodecID textTarget(const AVOutputFormat& container) {
    for (const AVCodecID id : {AV_CODEC_ID_MOV_TEXT, AV_CODEC_ID_SUBRIP, AV_CODEC_ID_WEBVTT}) {
        if (avformat_query_codec(&container, id, FF_COMPLIANCE_NORMAL) == 1) {
            return id;
        }
    }
    return AV_CODEC_ID_NONE;
}

bool wanted(const AVStream& in, const VideoWriteOptions& options) {
    return in.codecpar->codec_type == AVMEDIA_TYPE_AUDIO ? options.audio : options.otherStreams;
}

/// Why a stream that is neither copied nor converted is left out: facts, for the warning.
std::string whyLeftOut(const AVStream& in, const AVOutputFormat& container) {
    const char* name = container.name;
    switch (in.codecpar->codec_type) {
        case AVMEDIA_TYPE_ATTACHMENT:
            return fmt::format("{} cannot hold attachments; Matroska can", name);
        case AVMEDIA_TYPE_SUBTITLE:
            return fmt::format(
                "{} cannot hold these subtitles, and as pictures they cannot be "
                "converted to text; Matroska holds them",
                name);
        case AVMEDIA_TYPE_VIDEO:
            return isCoverArt(in)
                       ? fmt::format("{} cannot hold cover art; MP4 and Matroska can", name)
                       : fmt::format("{} cannot hold a further video stream of this codec", name);
        default:
            return fmt::format("{} cannot hold it and it cannot be converted", name);
    }
}

const char* upperName(AVCodecID id) {
    switch (id) {
        case AV_CODEC_ID_AAC:
            return "AAC";
        case AV_CODEC_ID_OPUS:
            return "Opus";
        case AV_CODEC_ID_FLAC:
            return "FLAC";
        case AV_CODEC_ID_MOV_TEXT:
            return "mov_text";
        case AV_CODEC_ID_SUBRIP:
            return "SubRip (SRT)";
        default:
            return avcodec_get_name(id);
    }
}

}  // namespace

int tryHeader(AVFormatContext& output) {
    const ff::QuietLog quiet;
    if (const int rc = avio_open_dyn_buf(&output.pb); rc < 0) {
        return rc;
    }
    const int rc = avformat_write_header(&output, nullptr);
    std::uint8_t* bytes = nullptr;
    avio_close_dyn_buf(output.pb, &bytes);
    av_free(bytes);
    output.pb = nullptr;
    return rc;
}

core::Result<StreamPlan> planStreams(const fs::path& source, const AVOutputFormat& container,
                                     const VideoWriteOptions& options) {
    ff::InputPtr input;
    if (const int rc = ff::openInput(source.c_str(), input); rc < 0) {
        return fail(ErrorCode::UnsupportedFormat,
                    fmt::format("Cannot read the streams of '{}' again to copy them: {}.",
                                source.string(), ff::errorText(rc)));
    }
    auto log = core::logger("media");
    const int videoIndex = av_find_best_stream(input.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    StreamPlan plan;
    for (unsigned i = 0; i < input->nb_streams; ++i) {
        const AVStream& in = *input->streams[i];
        const AVMediaType type = in.codecpar->codec_type;
        if (static_cast<int>(i) == videoIndex || !wanted(in, options)) {
            continue;
        }
        const char* typeName = isCoverArt(in) ? "cover art" : av_get_media_type_string(type);
        const char* codecName = avcodec_get_name(in.codecpar->codec_id);
        PlannedStream planned{static_cast<int>(i), StreamFate::Copy, AV_CODEC_ID_NONE};
        if (isCoverArt(in) && isMatroska(container)) {
            // Matroska keeps a cover as an attachment, which readers show as the cover again.
            planned.fate = StreamFate::Attach;
        } else if (isCoverArt(in) && std::string_view(container.name) != "mp4") {
            // MOV writes a cover as a one-frame video track, WebM not at all.
            log->warn("The {} stream {} ({}) of '{}' is left out: {}.", typeName, i, codecName,
                      source.string(), whyLeftOut(in, container));
            continue;
        } else if (!takesAsIs(container, in)) {
            planned.fate = StreamFate::Convert;
            planned.convertTo = type == AVMEDIA_TYPE_AUDIO ? audioTarget(container, *in.codecpar)
                                : type == AVMEDIA_TYPE_SUBTITLE ? textTarget(container)
                                                                : AV_CODEC_ID_NONE;
            if (planned.convertTo == AV_CODEC_ID_NONE || !makeConverter(in, planned.convertTo)) {
                log->warn("The {} stream {} ({}) of '{}' is left out: {}.", typeName, i, codecName,
                          source.string(), whyLeftOut(in, container));
                continue;
            }
            log->warn(
                "The {} stream {} ({}) of '{}' is converted to {}: {} cannot hold {} {} "
                "as it is.",
                typeName, i, codecName, source.string(), upperName(planned.convertTo),
                container.name, codecName, typeName);
        }
        plan.streams.push_back(planned);
    }
    return plan;
}

}  // namespace upscale::media
