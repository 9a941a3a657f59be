#include "upscale/media/video_writer.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <optional>

#include <fmt/format.h>

extern "C" {
#include <libavutil/pixdesc.h>
}

#include "animation_out.hpp"
#include "ffmpeg_handles.hpp"
#include "segment_encoder.hpp"
#include "segment_file.hpp"
#include "segment_join.hpp"
#include "stream_plan.hpp"
#include "upscale/core/barrier.hpp"
#include "upscale/core/logging.hpp"
#include "upscale/core/paths.hpp"
#include "upscale/media/formats.hpp"
#include "video_codecs.hpp"
#include "video_metadata.hpp"

namespace upscale::media {
namespace fs = std::filesystem;

namespace {

using core::ErrorCode;
using core::fail;

template <typename T>
T colourFromName(int (*parse)(const char*), const std::string& name, T fallback) {
    const int value = parse(name.c_str());
    return value < 0 ? fallback : static_cast<T>(value);
}

core::Error cannotHold(const AVOutputFormat& container, const AVCodec& codec,
                       const fs::path& target) {
    return core::Error{
        ErrorCode::InvalidArgument,
        fmt::format("The {} container cannot hold {} video, so '{}' cannot be written. "
                    "Matroska (MKV) holds every codec offered.",
                    container.name, avcodec_get_name(codec.id), target.string()),
        core::Remedy::ChooseContainer, target.string()};
}

}  // namespace

std::string segmentFileName(int index) {
    return fmt::format("{:06d}.seg", index);
}

struct VideoWriter::Impl {
    fs::path target;
    fs::path sourceFile;
    VideoWriteOptions options;
    SegmentOptions segments;
    bool ownFolder = false;  ///< the segment folder is ours to remove
    AnimationFormat animation = AnimationFormat::None;
    bool alpha = false;            ///< frames come as RGBA and the output keeps alpha
    std::int64_t frameLength = 1;  ///< the usual frame's duration, in the time base
    EncoderConfig config;
    std::optional<SegmentEncoder> coder;
    StreamPlan plan;
    VideoMetadata metadata;
    int turns = 0;       ///< clockwise quarter turns given to each frame before encoding
    core::Image turned;  ///< the turned frame, when turns != 0
    std::optional<SegmentFileWriter> file;
    SegmentInfo current;
    std::vector<fs::path> closed;  ///< every segment file to join, in order
    ff::SwsPtr sws;
    ff::PacketPtr packet{av_packet_alloc()};
    int inputWidth = 0, inputHeight = 0;
    std::int64_t nextFrame = 0;
    std::int64_t lastPts = 0;
    bool finished = false;

    core::Result<void> beginSegment(std::int64_t pts) {
        if (auto ok = coder->open(); !ok) {
            return ok;
        }
        current = SegmentInfo{};
        current.index = static_cast<int>(closed.size());
        current.file = segments.folder / segmentFileName(current.index);
        current.firstFrame = nextFrame;
        current.firstPts = pts;
        auto created = SegmentFileWriter::create(current.file, coder->header());
        if (!created) {
            return fail(created.error());
        }
        file.emplace(std::move(*created));
        return {};
    }

    /// Moves every packet the encoder has ready into the segment file.
    core::Result<void> drain() {
        for (;;) {
            auto got = coder->receive(*packet);
            if (!got || !*got) {
                return got ? core::Result<void>{} : fail(got.error());
            }
            auto written = file->write(*packet);
            av_packet_unref(packet.get());
            if (!written) {
                return written;
            }
        }
    }

    /// Flushes the encoder and closes the segment file; `journal` reports it as closed.
    core::Result<void> closeSegment(bool journal) {
        if (auto ended = coder->endStream(); !ended) {
            return ended;
        }
        if (auto drained = drain(); !drained) {
            return drained;
        }
        coder->close();
        auto bytes = file->close();
        file.reset();
        if (!bytes) {
            return fail(bytes.error());
        }
        current.bytes = *bytes;
        closed.push_back(current.file);
        if (journal && segments.onClosed) {
            return segments.onClosed(current);
        }
        return {};
    }

    ~Impl() {
        if (finished) {
            return;
        }
        coder.reset();
        file.reset();
        std::error_code ec;
        if (ownFolder && !segments.folder.empty()) {
            fs::remove_all(segments.folder, ec);
        }
    }
};

namespace {

/// Plans the other streams and has the muxer try the header with them, before the first frame.
core::Result<void> planAndTryJoin(VideoWriter::Impl& impl, const AVOutputFormat& container,
                                  const SegmentHeader& header) {
    auto plan = planStreams(impl.sourceFile, container, impl.options);
    if (!plan) {
        return fail(plan.error());
    }
    impl.plan = std::move(*plan);
    const double all = std::numeric_limits<double>::infinity();
    if (!tryJoin({{}, impl.target, impl.target, impl.sourceFile, {}, all}, header)) {
        // The codec lookup is not the muxer's last word (AV1 in MOV).
        return fail(cannotHold(container, *impl.config.codec, impl.target));
    }
    return tryJoin({{}, impl.target, impl.target, impl.sourceFile, impl.plan, all, impl.metadata},
                   header);
}

}  // namespace

VideoWriter::VideoWriter(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
VideoWriter::~VideoWriter() = default;

fs::path VideoWriter::partialPath(const fs::path& target) {
    return target.parent_path() /
           fmt::format("{}.partial{}", target.stem().string(), target.extension().string());
}

core::Result<std::unique_ptr<VideoWriter>> VideoWriter::createUnguarded(
    const fs::path& target, const fs::path& sourceFile, const VideoProbe& source, int width,
    int height, const VideoWriteOptions& options, SegmentOptions segments) {
    ff::bridgeLog();
    if (auto valid = options.validate(); !valid) {
        return fail(valid.error());
    }
    auto log = core::logger("media");
    auto impl = std::make_unique<Impl>();
    impl->target = target;
    impl->sourceFile = sourceFile;
    impl->options = options;
    impl->inputWidth = width;
    impl->inputHeight = height;
    impl->animation = animationFormatOf(target);
    const bool animation = impl->animation != AnimationFormat::None;
    const AVOutputFormat* container = av_guess_format(nullptr, target.c_str(), nullptr);
    if (container == nullptr) {
        return fail(
            ErrorCode::InvalidArgument,
            fmt::format("Cannot tell the video container from the name '{}'. Video "
                        "outputs end in {}.",
                        target.string(),
                        extensionChoice(filesOf(videoContainers()), FormatUse::Write, true)));
    }
    // An animation's frames are kept losslessly until the join encodes the animation.
    const char* encoderName = animation ? "ffv1" : encoderFor(options.codec, target);
    const AVCodec* codec = encoderName ? avcodec_find_encoder_by_name(encoderName) : nullptr;
    const AVPixelFormat sourceFormat = ff::withoutJ(av_get_pix_fmt(source.pixelFormat.c_str()));
    const bool rgbVideo = isRgbFormat(sourceFormat) && source.colorMatrix == "gbr";
    if (codec != nullptr && options.pixelFormat.empty()) {
        codec = encoderForSource(codec, rgbVideo);
    }
    if (codec == nullptr) {
        return fail(ErrorCode::UnsupportedFormat,
                    fmt::format("The {} encoder is not available in this FFmpeg build, so '{}' "
                                "cannot be written with it.",
                                encoderName ? encoderName : options.codec, target.string()),
                    core::Remedy::ChooseCodec, target.string());
    }
    if (!animation && avformat_query_codec(container, codec->id, FF_COMPLIANCE_NORMAL) != 1) {
        return fail(cannotHold(*container, *codec, target));
    }

    AVPixelFormat format = sourceFormat;
    if (animation) {
        format = source.alpha ? AV_PIX_FMT_BGRA : AV_PIX_FMT_BGR0;
    } else if (!options.pixelFormat.empty()) {
        format = av_get_pix_fmt(options.pixelFormat.c_str());
        if (!supports(codec, format)) {
            return fail(ErrorCode::InvalidArgument,
                        fmt::format("The {} encoder cannot write pixel format {}; without a "
                                    "pixel format the source's is followed.",
                                    codec->name, options.pixelFormat),
                        core::Remedy::PixelFormat, target.string());
        }
    } else if (format == AV_PIX_FMT_NONE || !supports(codec, format)) {
        format = fallbackFormat(codec, format, rgbVideo);
        if (source.bitsPerComponent > bitsPerSample(format)) {
            log->warn(
                "'{}' has {} bits per sample; the {} encoder writes at most {}, so '{}' is "
                "written with {} bits per sample.",
                sourceFile.string(), source.bitsPerComponent, codec->name, bitsPerSample(format),
                target.string(), bitsPerSample(format));
        }
    }
    // The source's alpha is upscaled and kept when the output's layout has an alpha channel.
    impl->alpha = source.alpha && hasAlphaChannel(format);
    impl->metadata = readVideoMetadata(sourceFile);
    reportMetadataLosses(impl->metadata, sourceFile, target);
    if (animation || !holdsDisplayMatrix(*container)) {
        // The container has no place for the rotation: the pictures are turned instead.
        impl->turns = clockwiseQuarterTurns(impl->metadata.rotation);
        impl->metadata.picturesTurned = impl->turns != 0;
    }
    if (impl->turns % 2 == 1) {
        std::swap(width, height);
        std::swap(impl->metadata.sampleAspect.num, impl->metadata.sampleAspect.den);
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
                                "written at {}x{}. A larger scale or another codec can write it.",
                                target.string(), outWidth, outHeight),
                    core::Remedy::ChooseCodec, target.string());
    }

    EncoderConfig& config = impl->config;
    config.codec = codec;
    config.format = format;
    config.width = outWidth;
    config.height = outHeight;
    config.timeBase = AVRational{source.timeBase.num, source.timeBase.den};
    if (source.frameRate.num > 0) {
        config.frameRate = AVRational{source.frameRate.num, source.frameRate.den};
    }
    config.primaries =
        colourFromName(av_color_primaries_from_name, source.colorPrimaries, AVCOL_PRI_UNSPECIFIED);
    config.transfer =
        colourFromName(av_color_transfer_from_name, source.colorTransfer, AVCOL_TRC_UNSPECIFIED);
    config.matrix =
        colourFromName(av_color_space_from_name, source.colorMatrix, AVCOL_SPC_UNSPECIFIED);
    config.range =
        colourFromName(av_color_range_from_name, source.colorRange, AVCOL_RANGE_UNSPECIFIED);
    if (isRgbFormat(format)) {
        config.matrix = AVCOL_SPC_RGB;
        config.range = AVCOL_RANGE_JPEG;
    } else if (isRgbFormat(sourceFormat) || config.matrix == AVCOL_SPC_RGB) {
        // RGB written as YUV: a real YUV matrix, tagged, in the usual limited range.
        config.matrix = AVCOL_SPC_BT709;
        config.range = AVCOL_RANGE_MPEG;
    } else if (codec->id == AV_CODEC_ID_PRORES) {
        // ProRes holds limited-range samples only.
        config.range = AVCOL_RANGE_MPEG;
    }
    if (!isRgbFormat(format) && config.range != AVCOL_RANGE_UNSPECIFIED &&
        config.matrix == AVCOL_SPC_UNSPECIFIED) {
        // H.264 and MP4 store the range only beside a matrix: the one the frames are converted
        // with is named, so that the range is kept.
        config.matrix = ff::untaggedMatrix(width, height);
    }
    config.sampleAspect = impl->metadata.sampleAspect;
    config.fieldOrder = impl->metadata.fieldOrder;
    config.crf = options.crf;
    config.preset = options.preset;
    auto coder = SegmentEncoder::create(config, target);
    if (!coder) {
        return fail(coder.error());
    }
    impl->coder.emplace(std::move(*coder));
    // Before any frame is upscaled: an encoder that encodes a frame and closes, every other
    // stream's fate decided, and the muxer's header written with exactly those streams.
    auto header = impl->coder->trial();
    if (!header) {
        return fail(header.error());
    }
    if (animation) {
        if (auto ok =
                checkAnimation(impl->animation, sourceFile, target, outWidth, outHeight, options);
            !ok) {
            return fail(ok.error());
        }
        // A frame lasts until the next one; the last one as long as the usual frame.
        if (source.frameRate.num > 0 && source.frameRate.den > 0) {
            impl->frameLength = std::max<std::int64_t>(
                1, av_rescale_q(1, AVRational{source.frameRate.den, source.frameRate.num},
                                config.timeBase));
        }
    } else if (auto ok = planAndTryJoin(*impl, *container, *header); !ok) {
        return fail(ok.error());
    }

    if (segments.folder.empty()) {
        segments.folder = core::temporarySibling(target);
        segments.folder.replace_extension(".segments");
        impl->ownFolder = true;
    }
    std::error_code ec;
    fs::create_directories(segments.folder, ec);
    if (ec) {
        return fail(core::ioErrorCode(ec.value()),
                    fmt::format("Cannot create the folder '{}' for the video segments of '{}': "
                                "{}. Check that the output folder is writable.",
                                segments.folder.string(), target.string(), ec.message()));
    }
    for (const auto& done : segments.done) {
        impl->closed.push_back(done.file);
        impl->nextFrame = done.firstFrame + done.frames;
        impl->lastPts = done.lastPts;
    }
    impl->segments = std::move(segments);

    const AVPixelFormat rgb = impl->alpha ? (source.deep() ? AV_PIX_FMT_RGBA64 : AV_PIX_FMT_RGBA)
                                          : (source.deep() ? AV_PIX_FMT_RGB48 : AV_PIX_FMT_RGB24);
    impl->sws.reset(sws_getContext(width, height, rgb, outWidth, outHeight, format,
                                   SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT, nullptr,
                                   nullptr, nullptr));
    if (!impl->sws) {
        return fail(ErrorCode::UnsupportedFormat,
                    fmt::format("Cannot convert RGB frames to {} for '{}'.",
                                av_get_pix_fmt_name(format), target.string()),
                    core::Remedy::PixelFormat, target.string());
    }
    // The same matrix and range the source was read with, so colours round-trip unchanged.
    const int* coefficients = ff::swsCoefficients(config.matrix, width, height);
    sws_setColorspaceDetails(impl->sws.get(), coefficients, 1, coefficients,
                             config.range == AVCOL_RANGE_JPEG ? 1 : 0, 0, 1 << 16, 1 << 16);

    log->debug("Writing '{}': {} {}x{} {} in {}, segments in '{}'", target.string(), codec->name,
               outWidth, outHeight, av_get_pix_fmt_name(format), container->name,
               impl->segments.folder.string());
    return std::unique_ptr<VideoWriter>(new VideoWriter(std::move(impl)));
}

core::Result<std::unique_ptr<VideoWriter>> VideoWriter::create(
    const fs::path& target, const fs::path& sourceFile, const VideoProbe& source, int width,
    int height, const VideoWriteOptions& options, SegmentOptions segments) {
    return core::guarded(fmt::format("writing '{}'", target.string()), [&] {
        return createUnguarded(target, sourceFile, source, width, height, options,
                               std::move(segments));
    });
}

core::Result<void> VideoWriter::writeUnguarded(const VideoFrame& frame) {
    Impl& d = *m_impl;
    const core::Image& image = frame.image;
    if (image.width() != d.inputWidth || image.height() != d.inputHeight ||
        image.channels() != (d.alpha ? 4 : 3)) {
        return fail(
            ErrorCode::Internal,
            fmt::format("Frame {} for '{}' is {}x{} with {} channels; the writer expects "
                        "{}x{} {}.",
                        frame.index, d.target.string(), image.width(), image.height(),
                        image.channels(), d.inputWidth, d.inputHeight, d.alpha ? "RGBA" : "RGB"));
    }
    if (d.coder->isOpen()) {
        const double since =
            static_cast<double>(frame.pts - d.current.firstPts) * av_q2d(d.config.timeBase);
        if (since >= d.segments.seconds) {
            if (auto ok = d.closeSegment(true); !ok) {
                return ok;
            }
        }
    }
    if (!d.coder->isOpen()) {
        if (auto ok = d.beginSegment(frame.pts); !ok) {
            return ok;
        }
    }
    AVFrame& out = d.coder->frame();
    if (const int rc = av_frame_make_writable(&out); rc < 0) {
        return fail(d.coder->error(rc, "prepare a frame for"));
    }
    const core::Image& shown = d.turns == 0 ? image : turnClockwise(image, d.turns, d.turned);
    const std::array<const std::uint8_t*, 4> src{shown.row(0), nullptr, nullptr, nullptr};
    const std::array<int, 4> stride{static_cast<int>(shown.rowBytes()), 0, 0, 0};
    sws_scale(d.sws.get(), src.data(), stride.data(), 0, shown.height(), out.data, out.linesize);
    if (auto sent = d.coder->send(frame.pts); !sent) {
        return sent;
    }
    ++d.current.frames;
    d.current.lastPts = frame.pts;
    d.lastPts = frame.pts;
    ++d.nextFrame;
    return d.drain();
}

bool VideoWriter::keepsAlpha() const {
    return m_impl->alpha;
}

core::Result<void> VideoWriter::write(const VideoFrame& frame) {
    return core::guarded([&] { return fmt::format("writing '{}'", m_impl->target.string()); },
                         [&] { return writeUnguarded(frame); });
}

core::Result<void> VideoWriter::closeSegmentUnguarded() {
    Impl& d = *m_impl;
    if (!d.coder->isOpen()) {
        return {};
    }
    return d.closeSegment(true);
}

core::Result<void> VideoWriter::closeSegment() {
    return core::guarded([&] { return fmt::format("writing '{}'", m_impl->target.string()); },
                         [&] { return closeSegmentUnguarded(); });
}

core::Result<fs::path> VideoWriter::finishUnguarded(bool complete, const fs::path& finalPath) {
    Impl& d = *m_impl;
    if (d.coder->isOpen()) {
        if (auto ok = d.closeSegment(complete); !ok) {
            return fail(ok.error());
        }
    }
    if (d.closed.empty()) {
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("No frame was written to '{}'.", d.target.string()));
    }
    // A finished frame lasts until the next one; the copied streams stop at the same point.
    const double until = complete ? std::numeric_limits<double>::infinity()
                                  : static_cast<double>(d.lastPts) * av_q2d(d.config.timeBase);
    // The container is put together inside the segment folder, which a later run with the same
    // segments cleans up whatever happened to this one; the rename moves it out in one step.
    const fs::path temporary = d.segments.folder / ("joined" + d.target.extension().string());
    auto joined =
        d.animation == AnimationFormat::None
            ? joinSegments({d.closed, d.target, temporary, d.sourceFile, d.plan, until, d.metadata})
            : joinAnimation({d.animation, d.closed, d.target, temporary, d.config.timeBase,
                             complete
                                 ? lastFrameDuration(d.sourceFile, d.config.timeBase, d.frameLength)
                                 : d.frameLength,
                             animationPlays(d.sourceFile), d.alpha});
    if (!joined) {
        std::error_code ignored;
        fs::remove(temporary, ignored);
        return fail(joined.error());
    }
    std::error_code ec;
    fs::rename(temporary, finalPath, ec);
    if (ec) {
        return fail(core::ioErrorCode(ec.value()),
                    fmt::format("Cannot rename the finished video to '{}': {}. It is kept as "
                                "'{}'.",
                                finalPath.string(), ec.message(), temporary.string()));
    }
    d.finished = true;
    if (d.ownFolder) {
        fs::remove_all(d.segments.folder, ec);
    }
    return finalPath;
}

core::Result<fs::path> VideoWriter::finish(bool complete, const fs::path& finalPath) {
    return core::guarded(fmt::format("finishing '{}'", finalPath.string()),
                         [&] { return finishUnguarded(complete, finalPath); });
}

}  // namespace upscale::media
