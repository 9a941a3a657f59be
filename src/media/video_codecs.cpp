#include "video_codecs.hpp"

#include <algorithm>
#include <array>
#include <string_view>

#include <fmt/format.h>

extern "C" {
#include <libavutil/pixdesc.h>
}

#include "upscale/media/formats.hpp"
#include "upscale/media/image_io.hpp"
#include "upscale/media/video_writer.hpp"

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

}  // namespace

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

namespace {

bool isRgb(const AVPixFmtDescriptor* desc) {
    return desc != nullptr && (desc->flags & AV_PIX_FMT_FLAG_RGB) != 0;
}

}  // namespace

int bitsPerSample(AVPixelFormat format) {
    const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(format);
    return desc != nullptr ? desc->comp[0].depth : 8;
}

bool isRgbFormat(AVPixelFormat format) {
    return isRgb(av_pix_fmt_desc_get(format));
}

bool hasAlphaChannel(AVPixelFormat format) {
    const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(format);
    return desc != nullptr && (desc->flags & AV_PIX_FMT_FLAG_ALPHA) != 0;
}

const AVCodec* encoderForSource(const AVCodec* codec, bool rgbVideo) {
    if (std::string_view(codec->name) == "libx264" && rgbVideo) {
        if (const AVCodec* rgb = avcodec_find_encoder_by_name("libx264rgb")) {
            return rgb;
        }
    }
    return codec;
}

AVPixelFormat fallbackFormat(const AVCodec* codec, AVPixelFormat source, bool rgbVideo) {
    const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(source);
    const bool deep = desc != nullptr && desc->comp[0].depth > 8;
    const bool rgb = isRgb(desc);
    const bool yuv = desc != nullptr && !rgb && (desc->flags & AV_PIX_FMT_FLAG_PAL) == 0 &&
                     desc->nb_components >= 3;
    if (hasAlphaChannel(source)) {
        // Alpha stays where the encoder has a layout for it: ProRes 4444 with alpha, FFV1.
        const AVPixelFormat best =
            codec->id == AV_CODEC_ID_PRORES
                ? AV_PIX_FMT_YUVA444P10
                : (codec->pix_fmts != nullptr
                       ? avcodec_find_best_pix_fmt_of_list(codec->pix_fmts, source, 1, nullptr)
                       : AV_PIX_FMT_NONE);
        if (hasAlphaChannel(best) && supports(codec, best)) {
            return best;
        }
    }
    if (codec->id == AV_CODEC_ID_PRORES) {
        // ProRes 4444 for RGB and full-chroma sources, else the usual 4:2:2 10-bit.
        const bool fullChroma =
            rgb || (yuv && desc->log2_chroma_w == 0 && desc->log2_chroma_h == 0);
        const AVPixelFormat prores = fullChroma ? AV_PIX_FMT_YUV444P10 : AV_PIX_FMT_YUV422P10;
        if (supports(codec, prores)) {
            return prores;
        }
    }
    if (rgb && rgbVideo && codec->pix_fmts != nullptr) {
        // An RGB source stays RGB where the encoder has an RGB layout (FFV1, x264rgb, x265).
        const AVPixelFormat best =
            avcodec_find_best_pix_fmt_of_list(codec->pix_fmts, source, 0, nullptr);
        if (isRgbFormat(best)) {
            return best;
        }
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
    static const std::vector<std::string> kExtensions =
        extensionsOf(filesOf(videoContainers()), FormatUse::Write);
    return kExtensions;
}

bool hasVideoOutputExtension(const fs::path& path) {
    const auto& all = videoOutputExtensions();
    return std::find(all.begin(), all.end(), lowerExtension(path)) != all.end();
}

const std::vector<std::string>& animationOutputExtensions() {
    static const std::vector<std::string> kExtensions =
        extensionsOf(filesOf(animationFormats()), FormatUse::Write);
    return kExtensions;
}

bool hasAnimationOutputExtension(const fs::path& path) {
    const auto& all = animationOutputExtensions();
    return std::find(all.begin(), all.end(), lowerExtension(path)) != all.end();
}

}  // namespace upscale::media
