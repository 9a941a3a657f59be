#include "upscale/media/video_writer.hpp"

#include <algorithm>
#include <array>
#include <limits>

#include <fmt/format.h>

extern "C" {
#include <libavutil/pixdesc.h>
}

#include "ffmpeg_handles.hpp"
#include "stream_copier.hpp"
#include "upscale/core/logging.hpp"
#include "upscale/core/paths.hpp"
#include "upscale/media/image_io.hpp"

namespace upscale::media {
namespace fs = std::filesystem;

namespace {

using core::ErrorCode;
using core::fail;

struct CodecChoice {
    const char* name;     ///< our name, as --codec takes it
    const char* encoder;  ///< FFmpeg's encoder
};

constexpr std::array<CodecChoice, 5> kCodecs = {{{"h264", "libx264"},
                                                 {"h265", "libx265"},
                                                 {"av1", "libsvtav1"},
                                                 {"ffv1", "ffv1"},
                                                 {"prores", "prores_ks"}}};

const char* encoderFor(const std::string& codec, const fs::path& target) {
    std::string name = codec;
    if (name.empty()) {
        name = lowerExtension(target) == ".webm" ? "av1" : "h264";
    }
    for (const auto& c : kCodecs) {
        if (name == c.name) {
            return c.encoder;
        }
    }
    return nullptr;
}

bool supports(const AVCodec* codec, AVPixelFormat format) {
    if (codec->pix_fmts == nullptr) {
        return true;
    }
    for (const AVPixelFormat* p = codec->pix_fmts; *p != AV_PIX_FMT_NONE; ++p) {
        if (*p == format) {
            return true;
        }
    }
    return false;
}

/// The encoder's format closest to a source format it cannot write. RGB and palette sources (GIF)
/// get 4:2:0, which every player plays; ProRes gets its usual 4:2:2 10-bit.
AVPixelFormat fallbackFormat(const AVCodec* codec, AVPixelFormat source) {
    const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(source);
    const bool deep = desc != nullptr && desc->comp[0].depth > 8;
    const bool yuv = desc != nullptr &&
                     (desc->flags & (AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL)) == 0 &&
                     desc->nb_components >= 3;
    if (codec->id == AV_CODEC_ID_PRORES && supports(codec, AV_PIX_FMT_YUV422P10)) {
        return AV_PIX_FMT_YUV422P10;
    }
    if (!yuv) {
        const AVPixelFormat plain = deep ? AV_PIX_FMT_YUV420P10 : AV_PIX_FMT_YUV420P;
        if (supports(codec, plain)) {
            return plain;
        }
    }
    const AVPixelFormat from = source == AV_PIX_FMT_NONE ? AV_PIX_FMT_YUV420P : source;
    return avcodec_find_best_pix_fmt_of_list(codec->pix_fmts, from, 0, nullptr);
}

template <typename T>
T colourFromName(int (*parse)(const char*), const std::string& name, T fallback) {
    const int value = parse(name.c_str());
    return value < 0 ? fallback : static_cast<T>(value);
}

}  // namespace

core::Result<void> VideoWriteOptions::validate() const {
    if (!codec.empty() && std::none_of(kCodecs.begin(), kCodecs.end(),
                                       [&](const CodecChoice& c) { return codec == c.name; })) {
        return fail(
            ErrorCode::InvalidArgument,
            fmt::format("Unknown video codec '{}'. Use h264, h265, av1, ffv1 or prores.", codec));
    }
    if (crf < -1 || crf > 63) {
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("CRF {} is out of range: use 0 (best) to 51 (h264/h265) or 63 "
                                "(av1).",
                                crf));
    }
    if (!pixelFormat.empty() && av_get_pix_fmt(pixelFormat.c_str()) == AV_PIX_FMT_NONE) {
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("Unknown pixel format '{}'. Use an FFmpeg name such as yuv420p "
                                "or yuv420p10le.",
                                pixelFormat));
    }
    return {};
}

const std::vector<std::string>& videoCodecNames() {
    static const std::vector<std::string> kNames = [] {
        std::vector<std::string> names;
        for (const auto& c : kCodecs) {
            names.emplace_back(c.name);
        }
        return names;
    }();
    return kNames;
}

const std::vector<std::string>& videoOutputExtensions() {
    static const std::vector<std::string> kExtensions = {".mp4", ".mkv", ".mov", ".webm"};
    return kExtensions;
}

bool hasVideoOutputExtension(const fs::path& path) {
    const auto& all = videoOutputExtensions();
    return std::find(all.begin(), all.end(), lowerExtension(path)) != all.end();
}

struct VideoWriter::Impl {
    fs::path target;
    fs::path temporary;
    ff::OutputPtr output;
    ff::CodecPtr encoder;
    ff::SwsPtr sws;
    ff::FramePtr frame{av_frame_alloc()};
    ff::PacketPtr packet{av_packet_alloc()};
    AVStream* stream = nullptr;
    std::unique_ptr<StreamCopier> copier;
    int inputWidth = 0, inputHeight = 0;
    bool finished = false;
    double lastSeconds = 0.0;

    core::Result<void> ioError(int rc, const char* doing) const {
        return fail(ErrorCode::Io,
                    fmt::format("Cannot {} '{}': {}. Check the free disk space and the folder's "
                                "permissions.",
                                doing, target.string(), ff::errorText(rc)));
    }

    /// Writes every packet the encoder has ready, after the copied packets that precede it.
    core::Result<void> drain() {
        for (;;) {
            const int rc = avcodec_receive_packet(encoder.get(), packet.get());
            if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) {
                return {};
            }
            if (rc < 0) {
                return ioError(rc, "encode the video for");
            }
            av_packet_rescale_ts(packet.get(), encoder->time_base, stream->time_base);
            packet->stream_index = stream->index;
            const std::int64_t when = packet->dts != AV_NOPTS_VALUE ? packet->dts : packet->pts;
            if (copier && when != AV_NOPTS_VALUE) {
                if (auto ok = copier->copyUntil(when * av_q2d(stream->time_base)); !ok) {
                    av_packet_unref(packet.get());
                    return ok;
                }
            }
            const int written = av_interleaved_write_frame(output.get(), packet.get());
            if (written < 0) {
                return ioError(written, "write");
            }
        }
    }

    ~Impl() {
        if (!finished && !temporary.empty()) {
            output.reset();
            std::error_code ec;
            fs::remove(temporary, ec);
        }
    }
};

VideoWriter::VideoWriter(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
VideoWriter::~VideoWriter() = default;

fs::path VideoWriter::partialPath(const fs::path& target) {
    return target.parent_path() /
           fmt::format("{}.partial{}", target.stem().string(), target.extension().string());
}

core::Result<std::unique_ptr<VideoWriter>> VideoWriter::create(const fs::path& target,
                                                               const fs::path& sourceFile,
                                                               const VideoProbe& source, int width,
                                                               int height,
                                                               const VideoWriteOptions& options) {
    ff::bridgeLog();
    if (auto valid = options.validate(); !valid) {
        return fail(valid.error());
    }
    auto log = core::logger("media");
    auto impl = std::make_unique<Impl>();
    impl->target = target;
    impl->inputWidth = width;
    impl->inputHeight = height;
    const AVOutputFormat* container = av_guess_format(nullptr, target.c_str(), nullptr);
    if (container == nullptr) {
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("Cannot tell the video container from the name '{}'. Use .mp4, "
                                ".mkv, .mov or .webm.",
                                target.string()));
    }
    const char* encoderName = encoderFor(options.codec, target);
    const AVCodec* codec = encoderName ? avcodec_find_encoder_by_name(encoderName) : nullptr;
    if (codec == nullptr) {
        return fail(ErrorCode::UnsupportedFormat,
                    fmt::format("The {} encoder is not available in this FFmpeg build, so '{}' "
                                "cannot be written. Choose another codec with --codec.",
                                encoderName ? encoderName : options.codec, target.string()));
    }
    if (avformat_query_codec(container, codec->id, FF_COMPLIANCE_NORMAL) != 1) {
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("The {} container cannot hold {} video, so '{}' cannot be "
                                "written. Choose another codec with --codec, or MKV output "
                                "(-f mkv), which holds them all.",
                                container->name, avcodec_get_name(codec->id), target.string()));
    }

    AVPixelFormat format = ff::withoutJ(av_get_pix_fmt(source.pixelFormat.c_str()));
    if (!options.pixelFormat.empty()) {
        format = av_get_pix_fmt(options.pixelFormat.c_str());
        if (!supports(codec, format)) {
            return fail(ErrorCode::InvalidArgument,
                        fmt::format("The {} encoder cannot write pixel format {}. Leave out "
                                    "--pix-fmt to follow the source.",
                                    codec->name, options.pixelFormat));
        }
    } else if (format == AV_PIX_FMT_NONE || !supports(codec, format)) {
        format = fallbackFormat(codec, format);
    }
    const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(format);
    int outWidth = width, outHeight = height;
    if (desc != nullptr && (desc->log2_chroma_w > 0 || desc->log2_chroma_h > 0)) {
        // Subsampled chroma needs even sizes; one more row or column is the smallest change.
        outWidth += (width & desc->log2_chroma_w);
        outHeight += (height & desc->log2_chroma_h);
        if (outWidth != width || outHeight != height) {
            log->warn("{} cannot hold {}x{} frames; '{}' is written at {}x{}.",
                      av_get_pix_fmt_name(format), width, height, target.string(), outWidth,
                      outHeight);
        }
    }

    if (codec->id == AV_CODEC_ID_AV1 && (outWidth < 64 || outHeight < 64)) {
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("AV1 (SVT-AV1) needs frames of at least 64x64, so '{}' cannot be "
                                "written at {}x{}. Choose a larger scale or another codec with "
                                "--codec.",
                                target.string(), outWidth, outHeight));
    }
    impl->temporary = core::temporarySibling(target);
    AVFormatContext* rawOut = nullptr;
    avformat_alloc_output_context2(&rawOut, container, nullptr, impl->temporary.c_str());
    if (rawOut == nullptr) {
        return fail(ErrorCode::Internal,
                    fmt::format("FFmpeg could not set up the {} container for '{}'.",
                                container->name, target.string()));
    }
    impl->output.reset(rawOut);
    // Timestamps are the source's own. Letting the muxer shift them to avoid a negative audio
    // start (Opus pre-skip, AAC priming) would move the video against the source on every pass.
    impl->output->avoid_negative_ts = AVFMT_AVOID_NEG_TS_DISABLED;

    impl->encoder.reset(avcodec_alloc_context3(codec));
    AVCodecContext& enc = *impl->encoder;
    enc.width = outWidth;
    enc.height = outHeight;
    enc.pix_fmt = format;
    enc.time_base = AVRational{source.timeBase.num, source.timeBase.den};
    if (source.frameRate.num > 0) {
        enc.framerate = AVRational{source.frameRate.num, source.frameRate.den};
    }
    enc.color_primaries =
        colourFromName(av_color_primaries_from_name, source.colorPrimaries, AVCOL_PRI_UNSPECIFIED);
    enc.color_trc =
        colourFromName(av_color_transfer_from_name, source.colorTransfer, AVCOL_TRC_UNSPECIFIED);
    enc.colorspace =
        colourFromName(av_color_space_from_name, source.colorMatrix, AVCOL_SPC_UNSPECIFIED);
    enc.color_range =
        colourFromName(av_color_range_from_name, source.colorRange, AVCOL_RANGE_UNSPECIFIED);
    if (desc != nullptr && (desc->flags & AV_PIX_FMT_FLAG_RGB) != 0) {
        enc.color_range = AVCOL_RANGE_JPEG;
    }
    enc.thread_count = 0;
    if ((container->flags & AVFMT_GLOBALHEADER) != 0) {
        enc.flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    }
    AVDictionary* encoderOptions = nullptr;
    if (options.crf >= 0) {
        av_dict_set_int(&encoderOptions, "crf", options.crf, 0);
    }
    if (!options.preset.empty()) {
        av_dict_set(&encoderOptions, "preset", options.preset.c_str(), 0);
    }
    const int opened = avcodec_open2(&enc, codec, &encoderOptions);
    for (const AVDictionaryEntry* e = nullptr;
         (e = av_dict_get(encoderOptions, "", e, AV_DICT_IGNORE_SUFFIX)) != nullptr;) {
        log->warn("The {} encoder has no option '{}'; it is ignored.", codec->name, e->key);
    }
    av_dict_free(&encoderOptions);
    if (opened < 0) {
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("Cannot open the {} encoder for '{}' ({}x{}, {}): {}. Check "
                                "--preset, --crf and --pix-fmt.",
                                codec->name, target.string(), outWidth, outHeight,
                                av_get_pix_fmt_name(format), ff::errorText(opened)));
    }

    impl->stream = avformat_new_stream(impl->output.get(), nullptr);
    avcodec_parameters_from_context(impl->stream->codecpar, &enc);
    impl->stream->time_base = enc.time_base;
    if (enc.framerate.num > 0) {
        impl->stream->avg_frame_rate = enc.framerate;
    }

    auto copier = StreamCopier::open(sourceFile, *impl->output, impl->stream, options);
    if (!copier) {
        return fail(copier.error());
    }
    impl->copier = std::move(*copier);

    if ((container->flags & AVFMT_NOFILE) == 0) {
        if (const int rc = avio_open(&impl->output->pb, impl->temporary.c_str(), AVIO_FLAG_WRITE);
            rc < 0) {
            return fail(ErrorCode::Io,
                        fmt::format("Cannot create '{}': {}. Check that the folder exists and is "
                                    "writable.",
                                    impl->temporary.string(), ff::errorText(rc)));
        }
    }
    if (const int rc = avformat_write_header(impl->output.get(), nullptr); rc < 0) {
        return fail(ErrorCode::Io, fmt::format("Cannot start writing '{}': {}.", target.string(),
                                               ff::errorText(rc)));
    }

    const AVPixelFormat rgb = source.deep() ? AV_PIX_FMT_RGB48 : AV_PIX_FMT_RGB24;
    impl->sws.reset(sws_getContext(width, height, rgb, outWidth, outHeight, format,
                                   SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT, nullptr,
                                   nullptr, nullptr));
    if (!impl->sws) {
        return fail(ErrorCode::UnsupportedFormat,
                    fmt::format("Cannot convert RGB frames to {} for '{}'. Choose another "
                                "--pix-fmt.",
                                av_get_pix_fmt_name(format), target.string()));
    }
    // The same matrix and range the source was read with, so colours round-trip unchanged.
    const int* coefficients = ff::swsCoefficients(enc.colorspace, width, height);
    sws_setColorspaceDetails(impl->sws.get(), coefficients, 1, coefficients,
                             enc.color_range == AVCOL_RANGE_JPEG ? 1 : 0, 0, 1 << 16, 1 << 16);

    AVFrame& f = *impl->frame;
    f.format = format;
    f.width = outWidth;
    f.height = outHeight;
    f.color_primaries = enc.color_primaries;
    f.color_trc = enc.color_trc;
    f.colorspace = enc.colorspace;
    f.color_range = enc.color_range;
    if (const int rc = av_frame_get_buffer(&f, 0); rc < 0) {
        return fail(ErrorCode::OutOfMemory, fmt::format("Out of memory for a {}x{} frame of '{}'.",
                                                        outWidth, outHeight, target.string()));
    }
    log->debug("Writing '{}': {} {}x{} {} in {}", target.string(), codec->name, outWidth, outHeight,
               av_get_pix_fmt_name(format), container->name);
    return std::unique_ptr<VideoWriter>(new VideoWriter(std::move(impl)));
}

core::Result<void> VideoWriter::write(const VideoFrame& frame) {
    Impl& d = *m_impl;
    const core::Image& image = frame.image;
    if (image.width() != d.inputWidth || image.height() != d.inputHeight || image.channels() != 3) {
        return fail(ErrorCode::Internal,
                    fmt::format("Frame {} for '{}' is {}x{} with {} channels; the writer expects "
                                "{}x{} RGB.",
                                frame.index, d.target.string(), image.width(), image.height(),
                                image.channels(), d.inputWidth, d.inputHeight));
    }
    if (const int rc = av_frame_make_writable(d.frame.get()); rc < 0) {
        return d.ioError(rc, "prepare a frame for");
    }
    const std::array<const std::uint8_t*, 4> src{image.row(0), nullptr, nullptr, nullptr};
    const std::array<int, 4> stride{static_cast<int>(image.rowBytes()), 0, 0, 0};
    sws_scale(d.sws.get(), src.data(), stride.data(), 0, image.height(), d.frame->data,
              d.frame->linesize);
    d.frame->pts = frame.pts;
    if (const int rc = avcodec_send_frame(d.encoder.get(), d.frame.get()); rc < 0) {
        return d.ioError(rc, "encode a frame for");
    }
    d.lastSeconds = frame.pts * av_q2d(d.encoder->time_base);
    return d.drain();
}

core::Result<fs::path> VideoWriter::finish(bool complete, const fs::path& finalPath) {
    Impl& d = *m_impl;
    if (const int rc = avcodec_send_frame(d.encoder.get(), nullptr); rc < 0) {
        return fail(d.ioError(rc, "finish encoding").error());
    }
    if (auto drained = d.drain(); !drained) {
        return fail(drained.error());
    }
    if (d.copier) {
        // A finished frame lasts until the next one; the copied streams stop at the same point.
        const double until = complete ? std::numeric_limits<double>::infinity() : d.lastSeconds;
        if (auto copied = d.copier->copyUntil(until); !copied) {
            return fail(copied.error());
        }
    }
    if (const int rc = av_write_trailer(d.output.get()); rc < 0) {
        return fail(d.ioError(rc, "finish").error());
    }
    d.output.reset();
    d.finished = true;
    std::error_code ec;
    fs::rename(d.temporary, finalPath, ec);
    if (ec) {
        return fail(ErrorCode::Io,
                    fmt::format("Cannot rename the finished video to '{}': {}. It is kept as "
                                "'{}'.",
                                finalPath.string(), ec.message(), d.temporary.string()));
    }
    return finalPath;
}

}  // namespace upscale::media
