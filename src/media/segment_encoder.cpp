#include "segment_encoder.hpp"

#include <array>

#include <fmt/format.h>

extern "C" {
#include <libavutil/imgutils.h>
#include <libavutil/pixdesc.h>
}

#include "upscale/core/logging.hpp"

namespace upscale::media {
namespace fs = std::filesystem;

using core::ErrorCode;
using core::fail;

core::Result<SegmentEncoder> SegmentEncoder::create(const EncoderConfig& config,
                                                    const fs::path& target) {
    SegmentEncoder encoder(config, target);
    AVFrame& f = *encoder.m_frame;
    f.format = config.format;
    f.width = config.width;
    f.height = config.height;
    f.color_primaries = config.primaries;
    f.color_trc = config.transfer;
    f.colorspace = config.matrix;
    f.color_range = config.range;
    if (const int rc = av_frame_get_buffer(&f, 0); rc < 0) {
        return fail(ErrorCode::OutOfMemory,
                    fmt::format("Out of memory for a {}x{} frame of '{}'.", config.width,
                                config.height, target.string()));
    }
    return encoder;
}

core::Error SegmentEncoder::error(int rc, const char* doing) const {
    return core::Error{ErrorCode::Internal, fmt::format("Cannot {} '{}': {}.", doing,
                                                        m_target.string(), ff::errorText(rc))};
}

core::Result<void> SegmentEncoder::open() {
    const EncoderConfig& config = m_config;
    m_encoder.reset(avcodec_alloc_context3(config.codec));
    m_frames = 0;
    AVCodecContext& enc = *m_encoder;
    enc.width = config.width;
    enc.height = config.height;
    enc.pix_fmt = config.format;
    enc.time_base = config.timeBase;
    enc.framerate = config.frameRate;
    enc.color_primaries = config.primaries;
    enc.color_trc = config.transfer;
    enc.colorspace = config.matrix;
    enc.color_range = config.range;
    enc.sample_aspect_ratio = config.sampleAspect;
    enc.field_order = config.fieldOrder;
    enc.thread_count = 0;
    // Parameter sets go in the stream header, once, for the segments to share.
    enc.flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    AVDictionary* encoderOptions = nullptr;
    if (config.crf >= 0) {
        av_dict_set_int(&encoderOptions, "crf", config.crf, 0);
    }
    if (!config.preset.empty()) {
        av_dict_set(&encoderOptions, "preset", config.preset.c_str(), 0);
    }
    const int opened = avcodec_open2(&enc, config.codec, &encoderOptions);
    for (const AVDictionaryEntry* e = nullptr;
         (e = av_dict_get(encoderOptions, "", e, AV_DICT_IGNORE_SUFFIX)) != nullptr;) {
        if (!m_optionsReported) {  // once per video, not once per segment
            core::logger("media")->warn("The {} encoder has no option '{}'; it is ignored.",
                                        config.codec->name, e->key);
        }
    }
    m_optionsReported = true;
    av_dict_free(&encoderOptions);
    if (opened < 0) {
        m_encoder.reset();
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("Cannot open the {} encoder for '{}' ({}x{}, {}): {}. The "
                                "encoder refuses this preset, quality or pixel format.",
                                config.codec->name, m_target.string(), config.width, config.height,
                                av_get_pix_fmt_name(config.format), ff::errorText(opened)),
                    core::Remedy::EncoderOptions, m_target.string());
    }
    return {};
}

/// Fills the frame buffer with black and sends it to the encoder.
int SegmentEncoder::sendBlackFrame() {
    AVFrame& f = *m_frame;
    if (const int rc = av_frame_make_writable(&f); rc < 0) {
        return rc;
    }
    const std::array<std::ptrdiff_t, 4> lines{f.linesize[0], f.linesize[1], f.linesize[2],
                                              f.linesize[3]};
    av_image_fill_black(f.data, lines.data(), m_config.format, m_config.range, f.width, f.height);
    f.pts = 0;
    const int rc = avcodec_send_frame(m_encoder.get(), &f);
    m_frames += rc >= 0 ? 1 : 0;
    return rc;
}

void SegmentEncoder::discard() {
    if (m_encoder && (m_frames > 0 || sendBlackFrame() >= 0) &&
        avcodec_send_frame(m_encoder.get(), nullptr) >= 0) {
        while (avcodec_receive_packet(m_encoder.get(), m_packet.get()) >= 0) {
            av_packet_unref(m_packet.get());
        }
    }
    m_encoder.reset();
}

core::Result<SegmentHeader> SegmentEncoder::trial() {
    if (auto ok = open(); !ok) {
        return fail(ok.error());
    }
    const int rc = sendBlackFrame();
    SegmentHeader result = header();
    discard();
    if (rc < 0) {
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("The {} encoder cannot encode {}x{} {} frames for '{}': {}.",
                                m_config.codec->name, m_config.width, m_config.height,
                                av_get_pix_fmt_name(m_config.format), m_target.string(),
                                ff::errorText(rc)));
    }
    return result;
}

core::Result<void> SegmentEncoder::send(std::int64_t pts) {
    m_frame->pts = pts;
    if (const int rc = avcodec_send_frame(m_encoder.get(), m_frame.get()); rc < 0) {
        return fail(error(rc, "encode a frame for"));
    }
    ++m_frames;
    return {};
}

core::Result<void> SegmentEncoder::endStream() {
    if (const int rc = avcodec_send_frame(m_encoder.get(), nullptr); rc < 0) {
        return fail(error(rc, "finish encoding"));
    }
    return {};
}

core::Result<bool> SegmentEncoder::receive(AVPacket& packet) {
    const int rc = avcodec_receive_packet(m_encoder.get(), &packet);
    if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) {
        return false;
    }
    if (rc < 0) {
        return fail(error(rc, "encode the video for"));
    }
    return true;
}

}  // namespace upscale::media
