#include "animation_out.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <variant>

#include <fmt/format.h>
#include <webp/encode.h>

#include "gif_writer.hpp"
#include "segment_file.hpp"
#include "upscale/core/files.hpp"
#include "upscale/core/logging.hpp"
#include "upscale/media/image_io.hpp"

namespace upscale::media {
namespace fs = std::filesystem;

namespace {

using core::ErrorCode;
using core::fail;

const char* nameOf(AnimationFormat format) {
    return format == AnimationFormat::Gif ? "GIF" : "WebP";
}

struct ParametersDeleter {
    void operator()(AVCodecParameters* par) const { avcodec_parameters_free(&par); }
};

/// One frame held back until the next one's timestamp says how long it shows.
struct HeldFrame {
    std::vector<std::uint8_t> rgba;
    std::int64_t pts = 0;
};

/// The animation encoder the join feeds: times in the segments' time base, from the first frame.
class AnimationSink {
public:
    static core::Result<AnimationSink> open(const AnimationJoin& join, int width, int height) {
        AnimationSink sink(join);
        if (join.format == AnimationFormat::Gif) {
            auto gif = GifWriter::create(join.writeTo, width, height, join.plays, join.alpha);
            if (!gif) {
                return fail(gif.error());
            }
            sink.m_out.emplace<GifWriter>(std::move(*gif));
        } else {
            auto webp =
                WebPAnimationWriter::create(join.writeTo, width, height, join.plays, join.alpha);
            if (!webp) {
                return fail(webp.error());
            }
            sink.m_out.emplace<WebPAnimationWriter>(std::move(*webp));
        }
        return sink;
    }

    core::Result<void> add(const HeldFrame& frame, std::int64_t end, int stride) {
        if (auto* gif = std::get_if<GifWriter>(&m_out)) {
            // Rounded where each frame starts, so that the rounding does not add up.
            return gif->add(frame.rgba.data(), stride,
                            static_cast<int>(at(end, 100) - at(frame.pts, 100)));
        }
        return std::get<WebPAnimationWriter>(m_out).add(frame.rgba.data(), stride,
                                                        static_cast<int>(at(frame.pts, 1000)));
    }

    core::Result<void> close(std::int64_t end) {
        if (auto* gif = std::get_if<GifWriter>(&m_out)) {
            return gif->close();
        }
        return std::get<WebPAnimationWriter>(m_out).close(static_cast<int>(at(end, 1000)));
    }

    std::int64_t first = AV_NOPTS_VALUE;

private:
    explicit AnimationSink(const AnimationJoin& join) : m_timeBase(join.timeBase) {}

    /// A time since the first frame in 1/perSecond units.
    [[nodiscard]] std::int64_t at(std::int64_t pts, int perSecond) const {
        return av_rescale_q_rnd(pts - first, m_timeBase, AVRational{1, perSecond},
                                static_cast<AVRounding>(AV_ROUND_NEAR_INF));
    }

    AVRational m_timeBase;
    std::variant<std::monostate, GifWriter, WebPAnimationWriter> m_out;
};

/// Decodes one lossless segment frame by frame into RGBA.
class SegmentDecoder {
public:
    static core::Result<SegmentDecoder> open(const fs::path& file) {
        auto reader = SegmentFileReader::open(file);
        if (!reader) {
            return fail(reader.error());
        }
        SegmentDecoder d(std::move(*reader), file);
        const SegmentHeader& h = d.m_reader.header();
        const AVCodec* codec = avcodec_find_decoder(h.codecId);
        std::unique_ptr<AVCodecParameters, ParametersDeleter> par(avcodec_parameters_alloc());
        h.toParameters(*par);
        d.m_codec.reset(avcodec_alloc_context3(codec));
        if (codec == nullptr || !d.m_codec ||
            avcodec_parameters_to_context(d.m_codec.get(), par.get()) < 0 ||
            avcodec_open2(d.m_codec.get(), codec, nullptr) < 0) {
            return fail(ErrorCode::CorruptFile,
                        fmt::format("The video segment '{}' cannot be decoded; it will be "
                                    "encoded again.",
                                    file.string()));
        }
        d.m_codec->pkt_timebase = h.timeBase;
        d.m_sws.reset(sws_getContext(h.width, h.height, static_cast<AVPixelFormat>(h.format),
                                     h.width, h.height, AV_PIX_FMT_RGBA, SWS_POINT, nullptr,
                                     nullptr, nullptr));
        return d;
    }

    /// The next frame into `out` (RGBA rows of width * 4 bytes); false at the end.
    core::Result<bool> next(HeldFrame& out) {
        for (;;) {
            const int got = avcodec_receive_frame(m_codec.get(), m_frame.get());
            if (got == 0) {
                const SegmentHeader& h = m_reader.header();
                out.rgba.resize(static_cast<std::size_t>(h.width) * h.height * 4);
                out.pts = m_frame->pts;
                std::array<std::uint8_t*, 4> dst{out.rgba.data(), nullptr, nullptr, nullptr};
                std::array<int, 4> stride{h.width * 4, 0, 0, 0};
                sws_scale(m_sws.get(), m_frame->data, m_frame->linesize, 0, h.height, dst.data(),
                          stride.data());
                return true;
            }
            if (got == AVERROR_EOF) {
                return false;
            }
            if (got != AVERROR(EAGAIN)) {
                return damaged();
            }
            auto more = m_reader.next(*m_packet);
            if (!more) {
                return fail(more.error());
            }
            const int sent = avcodec_send_packet(m_codec.get(), *more ? m_packet.get() : nullptr);
            av_packet_unref(m_packet.get());
            if (sent < 0) {
                return damaged();
            }
        }
    }

    [[nodiscard]] const SegmentHeader& header() const { return m_reader.header(); }

private:
    SegmentDecoder(SegmentFileReader reader, fs::path file)
        : m_reader(std::move(reader)), m_file(std::move(file)) {}

    core::Result<bool> damaged() const {
        return fail(ErrorCode::CorruptFile,
                    fmt::format("The video segment '{}' is damaged; it will be encoded again.",
                                m_file.string()));
    }

    SegmentFileReader m_reader;
    fs::path m_file;
    ff::CodecPtr m_codec;
    ff::SwsPtr m_sws;
    ff::FramePtr m_frame{av_frame_alloc()};
    ff::PacketPtr m_packet{av_packet_alloc()};
};

}  // namespace

AnimationFormat animationFormatOf(const fs::path& target) {
    const std::string ext = lowerExtension(target);
    return ext == ".gif"    ? AnimationFormat::Gif
           : ext == ".webp" ? AnimationFormat::WebP
                            : AnimationFormat::None;
}

core::Result<void> checkAnimation(AnimationFormat format, const fs::path& source,
                                  const fs::path& target, int width, int height,
                                  const VideoWriteOptions& options) {
    const char* name = nameOf(format);
    if (!options.codec.empty() || !options.pixelFormat.empty()) {
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("A {} animation has an image format of its own, so '{}' cannot "
                                "be written with a chosen codec or pixel format. Without them "
                                "it is written as {}; MKV takes every codec offered.",
                                name, target.string(), name),
                    core::Remedy::ChooseContainer, target.string());
    }
    const int limit = format == AnimationFormat::Gif ? 0xFFFF : WEBP_MAX_DIMENSION;
    if (width > limit || height > limit) {
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("A {} animation holds pictures of at most {}x{}, so '{}' cannot "
                                "be written at {}x{}. A smaller scale, or a video container, "
                                "can hold it.",
                                name, limit, limit, target.string(), width, height),
                    core::Remedy::ChooseContainer, target.string());
    }
    auto log = core::logger("media");
    if (options.crf >= 0 || !options.preset.empty()) {
        log->warn(
            "The quality and preset settings apply to video codecs; '{}' is written as a "
            "{} animation without them.",
            target.string(), name);
    }
    ff::InputPtr input;
    if (ff::openInput(source.c_str(), input) < 0) {
        return {};
    }
    const int video = av_find_best_stream(input.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    for (unsigned i = 0; i < input->nb_streams; ++i) {
        const AVStream& st = *input->streams[i];
        const bool audio = st.codecpar->codec_type == AVMEDIA_TYPE_AUDIO;
        if (static_cast<int>(i) == video || (audio ? !options.audio : !options.otherStreams)) {
            continue;
        }
        log->warn(
            "The {} stream {} ({}) of '{}' is left out: a {} animation holds pictures "
            "only; Matroska (MKV) keeps it.",
            av_get_media_type_string(st.codecpar->codec_type), i,
            avcodec_get_name(st.codecpar->codec_id), source.string(), name);
    }
    if (input->nb_chapters > 0 && options.otherStreams) {
        log->warn(
            "The {} chapters of '{}' are left out: a {} animation has none; MP4, MKV and "
            "MOV keep them.",
            input->nb_chapters, source.string(), name);
    }
    return {};
}

std::int64_t lastFrameDuration(const fs::path& source, AVRational timeBase, std::int64_t fallback) {
    ff::InputPtr input;
    if (ff::openInput(source.c_str(), input) < 0) {
        return fallback;
    }
    const int video = av_find_best_stream(input.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (video < 0) {
        return fallback;
    }
    const AVStream& st = *input->streams[video];
    for (unsigned i = 0; i < input->nb_streams; ++i) {
        input->streams[i]->discard =
            static_cast<int>(i) == video ? AVDISCARD_DEFAULT : AVDISCARD_ALL;
    }
    ff::PacketPtr packet{av_packet_alloc()};
    std::int64_t lastPts = AV_NOPTS_VALUE, lastDuration = 0;
    while (av_read_frame(input.get(), packet.get()) >= 0) {
        if (packet->stream_index == video && packet->pts != AV_NOPTS_VALUE &&
            (lastPts == AV_NOPTS_VALUE || packet->pts > lastPts)) {
            lastPts = packet->pts;
            lastDuration = packet->duration;
        }
        av_packet_unref(packet.get());
    }
    if (lastDuration <= 0 && lastPts != AV_NOPTS_VALUE && st.duration > 0) {
        const std::int64_t start = st.start_time == AV_NOPTS_VALUE ? 0 : st.start_time;
        lastDuration = start + st.duration - lastPts;
    }
    return lastDuration > 0 ? av_rescale_q(lastDuration, st.time_base, timeBase) : fallback;
}

core::Result<void> joinAnimation(const AnimationJoin& join) {
    std::optional<AnimationSink> sink;
    HeldFrame held, next;
    bool holding = false;
    int stride = 0;
    for (const fs::path& file : join.segments) {
        auto decoder = SegmentDecoder::open(file);
        if (!decoder) {
            return fail(decoder.error());
        }
        if (!sink) {
            const SegmentHeader& h = decoder->header();
            auto opened = AnimationSink::open(join, h.width, h.height);
            if (!opened) {
                return fail(opened.error());
            }
            sink.emplace(std::move(*opened));
            stride = h.width * 4;
        }
        for (;;) {
            auto got = decoder->next(next);
            if (!got) {
                return fail(got.error());
            }
            if (!*got) {
                break;
            }
            if (holding) {
                if (auto ok = sink->add(held, next.pts, stride); !ok) {
                    return ok;
                }
            } else {
                sink->first = next.pts;
            }
            std::swap(held, next);
            holding = true;
        }
    }
    if (!holding) {
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("No frame was written to '{}'.", join.target.string()));
    }
    const std::int64_t end = held.pts + std::max<std::int64_t>(1, join.lastDuration);
    if (auto ok = sink->add(held, end, stride); !ok) {
        return ok;
    }
    return sink->close(end);
}

}  // namespace upscale::media
