#include <algorithm>
#include <array>
#include <cstdio>

#include <fmt/format.h>

extern "C" {
#include <libavutil/pixdesc.h>
}

#include "ffmpeg_handles.hpp"
#include "upscale/core/barrier.hpp"
#include "upscale/core/logging.hpp"
#include "upscale/media/formats.hpp"
#include "upscale/media/image_io.hpp"
#include "upscale/media/video.hpp"
#include "video_metadata.hpp"

namespace upscale::media {
namespace fs = std::filesystem;

namespace {

using core::ErrorCode;
using core::fail;

/// The stream's own length from a "DURATION" tag (Matroska writes one per stream), in seconds;
/// negative when there is none. The container's duration is the longest stream's, which a
/// longer audio track would make the video's.
double durationTag(const AVStream* st) {
    const AVDictionaryEntry* tag = av_dict_get(st->metadata, "DURATION", nullptr, 0);
    int hours = 0, minutes = 0;
    double seconds = 0.0;
    if (tag == nullptr || std::sscanf(tag->value, "%d:%d:%lf", &hours, &minutes, &seconds) != 3) {
        return -1.0;
    }
    return hours * 3600.0 + minutes * 60.0 + seconds;
}

std::string nameOr(const char* name) {
    return name != nullptr ? name : "unknown";
}

std::string typeName(AVMediaType type) {
    const char* name = av_get_media_type_string(type);
    return name != nullptr ? name : "data";
}

/// Fills a probe from an opened container and the index of its video stream.
VideoProbe describe(const AVFormatContext* ctx, int videoIndex) {
    const AVStream* st = ctx->streams[videoIndex];
    const AVCodecParameters* par = st->codecpar;
    VideoProbe probe;
    probe.width = par->width;
    probe.height = par->height;
    probe.codec = avcodec_get_name(par->codec_id);
    const auto format = static_cast<AVPixelFormat>(par->format);
    probe.pixelFormat = nameOr(av_get_pix_fmt_name(format));
    if (const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(format); desc != nullptr) {
        probe.bitsPerComponent = desc->comp[0].depth;
        probe.alpha = (desc->flags & AV_PIX_FMT_FLAG_ALPHA) != 0;
    }
    probe.timeBase = {st->time_base.num, st->time_base.den};
    AVRational rate = st->avg_frame_rate.num > 0 ? st->avg_frame_rate : st->r_frame_rate;
    probe.frameRate = {rate.num, rate.den};
    if (st->duration != AV_NOPTS_VALUE && st->duration > 0) {
        probe.durationSeconds = static_cast<double>(st->duration) * av_q2d(st->time_base);
    } else if (const double tagged = durationTag(st); tagged > 0) {
        probe.durationSeconds = tagged;
    } else if (ctx->duration != AV_NOPTS_VALUE && ctx->duration > 0) {
        probe.durationSeconds = static_cast<double>(ctx->duration) / AV_TIME_BASE;
    }
    if (st->nb_frames > 0) {
        probe.frameCount = st->nb_frames;
    } else if (probe.durationSeconds > 0 && rate.num > 0) {
        probe.frameCount =
            std::max<std::int64_t>(1, std::llround(probe.durationSeconds * av_q2d(rate)));
        probe.frameCountEstimated = true;
    }
    probe.colorPrimaries = nameOr(av_color_primaries_name(par->color_primaries));
    probe.colorTransfer = nameOr(av_color_transfer_name(par->color_trc));
    probe.colorMatrix = nameOr(av_color_space_name(par->color_space));
    AVColorRange range = par->color_range;
    if (ff::withoutJ(format) != format) {
        range = AVCOL_RANGE_JPEG;
    }
    probe.colorRange = nameOr(av_color_range_name(range));
    probe.rotationDegrees = ff::streamRotation(st);
    for (unsigned i = 0; i < ctx->nb_streams; ++i) {
        if (static_cast<int>(i) == videoIndex) {
            continue;
        }
        const AVStream* other = ctx->streams[i];
        StreamInfo info;
        info.index = static_cast<int>(i);
        info.type = typeName(other->codecpar->codec_type);
        info.codec = avcodec_get_name(other->codecpar->codec_id);
        if (const AVDictionaryEntry* lang = av_dict_get(other->metadata, "language", nullptr, 0)) {
            info.language = lang->value;
        }
        probe.others.push_back(std::move(info));
    }
    return probe;
}

/// Opens the container and finds its video stream, with messages that name the file. A stream
/// without a frame size, or one larger than `limits`, is refused before any decoder exists.
core::Result<std::pair<ff::InputPtr, int>> openVideo(const fs::path& path,
                                                     const ReadLimits& limits) {
    ff::bridgeLog();
    std::error_code ec;
    if (!fs::exists(path, ec)) {
        return fail(ErrorCode::NotFound,
                    fmt::format("Input file '{}' does not exist.", path.string()));
    }
    ff::InputPtr ctx;
    if (const int rc = ff::openInput(path.c_str(), ctx); rc < 0) {
        return fail(ErrorCode::UnsupportedFormat,
                    fmt::format("'{}' is not a video FFmpeg can read ({}). Check that the file is "
                                "complete, or convert it to MP4 or MKV.",
                                path.string(), ff::errorText(rc)));
    }
    const int index = av_find_best_stream(ctx.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (index < 0 || (ctx->streams[index]->disposition & AV_DISPOSITION_ATTACHED_PIC) != 0) {
        return fail(ErrorCode::UnsupportedFormat,
                    fmt::format("'{}' has no video stream to upscale. Give a video file, or an "
                                "image file for a still picture.",
                                path.string()));
    }
    const AVCodecParameters* par = ctx->streams[index]->codecpar;
    if (par->width <= 0 || par->height <= 0) {
        return fail(ErrorCode::CorruptFile,
                    fmt::format("The video stream of '{}' has no frame size. The file may be "
                                "damaged.",
                                path.string()));
    }
    if (auto fits = checkReadLimits(path, par->width, par->height, limits); !fits) {
        return fail(fits.error());
    }
    return std::pair{std::move(ctx), index};
}

}  // namespace

const std::vector<std::string>& videoExtensions() {
    static const std::vector<std::string> kExtensions =
        extensionsOf(filesOf(videoContainers()), FormatUse::Read);
    return kExtensions;
}

bool hasVideoExtension(const fs::path& path) {
    const auto& all = videoExtensions();
    return std::find(all.begin(), all.end(), lowerExtension(path)) != all.end();
}

namespace {

core::Result<VideoProbe> probeVideoUnguarded(const fs::path& path, const ReadLimits& limits) {
    auto opened = openVideo(path, limits);
    if (!opened) {
        return fail(opened.error());
    }
    return describe(opened->first.get(), opened->second);
}

}  // namespace

core::Result<VideoProbe> probeVideo(const fs::path& path, const ReadLimits& limits) {
    return core::guarded(fmt::format("reading '{}'", path.string()),
                         [&] { return probeVideoUnguarded(path, limits); });
}

struct VideoReader::Impl {
    fs::path path;
    ff::InputPtr format;
    ff::CodecPtr codec;
    ff::FramePtr frame{av_frame_alloc()};
    ff::PacketPtr packet{av_packet_alloc()};
    ff::SwsPtr sws;
    int swsWidth = 0, swsHeight = 0, swsFormat = -1;
    int streamIndex = -1;
    std::int64_t start = 0;  ///< the timeline offset in the stream's time base, off every frame
    VideoProbe probe;
    bool flushing = false;
    bool finished = false;
    bool readError = false;
    std::int64_t framesRead = 0;
    std::int64_t lastPts = AV_NOPTS_VALUE;
    bool alpha = false;  ///< frames come with their alpha channel (RGBA)
    bool transparencyReported = false;

    /// One scaler per stream, rebuilt only when the decoded layout changes (never per frame).
    bool prepareScaler(const AVFrame& src) {
        if (sws && src.width == swsWidth && src.height == swsHeight && src.format == swsFormat) {
            return true;
        }
        const AVPixelFormat dst = alpha ? (probe.deep() ? AV_PIX_FMT_RGBA64 : AV_PIX_FMT_RGBA)
                                        : (probe.deep() ? AV_PIX_FMT_RGB48 : AV_PIX_FMT_RGB24);
        // The range is given below, so the deprecated full-range layouts are read as the plain
        // ones (the same samples) and the scaler does not warn about them.
        const AVPixelFormat from = ff::withoutJ(static_cast<AVPixelFormat>(src.format));
        sws.reset(sws_getContext(src.width, src.height, from, probe.width, probe.height, dst,
                                 SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT, nullptr,
                                 nullptr, nullptr));
        if (!sws) {
            return false;
        }
        const AVColorSpace space =
            src.colorspace != AVCOL_SPC_UNSPECIFIED ? src.colorspace : codec->colorspace;
        const bool full = src.color_range == AVCOL_RANGE_JPEG || probe.colorRange == "pc";
        const int* coefficients = ff::swsCoefficients(space, src.width, src.height);
        sws_setColorspaceDetails(sws.get(), coefficients, full ? 1 : 0, coefficients, 1, 0, 1 << 16,
                                 1 << 16);
        swsWidth = src.width;
        swsHeight = src.height;
        swsFormat = src.format;
        return true;
    }

    core::Result<VideoFrame> convert(const AVFrame& src, bool toRgb) {
        if (toRgb && !prepareScaler(src)) {
            return fail(
                ErrorCode::UnsupportedFormat,
                fmt::format("Cannot convert the frames of '{}' ({}) to RGB. Convert the "
                            "video to a common pixel format such as yuv420p.",
                            path.string(),
                            nameOr(av_get_pix_fmt_name(static_cast<AVPixelFormat>(src.format)))));
        }
        VideoFrame out;
        if (toRgb && !alpha && probe.alpha && !transparencyReported && anyTransparent(src)) {
            transparencyReported = true;
            core::logger("media")->warn(
                "'{}' has transparent areas (from frame {}); the output has no alpha channel, "
                "so there it shows the colours stored under them.",
                path.string(), framesRead + 1);
        }
        if (toRgb) {
            out.image = core::Image(probe.width, probe.height, alpha ? 4 : 3,
                                    probe.deep() ? core::BitDepth::U16 : core::BitDepth::U8);
            std::array<std::uint8_t*, 4> dstData{out.image.row(0), nullptr, nullptr, nullptr};
            std::array<int, 4> dstStride{static_cast<int>(out.image.rowBytes()), 0, 0, 0};
            sws_scale(sws.get(), src.data, src.linesize, 0, src.height, dstData.data(),
                      dstStride.data());
        }
        std::int64_t pts = src.best_effort_timestamp;
        if (pts != AV_NOPTS_VALUE) {
            pts -= start;
        } else {
            const AVRational rate{probe.frameRate.num, probe.frameRate.den};
            const std::int64_t step =
                rate.num > 0
                    ? std::max<std::int64_t>(
                          1, av_rescale_q(1, av_inv_q(rate),
                                          AVRational{probe.timeBase.num, probe.timeBase.den}))
                    : 1;
            pts = lastPts == AV_NOPTS_VALUE ? 0 : lastPts + step;
        }
        // Encoders need strictly increasing timestamps; a duplicate is nudged by one tick.
        if (lastPts != AV_NOPTS_VALUE && pts <= lastPts) {
            pts = lastPts + 1;
        }
        lastPts = pts;
        out.pts = pts;
        out.index = framesRead++;
        return out;
    }

    void reportEarlyEnd() {
        const double at = lastPts == AV_NOPTS_VALUE ? 0.0 : lastPts * probe.timeBase.value();
        // An exact count from the container is compared as is. An estimate (duration x average
        // rate) is wrong for variable frame rate, so there the time reached is compared with the
        // duration, allowing for the last frames' own length.
        const double fps = probe.frameRate.value();
        const double slack = std::max(0.5, fps > 0 ? 3.0 / fps : 0.5);
        const bool shortOfCount =
            !probe.frameCountEstimated
                ? framesRead < probe.frameCount
                : probe.durationSeconds > 0 && at + slack < probe.durationSeconds;
        if (!readError && !shortOfCount) {
            return;
        }
        readError = true;
        core::logger("media")->warn(
            "'{}' ended early: decoding stopped after frame {} at {:.3f} s of {:.3f} s; the file "
            "may be truncated. The frames up to that point are upscaled.",
            path.string(), framesRead, at, probe.durationSeconds);
    }
};

VideoReader::VideoReader(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
VideoReader::~VideoReader() = default;

core::Result<std::unique_ptr<VideoReader>> VideoReader::openUnguarded(const fs::path& path,
                                                                      const ReadLimits& limits) {
    auto opened = openVideo(path, limits);
    if (!opened) {
        return fail(opened.error());
    }
    auto impl = std::make_unique<Impl>();
    impl->path = path;
    impl->format = std::move(opened->first);
    impl->streamIndex = opened->second;
    impl->probe = describe(impl->format.get(), impl->streamIndex);
    const AVStream* st = impl->format->streams[impl->streamIndex];
    impl->start = av_rescale_q(timelineOffset(*impl->format, impl->streamIndex), AV_TIME_BASE_Q,
                               st->time_base);
    const AVCodec* decoder = avcodec_find_decoder(st->codecpar->codec_id);
    if (decoder == nullptr) {
        return fail(ErrorCode::UnsupportedFormat,
                    fmt::format("No decoder for the {} video of '{}'. Convert it to H.264 or "
                                "another common codec first.",
                                impl->probe.codec, path.string()));
    }
    impl->codec.reset(avcodec_alloc_context3(decoder));
    avcodec_parameters_to_context(impl->codec.get(), st->codecpar);
    impl->codec->pkt_timebase = st->time_base;
    impl->codec->thread_count = 0;
    impl->codec->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
    if (const int rc = avcodec_open2(impl->codec.get(), decoder, nullptr); rc < 0) {
        return fail(ErrorCode::UnsupportedFormat,
                    fmt::format("Cannot open the {} decoder for '{}': {}.", impl->probe.codec,
                                path.string(), ff::errorText(rc)));
    }
    // Every other stream is read by the demuxer anyway; discarding them here saves the work.
    for (unsigned i = 0; i < impl->format->nb_streams; ++i) {
        if (static_cast<int>(i) != impl->streamIndex) {
            impl->format->streams[i]->discard = AVDISCARD_ALL;
        }
    }
    return std::unique_ptr<VideoReader>(new VideoReader(std::move(impl)));
}

core::Result<std::unique_ptr<VideoReader>> VideoReader::open(const fs::path& path,
                                                             const ReadLimits& limits) {
    return core::guarded(fmt::format("opening '{}'", path.string()),
                         [&] { return openUnguarded(path, limits); });
}

const VideoProbe& VideoReader::probe() const {
    return m_impl->probe;
}

void VideoReader::keepAlpha(bool keep) {
    Impl& d = *m_impl;
    if (d.alpha != keep) {
        d.alpha = keep;
        d.sws.reset();
    }
}

bool VideoReader::endedEarly() const {
    return m_impl->readError;
}

core::Result<std::optional<VideoFrame>> VideoReader::read() {
    return next(true);
}

core::Result<bool> VideoReader::skip() {
    auto frame = next(false);
    if (!frame) {
        return core::fail(frame.error());
    }
    return frame->has_value();
}

core::Result<std::optional<VideoFrame>> VideoReader::nextUnguarded(bool toRgb) {
    Impl& d = *m_impl;
    while (!d.finished) {
        const int got = avcodec_receive_frame(d.codec.get(), d.frame.get());
        if (got == 0) {
            auto converted = d.convert(*d.frame, toRgb);
            av_frame_unref(d.frame.get());
            if (!converted) {
                return fail(converted.error());
            }
            return std::optional<VideoFrame>(std::move(*converted));
        }
        if (got == AVERROR_EOF) {
            d.finished = true;
            d.reportEarlyEnd();
            break;
        }
        if (got != AVERROR(EAGAIN)) {
            core::logger("media")->warn("A frame of '{}' could not be decoded ({}); skipping it.",
                                        d.path.string(), ff::errorText(got));
            continue;
        }
        if (d.flushing) {
            d.finished = true;
            break;
        }
        const int rc = av_read_frame(d.format.get(), d.packet.get());
        if (rc < 0) {
            if (rc != AVERROR_EOF) {
                d.readError = true;
            }
            d.flushing = true;
            avcodec_send_packet(d.codec.get(), nullptr);
            continue;
        }
        if (d.packet->stream_index == d.streamIndex) {
            if (const int sent = avcodec_send_packet(d.codec.get(), d.packet.get()); sent < 0) {
                core::logger("media")->warn(
                    "A damaged packet of '{}' at frame {} was skipped ({}).", d.path.string(),
                    d.framesRead, ff::errorText(sent));
            }
        }
        av_packet_unref(d.packet.get());
    }
    return std::optional<VideoFrame>();
}

core::Result<std::optional<VideoFrame>> VideoReader::next(bool toRgb) {
    return core::guarded([&] { return fmt::format("decoding '{}'", m_impl->path.string()); },
                         [&] { return nextUnguarded(toRgb); });
}

}  // namespace upscale::media
