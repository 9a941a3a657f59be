// Animated WebP as a video: libwebp's animation decoder composes each frame (RGBA, with its
// display time in milliseconds), and the frames are stored losslessly (FFV1, BGRA) in a Matroska
// file with millisecond timestamps, which FFmpeg then reads like any other video. The FFmpeg
// libraries of Debian 12 decode still WebP only.

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <vector>

#include <fmt/format.h>
#include <unistd.h>
#include <webp/demux.h>

#include "animated_webp.hpp"

namespace upscale::media::ff {
namespace fs = std::filesystem;

namespace {

struct AnimDecoderDeleter {
    void operator()(WebPAnimDecoder* dec) const { WebPAnimDecoderDelete(dec); }
};
using AnimDecoderPtr = std::unique_ptr<WebPAnimDecoder, AnimDecoderDeleter>;

/// Sends `frame` (nullptr flushes) and writes every packet the encoder has ready.
/// `duration` (in the encoder's time base) is given to packets the encoder left without one.
int encodeAndWrite(AVCodecContext* enc, AVFormatContext* out, const AVFrame* frame,
                   std::int64_t duration) {
    int rc = avcodec_send_frame(enc, frame);
    PacketPtr pkt(av_packet_alloc());
    while (rc >= 0) {
        rc = avcodec_receive_packet(enc, pkt.get());
        if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) {
            return 0;
        }
        if (rc < 0) {
            return rc;
        }
        if (pkt->duration <= 0) {
            pkt->duration = duration;
        }
        av_packet_rescale_ts(pkt.get(), enc->time_base, out->streams[0]->time_base);
        pkt->stream_index = 0;
        rc = av_interleaved_write_frame(out, pkt.get());
    }
    return rc;
}

/// What the Matroska file does not say of the animation: its frame count, and its length
/// (milliseconds) with the last frame's display time.
struct Extent {
    int frames = 0;
    int milliseconds = 0;
};

/// Writes the frames of the animation in `data` to `target` as FFV1 in Matroska.
int writeLossless(const std::vector<std::uint8_t>& data, const fs::path& target, Extent& extent) {
    WebPData webp{data.data(), data.size()};
    WebPAnimDecoderOptions options;
    if (WebPAnimDecoderOptionsInit(&options) == 0) {
        return AVERROR(EINVAL);
    }
    options.color_mode = MODE_BGRA;
    AnimDecoderPtr dec(WebPAnimDecoderNew(&webp, &options));
    WebPAnimInfo info;
    if (!dec || WebPAnimDecoderGetInfo(dec.get(), &info) == 0 || info.frame_count == 0) {
        return AVERROR_INVALIDDATA;
    }
    const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_FFV1);
    if (codec == nullptr) {
        return AVERROR_ENCODER_NOT_FOUND;
    }
    CodecPtr enc(avcodec_alloc_context3(codec));
    enc->width = static_cast<int>(info.canvas_width);
    enc->height = static_cast<int>(info.canvas_height);
    enc->pix_fmt = AV_PIX_FMT_BGRA;
    enc->time_base = {1, 1000};
    AVFormatContext* raw = nullptr;
    if (const int rc = avformat_alloc_output_context2(&raw, nullptr, "matroska", target.c_str());
        rc < 0) {
        return rc;
    }
    OutputPtr out(raw);
    if (const int rc = avcodec_open2(enc.get(), codec, nullptr); rc < 0) {
        return rc;
    }
    AVStream* st = avformat_new_stream(out.get(), nullptr);
    st->time_base = enc->time_base;
    if (const int rc = avcodec_parameters_from_context(st->codecpar, enc.get()); rc < 0) {
        return rc;
    }
    if (const int rc = avio_open(&out->pb, target.c_str(), AVIO_FLAG_WRITE); rc < 0) {
        return rc;
    }
    if (const int rc = avformat_write_header(out.get(), nullptr); rc < 0) {
        return rc;
    }
    FramePtr frame(av_frame_alloc());
    frame->format = enc->pix_fmt;
    frame->width = enc->width;
    frame->height = enc->height;
    if (const int rc = av_frame_get_buffer(frame.get(), 0); rc < 0) {
        return rc;
    }
    int start = 0;
    while (WebPAnimDecoderHasMoreFrames(dec.get()) != 0) {
        std::uint8_t* pixels = nullptr;
        int end = 0;  // the time the frame stops showing, in milliseconds
        if (WebPAnimDecoderGetNext(dec.get(), &pixels, &end) == 0) {
            return AVERROR_INVALIDDATA;
        }
        if (const int rc = av_frame_make_writable(frame.get()); rc < 0) {
            return rc;
        }
        const int rowBytes = enc->width * 4;
        for (int y = 0; y < enc->height; ++y) {
            std::copy_n(pixels + static_cast<std::ptrdiff_t>(y) * rowBytes, rowBytes,
                        frame->data[0] + static_cast<std::ptrdiff_t>(y) * frame->linesize[0]);
        }
        frame->pts = start;
        const int duration = std::max(1, end - start);
        frame->pkt_duration = duration;
        start = end;
        ++extent.frames;
        extent.milliseconds = end;
        if (const int rc = encodeAndWrite(enc.get(), out.get(), frame.get(), duration); rc < 0) {
            return rc;
        }
    }
    if (const int rc = encodeAndWrite(enc.get(), out.get(), nullptr, 0); rc < 0) {
        return rc;
    }
    return av_write_trailer(out.get());
}

}  // namespace

int openAnimatedWebP(const fs::path& path, InputPtr& out) {
    std::ifstream in(path, std::ios::binary);
    const std::vector<std::uint8_t> data((std::istreambuf_iterator<char>(in)),
                                         std::istreambuf_iterator<char>());
    if (!in.eof() && in.fail()) {
        return AVERROR(EIO);
    }
    static std::atomic<unsigned> serial{0};
    std::error_code ec;
    const fs::path temp =
        fs::temp_directory_path(ec) / fmt::format("upscale-webp-{}-{}.mkv", ::getpid(), serial++);
    Extent extent;
    int rc = writeLossless(data, temp, extent);
    if (rc >= 0) {
        AVFormatContext* raw = nullptr;
        rc = avformat_open_input(&raw, temp.c_str(), nullptr, nullptr);
        if (rc >= 0) {
            InputPtr ctx(raw);
            rc = avformat_find_stream_info(ctx.get(), nullptr);
            if (rc >= 0) {
                AVStream* st = ctx->streams[0];
                st->nb_frames = extent.frames;
                st->duration = av_rescale_q(extent.milliseconds, {1, 1000}, st->time_base);
                out = std::move(ctx);
            }
        }
    }
    // The open input keeps reading the file after its name is gone.
    fs::remove(temp, ec);
    return rc;
}

}  // namespace upscale::media::ff
