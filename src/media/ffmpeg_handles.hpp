#pragma once
// Private to the media module: FFmpeg handles owned by std::unique_ptr with functor deleters,
// FFmpeg error codes turned into text, and FFmpeg's log bridged into spdlog.

#include <filesystem>
#include <memory>
#include <string>

#include "upscale/core/error.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
#include <libswscale/swscale.h>
}

namespace upscale::media::ff {

struct InputDeleter {
    void operator()(AVFormatContext* ctx) const { avformat_close_input(&ctx); }
};
struct OutputDeleter {
    void operator()(AVFormatContext* ctx) const {
        if (ctx != nullptr && !(ctx->oformat->flags & AVFMT_NOFILE) && ctx->pb != nullptr) {
            avio_closep(&ctx->pb);
        }
        avformat_free_context(ctx);
    }
};
struct CodecDeleter {
    void operator()(AVCodecContext* ctx) const { avcodec_free_context(&ctx); }
};
struct FrameDeleter {
    void operator()(AVFrame* frame) const { av_frame_free(&frame); }
};
struct PacketDeleter {
    void operator()(AVPacket* packet) const { av_packet_free(&packet); }
};
struct SwsDeleter {
    void operator()(SwsContext* ctx) const { sws_freeContext(ctx); }
};

using InputPtr = std::unique_ptr<AVFormatContext, InputDeleter>;
using OutputPtr = std::unique_ptr<AVFormatContext, OutputDeleter>;
using CodecPtr = std::unique_ptr<AVCodecContext, CodecDeleter>;
using FramePtr = std::unique_ptr<AVFrame, FrameDeleter>;
using PacketPtr = std::unique_ptr<AVPacket, PacketDeleter>;
using SwsPtr = std::unique_ptr<SwsContext, SwsDeleter>;

/// FFmpeg's text for an AVERROR code.
[[nodiscard]] std::string errorText(int code);

/// The error for a failed write of `path` with the FFmpeg code `rc`: a system error (errno) as
/// core::writeError words it (DiskFull only for a full disk or quota, or a file too large), and
/// anything FFmpeg itself refused (a stream the muxer will not take) as UnsupportedFormat with
/// FFmpeg's reason.
[[nodiscard]] core::Error writeError(int rc, const std::filesystem::path& path);

/// While one lives, FFmpeg's messages from this thread are logged at debug level only: for
/// trials whose failure the caller words itself.
class QuietLog {
public:
    QuietLog();
    ~QuietLog();
    QuietLog(const QuietLog&) = delete;
    QuietLog& operator=(const QuietLog&) = delete;
};

/// Routes av_log into the "ffmpeg" spdlog logger at warning level and above. Idempotent.
void bridgeLog();

/// Opens a file for demuxing and reads its stream information. Returns the FFmpeg code on
/// failure (0 on success).
[[nodiscard]] int openInput(const char* path, InputPtr& out);

/// The matrix players assume for an untagged YUV picture of this size: BT.709 for HD, else
/// BT.601.
[[nodiscard]] AVColorSpace untaggedMatrix(int width, int height);

/// The SWS_CS_* coefficients for a colour matrix (untaggedMatrix() when untagged).
[[nodiscard]] const int* swsCoefficients(AVColorSpace space, int width, int height);

/// The plain layout of a deprecated full-range "J" format (yuvj420p -> yuv420p); the range is
/// carried by a tag instead. Other formats are returned unchanged.
[[nodiscard]] AVPixelFormat withoutJ(AVPixelFormat format);

/// Display rotation in degrees from a stream's display matrix; 0 when there is none.
[[nodiscard]] double streamRotation(const AVStream* stream);

}  // namespace upscale::media::ff
