#include "stream_copier.hpp"

#include <cstring>
#include <string_view>

#include <fmt/format.h>

#include "upscale/core/logging.hpp"
#include "video_metadata.hpp"

namespace upscale::media {
namespace fs = std::filesystem;

namespace {

using core::ErrorCode;
using core::fail;

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

/// The chapters of `in` that start by `until` seconds, with their titles.
bool copyChapters(const AVFormatContext& in, AVFormatContext& out, double until) {
    for (unsigned i = 0; i < in.nb_chapters; ++i) {
        const AVChapter& from = *in.chapters[i];
        if (static_cast<double>(from.start) * av_q2d(from.time_base) > until) {
            continue;
        }
        auto* chapter = static_cast<AVChapter*>(av_mallocz(sizeof(AVChapter)));
        void* grown = chapter == nullptr
                          ? nullptr
                          : av_realloc_array(out.chapters, out.nb_chapters + 1, sizeof(AVChapter*));
        if (grown == nullptr) {
            av_free(chapter);
            return false;
        }
        out.chapters = static_cast<AVChapter**>(grown);
        out.chapters[out.nb_chapters++] = chapter;
        chapter->id = from.id;
        chapter->time_base = from.time_base;
        chapter->start = from.start;
        chapter->end = from.end;
        av_dict_copy(&chapter->metadata, from.metadata, 0);
    }
    return true;
}

/// Stores the picture of a cover-art stream as a Matroska attachment.
bool attachCover(const AVStream& in, AVStream& out) {
    const AVPacket& picture = in.attached_pic;
    if (picture.data == nullptr || picture.size <= 0) {
        return false;
    }
    AVCodecParameters& par = *out.codecpar;
    par.codec_type = AVMEDIA_TYPE_ATTACHMENT;
    par.codec_id = in.codecpar->codec_id;
    par.extradata =
        static_cast<std::uint8_t*>(av_mallocz(picture.size + AV_INPUT_BUFFER_PADDING_SIZE));
    if (par.extradata == nullptr) {
        return false;
    }
    std::memcpy(par.extradata, picture.data, static_cast<std::size_t>(picture.size));
    par.extradata_size = picture.size;
    const AVCodecDescriptor* desc = avcodec_descriptor_get(par.codec_id);
    const bool png = par.codec_id == AV_CODEC_ID_PNG;
    const char* mime =
        desc != nullptr && desc->mime_types != nullptr ? desc->mime_types[0] : "image/jpeg";
    av_dict_set(&out.metadata, "mimetype", mime, 0);
    if (av_dict_get(out.metadata, "filename", nullptr, 0) == nullptr) {
        av_dict_set(&out.metadata, "filename", png ? "cover.png" : "cover.jpg", 0);
    }
    return true;
}

}  // namespace

core::Result<std::unique_ptr<StreamCopier>> StreamCopier::open(const fs::path& source,
                                                               AVFormatContext& output,
                                                               AVStream* video,
                                                               const StreamPlan& plan,
                                                               double untilSeconds) {
    std::unique_ptr<StreamCopier> copier(new StreamCopier());
    copier->m_source = source;
    copier->m_output = &output;
    if (const int rc = ff::openInput(source.c_str(), copier->m_input); rc < 0) {
        return fail(ErrorCode::UnsupportedFormat,
                    fmt::format("Cannot read the streams of '{}' again to copy them: {}.",
                                source.string(), ff::errorText(rc)));
    }
    const auto outOfMemory = [&] {
        return fail(ErrorCode::OutOfMemory,
                    fmt::format("Out of memory copying the streams of '{}'.", source.string()));
    };
    AVFormatContext& input = *copier->m_input;
    av_dict_copy(&output.metadata, input.metadata, 0);
    if (!copyChapters(input, output, untilSeconds)) {
        return outOfMemory();
    }
    const int videoIndex = av_find_best_stream(&input, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (videoIndex >= 0) {
        const AVStream* sourceVideo = input.streams[videoIndex];
        av_dict_copy(&video->metadata, sourceVideo->metadata, 0);
        // The encoder names itself; the source's encoder tag would be wrong.
        av_dict_set(&video->metadata, "encoder", nullptr, 0);
        video->disposition = sourceVideo->disposition;
        copyDisplayMatrix(sourceVideo, video);
        // The other streams move with the video (see timelineOffset).
        copier->m_offset = timelineOffset(input, videoIndex);
    }
    for (unsigned i = 0; i < input.nb_streams; ++i) {
        input.streams[i]->discard = AVDISCARD_ALL;
    }
    for (const auto& planned : plan.streams) {
        if (planned.source < 0 || planned.source >= static_cast<int>(input.nb_streams)) {
            return fail(
                ErrorCode::CorruptFile,
                fmt::format("The streams of '{}' changed while it was upscaled.", source.string()));
        }
        AVStream* in = input.streams[planned.source];
        AVStream* out = avformat_new_stream(&output, nullptr);
        if (out == nullptr) {
            return outOfMemory();
        }
        av_dict_copy(&out->metadata, in->metadata, 0);
        out->disposition = in->disposition;
        out->time_base = in->time_base;
        if (planned.fate == StreamFate::Attach) {
            out->disposition = 0;
            if (!attachCover(*in, *out)) {
                return outOfMemory();
            }
            continue;  // an attachment has no packets
        }
        if (planned.fate == StreamFate::Convert) {
            auto converter = makeConverter(*in, planned.convertTo);
            if (!converter ||
                avcodec_parameters_from_context(out->codecpar, &converter->encoder()) < 0) {
                return fail(ErrorCode::UnsupportedFormat,
                            fmt::format("Cannot convert stream {} of '{}' to {}.", planned.source,
                                        source.string(), avcodec_get_name(planned.convertTo)));
            }
            out->time_base = converter->encoder().time_base;
            copier->m_converters[planned.source] = std::move(converter);
        } else if (avcodec_parameters_copy(out->codecpar, in->codecpar) < 0) {
            return outOfMemory();
        }
        out->codecpar->codec_tag = 0;
        const std::string_view muxer = output.oformat->name;
        if ((muxer == "matroska" || muxer == "webm") &&
            out->codecpar->codec_id == AV_CODEC_ID_OPUS && out->codecpar->initial_padding > 0) {
            copier->m_codecDelay[out->index] = out->codecpar->initial_padding;
        }
        in->discard = AVDISCARD_DEFAULT;
        copier->m_map[planned.source] = out;
    }
    if (copier->m_map.empty()) {
        copier->m_input.reset();
        copier->m_done = true;
    }
    return copier;
}

core::Result<void> StreamCopier::write(AVPacket& packet, AVRational from, AVStream* out) {
    if (const auto delay = m_codecDelay.find(out->index); delay != m_codecDelay.end()) {
        constexpr AVRational kOpusRate{1, 48000};
        const std::int64_t shift = av_rescale_q(delay->second, kOpusRate, from);
        packet.pts = packet.pts == AV_NOPTS_VALUE ? AV_NOPTS_VALUE : packet.pts + shift;
        packet.dts = packet.dts == AV_NOPTS_VALUE ? AV_NOPTS_VALUE : packet.dts + shift;
    }
    if (packet.pts == AV_NOPTS_VALUE && packet.dts == AV_NOPTS_VALUE &&
        (out->disposition & AV_DISPOSITION_ATTACHED_PIC) != 0) {
        packet.pts = packet.dts = 0;  // a cover picture has no time of its own
    }
    av_packet_rescale_ts(&packet, from, out->time_base);
    packet.stream_index = out->index;
    packet.pos = -1;
    const int rc = av_interleaved_write_frame(m_output, &packet);
    av_packet_unref(&packet);
    if (rc < 0) {
        core::Error error = ff::writeError(rc, m_output->url != nullptr ? m_output->url : "");
        if (error.code != ErrorCode::UnsupportedFormat) {
            return fail(std::move(error));
        }
        core::logger("media")->warn("A packet of '{}' could not be copied ({}); it is skipped.",
                                    m_source.string(), ff::errorText(rc));
    }
    return {};
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
            if (!m_map.contains(m_pending->stream_index)) {
                av_packet_unref(m_pending.get());
                continue;
            }
            m_hasPending = true;
            const AVRational base = m_input->streams[m_pending->stream_index]->time_base;
            const std::int64_t shift = av_rescale_q(m_offset, AV_TIME_BASE_Q, base);
            for (std::int64_t* ts : {&m_pending->pts, &m_pending->dts}) {
                if (*ts != AV_NOPTS_VALUE) {
                    *ts -= shift;
                }
            }
        }
        const AVStream* in = m_input->streams[m_pending->stream_index];
        const std::int64_t ts = m_pending->dts != AV_NOPTS_VALUE ? m_pending->dts : m_pending->pts;
        if (ts != AV_NOPTS_VALUE && static_cast<double>(ts) * av_q2d(in->time_base) > seconds) {
            break;
        }
        m_hasPending = false;
        AVStream* out = m_map.at(in->index);
        auto converter = m_converters.find(in->index);
        if (converter == m_converters.end()) {
            if (auto ok = write(*m_pending, in->time_base, out); !ok) {
                return ok;
            }
            continue;
        }
        const AVRational from = converter->second->encoder().time_base;
        auto converted = converter->second->convert(
            m_pending.get(), [&](AVPacket& packet) { return write(packet, from, out); });
        av_packet_unref(m_pending.get());
        if (!converted) {
            return converted;
        }
    }
    return {};
}

core::Result<void> StreamCopier::finish() {
    for (auto& [index, converter] : m_converters) {
        AVStream* out = m_map.at(index);
        const AVRational from = converter->encoder().time_base;
        auto flushed =
            converter->convert(nullptr, [&](AVPacket& packet) { return write(packet, from, out); });
        if (!flushed) {
            return flushed;
        }
    }
    return {};
}

}  // namespace upscale::media
