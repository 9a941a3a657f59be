#include "stream_converters.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

extern "C" {
#include <libavutil/audio_fifo.h>
#include <libswresample/swresample.h>
}

namespace upscale::media {

namespace {

using core::ErrorCode;
using core::fail;

struct SwrDeleter {
    void operator()(SwrContext* ctx) const { swr_free(&ctx); }
};
struct FifoDeleter {
    void operator()(AVAudioFifo* fifo) const { av_audio_fifo_free(fifo); }
};

ff::CodecPtr openDecoder(const AVStream& in) {
    const AVCodec* decoder = avcodec_find_decoder(in.codecpar->codec_id);
    if (decoder == nullptr) {
        return nullptr;
    }
    ff::CodecPtr dec(avcodec_alloc_context3(decoder));
    if (!dec || avcodec_parameters_to_context(dec.get(), in.codecpar) < 0) {
        return nullptr;
    }
    dec->pkt_timebase = in.time_base;
    if (avcodec_open2(dec.get(), decoder, nullptr) < 0) {
        return nullptr;
    }
    return dec;
}

core::Result<void> conversionError(const AVCodecContext& enc, int rc) {
    return fail(ErrorCode::Internal, "Converting a stream to " + std::string(enc.codec->name) +
                                         " failed: " + ff::errorText(rc) + ".");
}

/// Moves every packet the encoder has ready to `emit`.
core::Result<void> drainEncoder(AVCodecContext& enc, AVPacket& packet,
                                const PacketConverter::Emit& emit) {
    for (;;) {
        const int rc = avcodec_receive_packet(&enc, &packet);
        if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) {
            return {};
        }
        if (rc < 0) {
            return conversionError(enc, rc);
        }
        auto emitted = emit(packet);
        av_packet_unref(&packet);
        if (!emitted) {
            return emitted;
        }
    }
}

class SubtitleConverter final : public PacketConverter {
public:
    SubtitleConverter(ff::CodecPtr decoder, ff::CodecPtr encoder)
        : m_decoder(std::move(decoder)), m_encoder(std::move(encoder)) {}

    const AVCodecContext& encoder() const override { return *m_encoder; }

    core::Result<void> convert(const AVPacket* packet, const Emit& emit) override {
        if (packet == nullptr) {
            return {};
        }
        AVSubtitle subtitle{};
        int got = 0;
        if (avcodec_decode_subtitle2(m_decoder.get(), &subtitle, &got,
                                     const_cast<AVPacket*>(packet)) < 0 ||
            got == 0) {
            return {};
        }
        std::vector<std::uint8_t> buffer(64 * 1024);
        const int size = avcodec_encode_subtitle(m_encoder.get(), buffer.data(),
                                                 static_cast<int>(buffer.size()), &subtitle);
        avsubtitle_free(&subtitle);
        if (size <= 0 || av_new_packet(m_out.get(), size) < 0) {
            return {};
        }
        std::memcpy(m_out->data, buffer.data(), static_cast<std::size_t>(size));
        // The cue keeps the source packet's start and length (the encoder's time base is the
        // source stream's).
        m_out->pts = packet->pts;
        m_out->dts = packet->dts;
        m_out->duration = packet->duration;
        auto emitted = emit(*m_out);
        av_packet_unref(m_out.get());
        return emitted;
    }

private:
    ff::CodecPtr m_decoder, m_encoder;
    ff::PacketPtr m_out{av_packet_alloc()};
};

std::unique_ptr<PacketConverter> subtitleConverter(const AVStream& in, AVCodecID to) {
    const AVCodecDescriptor* desc = avcodec_descriptor_get(in.codecpar->codec_id);
    const AVCodec* encoder = avcodec_find_encoder(to);
    if (desc == nullptr || (desc->props & AV_CODEC_PROP_TEXT_SUB) == 0 || encoder == nullptr) {
        return nullptr;
    }
    ff::CodecPtr dec = openDecoder(in);
    ff::CodecPtr enc(avcodec_alloc_context3(encoder));
    if (!dec || !enc) {
        return nullptr;
    }
    enc->time_base = in.time_base;
    if (dec->subtitle_header != nullptr) {
        // The encoder owns its copy of the ASS header and frees it with the context.
        enc->subtitle_header =
            static_cast<std::uint8_t*>(av_mallocz(dec->subtitle_header_size + 1));
        if (enc->subtitle_header == nullptr) {
            return nullptr;
        }
        std::memcpy(enc->subtitle_header, dec->subtitle_header, dec->subtitle_header_size);
        enc->subtitle_header_size = dec->subtitle_header_size;
    }
    if (avcodec_open2(enc.get(), encoder, nullptr) < 0) {
        return nullptr;
    }
    return std::make_unique<SubtitleConverter>(std::move(dec), std::move(enc));
}

/// The encoder's sample rate closest to `rate` from above (else its highest).
int pickRate(const AVCodec& codec, int rate) {
    if (codec.supported_samplerates == nullptr) {
        return rate;
    }
    int best = 0, highest = 0;
    for (const int* r = codec.supported_samplerates; *r != 0; ++r) {
        highest = std::max(highest, *r);
        if (*r >= rate && (best == 0 || *r < best)) {
            best = *r;
        }
    }
    return best != 0 ? best : highest;
}

/// The encoder's sample format that keeps most of a source of `bits` bits.
AVSampleFormat pickFormat(const AVCodec& codec, int bits) {
    if (codec.sample_fmts == nullptr) {
        return AV_SAMPLE_FMT_FLTP;
    }
    AVSampleFormat best = codec.sample_fmts[0];
    for (const AVSampleFormat* f = codec.sample_fmts; *f != AV_SAMPLE_FMT_NONE; ++f) {
        const int size = av_get_bytes_per_sample(*f) * 8;
        if (size >= bits && av_get_bytes_per_sample(best) * 8 < bits) {
            best = *f;
        }
    }
    return best;
}

/// The source's channel layout when the encoder takes it, else the encoder's default layout
/// for as many channels, else stereo.
void pickLayout(const AVCodec& codec, const AVChannelLayout& source, AVChannelLayout& out) {
    AVChannelLayout wanted{};
    if (source.order == AV_CHANNEL_ORDER_UNSPEC || source.nb_channels == 0) {
        av_channel_layout_default(&wanted, std::max(1, source.nb_channels));
    } else {
        av_channel_layout_copy(&wanted, &source);
    }
    if (codec.ch_layouts == nullptr) {
        av_channel_layout_copy(&out, &wanted);
        av_channel_layout_uninit(&wanted);
        return;
    }
    for (const AVChannelLayout* l = codec.ch_layouts; l->nb_channels != 0; ++l) {
        if (av_channel_layout_compare(l, &wanted) == 0) {
            av_channel_layout_copy(&out, l);
            av_channel_layout_uninit(&wanted);
            return;
        }
    }
    const AVChannelLayout stereo = AV_CHANNEL_LAYOUT_STEREO;
    av_channel_layout_copy(&out, &stereo);
    av_channel_layout_uninit(&wanted);
}

class AudioConverter final : public PacketConverter {
public:
    AudioConverter(ff::CodecPtr decoder, ff::CodecPtr encoder, AVRational inTimeBase)
        : m_decoder(std::move(decoder)), m_encoder(std::move(encoder)), m_inTimeBase(inTimeBase) {
        m_chunkSize = m_encoder->frame_size > 0 ? m_encoder->frame_size : 1024;
    }

    const AVCodecContext& encoder() const override { return *m_encoder; }

    core::Result<void> convert(const AVPacket* packet, const Emit& emit) override {
        if (m_flushed) {
            return {};
        }
        if (const int rc = avcodec_send_packet(m_decoder.get(), packet);
            rc < 0 && rc != AVERROR_EOF && packet != nullptr) {
            return {};  // a damaged packet: its samples are missing, as a player would skip them
        }
        for (;;) {
            const int rc = avcodec_receive_frame(m_decoder.get(), m_decoded.get());
            if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) {
                break;
            }
            if (rc < 0) {
                return {};
            }
            auto taken = take(*m_decoded, emit);
            av_frame_unref(m_decoded.get());
            if (!taken) {
                return taken;
            }
        }
        if (packet != nullptr) {
            return {};
        }
        m_flushed = true;
        if (m_swr) {  // what the resampler holds back
            if (auto ok = resample(nullptr); !ok) {
                return ok;
            }
        }
        if (auto ok = encodeChunks(emit, true); !ok) {
            return ok;
        }
        if (const int rc = avcodec_send_frame(m_encoder.get(), nullptr); rc < 0) {
            return conversionError(*m_encoder, rc);
        }
        return drainEncoder(*m_encoder, *m_packet, emit);
    }

private:
    core::Result<void> take(const AVFrame& frame, const Emit& emit) {
        if (!m_swr) {
            SwrContext* swr = nullptr;
            AVChannelLayout from{};
            if (frame.ch_layout.order == AV_CHANNEL_ORDER_UNSPEC) {
                av_channel_layout_default(&from, frame.ch_layout.nb_channels);
            } else {
                av_channel_layout_copy(&from, &frame.ch_layout);
            }
            const int rc = swr_alloc_set_opts2(
                &swr, &m_encoder->ch_layout, m_encoder->sample_fmt, m_encoder->sample_rate, &from,
                static_cast<AVSampleFormat>(frame.format), frame.sample_rate, 0, nullptr);
            av_channel_layout_uninit(&from);
            if (rc < 0 || swr_init(swr) < 0) {
                swr_free(&swr);
                return fail(ErrorCode::Internal, "Cannot set up the audio resampler.");
            }
            m_swr.reset(swr);
            m_fifo.reset(av_audio_fifo_alloc(m_encoder->sample_fmt,
                                             m_encoder->ch_layout.nb_channels, m_chunkSize));
            const std::int64_t ts =
                frame.best_effort_timestamp != AV_NOPTS_VALUE ? frame.best_effort_timestamp : 0;
            m_nextPts = av_rescale_q(ts, m_inTimeBase, m_encoder->time_base);
        }
        if (auto ok = resample(&frame); !ok) {
            return ok;
        }
        return encodeChunks(emit, false);
    }

    core::Result<void> resample(const AVFrame* frame) {
        m_resampled->format = m_encoder->sample_fmt;
        m_resampled->sample_rate = m_encoder->sample_rate;
        av_channel_layout_copy(&m_resampled->ch_layout, &m_encoder->ch_layout);
        const int rc = swr_convert_frame(m_swr.get(), m_resampled.get(), frame);
        if (rc < 0) {
            av_frame_unref(m_resampled.get());
            return conversionError(*m_encoder, rc);
        }
        if (m_resampled->nb_samples > 0 &&
            av_audio_fifo_write(m_fifo.get(), reinterpret_cast<void**>(m_resampled->data),
                                m_resampled->nb_samples) < m_resampled->nb_samples) {
            av_frame_unref(m_resampled.get());
            return fail(ErrorCode::OutOfMemory, "Out of memory converting audio.");
        }
        av_frame_unref(m_resampled.get());
        return {};
    }

    /// Encodes the whole chunks in the FIFO; at the end also the last, shorter one.
    core::Result<void> encodeChunks(const Emit& emit, bool last) {
        if (!m_fifo) {
            return {};
        }
        const bool smallLast =
            (m_encoder->codec->capabilities &
             (AV_CODEC_CAP_SMALL_LAST_FRAME | AV_CODEC_CAP_VARIABLE_FRAME_SIZE)) != 0;
        while (av_audio_fifo_size(m_fifo.get()) >= m_chunkSize ||
               (last && av_audio_fifo_size(m_fifo.get()) > 0)) {
            const int available = std::min(av_audio_fifo_size(m_fifo.get()), m_chunkSize);
            AVFrame& chunk = *m_chunk;
            chunk.nb_samples = smallLast ? available : m_chunkSize;
            chunk.format = m_encoder->sample_fmt;
            chunk.sample_rate = m_encoder->sample_rate;
            av_channel_layout_copy(&chunk.ch_layout, &m_encoder->ch_layout);
            if (av_frame_get_buffer(&chunk, 0) < 0) {
                return fail(ErrorCode::OutOfMemory, "Out of memory converting audio.");
            }
            av_samples_set_silence(chunk.data, 0, chunk.nb_samples, chunk.ch_layout.nb_channels,
                                   m_encoder->sample_fmt);
            av_audio_fifo_read(m_fifo.get(), reinterpret_cast<void**>(chunk.data), available);
            chunk.pts = m_nextPts;
            m_nextPts += available;
            const int rc = avcodec_send_frame(m_encoder.get(), &chunk);
            av_frame_unref(&chunk);
            if (rc < 0) {
                return conversionError(*m_encoder, rc);
            }
            if (auto ok = drainEncoder(*m_encoder, *m_packet, emit); !ok) {
                return ok;
            }
        }
        return {};
    }

    ff::CodecPtr m_decoder, m_encoder;
    AVRational m_inTimeBase;
    std::unique_ptr<SwrContext, SwrDeleter> m_swr;
    std::unique_ptr<AVAudioFifo, FifoDeleter> m_fifo;
    ff::FramePtr m_decoded{av_frame_alloc()}, m_resampled{av_frame_alloc()},
        m_chunk{av_frame_alloc()};
    ff::PacketPtr m_packet{av_packet_alloc()};
    int m_chunkSize = 1024;
    std::int64_t m_nextPts = 0;
    bool m_flushed = false;
};

std::unique_ptr<PacketConverter> audioConverter(const AVStream& in, AVCodecID to) {
    const AVCodec* encoder = avcodec_find_encoder(to);
    ff::CodecPtr dec = openDecoder(in);
    if (encoder == nullptr || !dec) {
        return nullptr;
    }
    ff::CodecPtr enc(avcodec_alloc_context3(encoder));
    if (!enc) {
        return nullptr;
    }
    const int bits = dec->bits_per_raw_sample > 0 ? dec->bits_per_raw_sample
                                                  : av_get_bytes_per_sample(dec->sample_fmt) * 8;
    enc->sample_rate = pickRate(*encoder, dec->sample_rate);
    enc->sample_fmt = pickFormat(*encoder, bits);
    pickLayout(*encoder, dec->ch_layout, enc->ch_layout);
    enc->time_base = AVRational{1, enc->sample_rate};
    if (to == AV_CODEC_ID_FLAC) {
        enc->bits_per_raw_sample = std::min(bits, 24);
    } else {
        constexpr int kBitsPerChannel = 96000;  // transparent for AAC and Opus
        enc->bit_rate = static_cast<std::int64_t>(kBitsPerChannel) * enc->ch_layout.nb_channels;
    }
    // Every output container here keeps the codec's setup in its stream header.
    enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    if (enc->sample_rate <= 0 || avcodec_open2(enc.get(), encoder, nullptr) < 0) {
        return nullptr;
    }
    return std::make_unique<AudioConverter>(std::move(dec), std::move(enc), in.time_base);
}

}  // namespace

std::unique_ptr<PacketConverter> makeConverter(const AVStream& in, AVCodecID to) {
    const ff::QuietLog quiet;
    if (in.codecpar->codec_type == AVMEDIA_TYPE_AUDIO) {
        return audioConverter(in, to);
    }
    if (in.codecpar->codec_type == AVMEDIA_TYPE_SUBTITLE) {
        return subtitleConverter(in, to);
    }
    return nullptr;
}

}  // namespace upscale::media
