#include "ffmpeg_handles.hpp"

#include <array>
#include <cmath>
#include <mutex>
#include <string_view>

extern "C" {
#include <libavutil/display.h>
#include <libavutil/error.h>
#include <libavutil/log.h>
}

#include "animated_webp.hpp"
#include "upscale/core/files.hpp"
#include "upscale/core/logging.hpp"
#include "upscale/media/video.hpp"

namespace upscale::media::ff {

namespace {

thread_local int quietDepth = 0;

void logCallback(void* avcl, int level, const char* format, va_list args) {
    if (level > av_log_get_level()) {
        return;
    }
    std::array<char, 1024> line{};
    int printPrefix = 1;
    av_log_format_line2(avcl, level, format, args, line.data(), static_cast<int>(line.size()),
                        &printPrefix);
    std::string_view text(line.data());
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
        text.remove_suffix(1);
    }
    if (text.empty()) {
        return;
    }
    auto log = core::logger("ffmpeg");
    if (quietDepth > 0) {
        log->debug("{}", text);
    } else if (level <= AV_LOG_ERROR) {
        log->error("{}", text);
    } else if (level <= AV_LOG_WARNING) {
        log->warn("{}", text);
    } else if (level <= AV_LOG_INFO) {
        log->info("{}", text);
    } else {
        log->debug("{}", text);
    }
}

}  // namespace

std::string errorText(int code) {
    std::array<char, AV_ERROR_MAX_STRING_SIZE> text{};
    av_strerror(code, text.data(), text.size());
    return text.data();
}

QuietLog::QuietLog() {
    ++quietDepth;
}

QuietLog::~QuietLog() {
    --quietDepth;
}

core::Error writeError(int rc, const std::filesystem::path& path) {
    // System errors are small positive errno values; FFmpeg's own codes are four-letter tags.
    constexpr int kLargestErrno = 4095;
    const int errnum = AVUNERROR(rc);
    if (errnum > 0 && errnum <= kLargestErrno) {
        return core::writeError(path, errnum);
    }
    return {core::ErrorCode::UnsupportedFormat,
            "Cannot write '" + path.string() + "': FFmpeg refused it (" + errorText(rc) + ").",
            core::Remedy::None, path.string()};
}

void bridgeLog() {
    static std::once_flag once;
    std::call_once(once, [] {
        av_log_set_level(AV_LOG_WARNING);
        av_log_set_callback(logCallback);
    });
}

int openInput(const char* path, InputPtr& out) {
    if (animatedImageKind(path) == AnimatedImage::WebP) {
        return openAnimatedWebP(path, out);
    }
    AVFormatContext* raw = nullptr;
    if (const int rc = avformat_open_input(&raw, path, nullptr, nullptr); rc < 0) {
        return rc;
    }
    InputPtr ctx(raw);
    if (const int rc = avformat_find_stream_info(ctx.get(), nullptr); rc < 0) {
        return rc;
    }
    out = std::move(ctx);
    return 0;
}

AVColorSpace untaggedMatrix(int width, int height) {
    // Untagged material follows the convention players use: BT.709 for HD, else BT.601.
    return (width >= 1280 || height > 576) ? AVCOL_SPC_BT709 : AVCOL_SPC_SMPTE170M;
}

const int* swsCoefficients(AVColorSpace space, int width, int height) {
    if (space == AVCOL_SPC_UNSPECIFIED) {
        space = untaggedMatrix(width, height);
    }
    return sws_getCoefficients(static_cast<int>(space));
}

AVPixelFormat withoutJ(AVPixelFormat format) {
    switch (format) {
        case AV_PIX_FMT_YUVJ420P:
            return AV_PIX_FMT_YUV420P;
        case AV_PIX_FMT_YUVJ422P:
            return AV_PIX_FMT_YUV422P;
        case AV_PIX_FMT_YUVJ444P:
            return AV_PIX_FMT_YUV444P;
        case AV_PIX_FMT_YUVJ440P:
            return AV_PIX_FMT_YUV440P;
        default:
            return format;
    }
}

double streamRotation(const AVStream* stream) {
    const auto* matrix = reinterpret_cast<const std::int32_t*>(
        av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, nullptr));
    if (matrix == nullptr) {
        return 0.0;
    }
    const double rotation = av_display_rotation_get(matrix);
    return std::isnan(rotation) ? 0.0 : rotation;
}

}  // namespace upscale::media::ff
