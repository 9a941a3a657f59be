#include "segment_join.hpp"

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "ffmpeg_handles.hpp"
#include "segment_file.hpp"
#include "stream_copier.hpp"

namespace upscale::media {
namespace fs = std::filesystem;

namespace {

using core::ErrorCode;
using core::fail;

core::Error writeError(int rc, const fs::path& target) {
    const int errnum = AVUNERROR(rc);
    return core::Error{core::ioErrorCode(errnum),
                       fmt::format("Cannot write '{}': {}. Free some space on the disk or choose "
                                   "another output folder.",
                                   target.string(), ff::errorText(rc)),
                       core::Remedy::Resume, target.string()};
}

/// Decode timestamps for packets in decode order with presentation timestamps `pts`: the
/// sorted presentation times, delayed by the largest reordering depth of any packet, so they
/// increase strictly and never pass a packet's own presentation time.
std::vector<std::int64_t> decodeTimes(const std::vector<std::int64_t>& pts) {
    const std::size_t n = pts.size();
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return pts[a] < pts[b]; });
    std::vector<std::size_t> rank(n);
    for (std::size_t r = 0; r < n; ++r) {
        rank[order[r]] = r;
    }
    std::size_t delay = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (i > rank[i]) {
            delay = std::max(delay, i - rank[i]);
        }
    }
    std::vector<std::int64_t> sorted(n);
    for (std::size_t r = 0; r < n; ++r) {
        sorted[r] = pts[order[r]];
    }
    const std::int64_t step = n > 1 ? std::max<std::int64_t>(1, sorted[1] - sorted[0]) : 1;
    std::vector<std::int64_t> dts(n);
    for (std::size_t i = 0; i < n; ++i) {
        dts[i] = i >= delay ? sorted[i - delay]
                            : sorted[0] - static_cast<std::int64_t>(delay - i) * step;
    }
    return dts;
}

}  // namespace

core::Result<void> joinSegments(const JoinRequest& request) {
    if (request.segments.empty()) {
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("No frame was written to '{}'.", request.target.string()));
    }
    // First pass: the presentation times of every packet, and the stream's parameters.
    std::vector<std::int64_t> pts;
    SegmentHeader header;
    {
        ff::PacketPtr packet{av_packet_alloc()};
        for (std::size_t s = 0; s < request.segments.size(); ++s) {
            auto reader = SegmentFileReader::open(request.segments[s]);
            if (!reader) {
                return fail(reader.error());
            }
            if (s == 0) {
                header = reader->header();
            }
            for (;;) {
                auto more = reader->next(*packet, false);
                if (!more) {
                    return fail(more.error());
                }
                if (!*more) {
                    break;
                }
                pts.push_back(packet->pts);
            }
        }
    }
    const std::vector<std::int64_t> dts = decodeTimes(pts);

    const AVOutputFormat* container = av_guess_format(nullptr, request.target.c_str(), nullptr);
    AVFormatContext* rawOut = nullptr;
    avformat_alloc_output_context2(&rawOut, container, nullptr, request.writeTo.c_str());
    if (rawOut == nullptr) {
        return fail(ErrorCode::Internal, fmt::format("FFmpeg could not set up the container for "
                                                     "'{}'.",
                                                     request.target.string()));
    }
    ff::OutputPtr output(rawOut);
    // Timestamps are the source's own. Letting the muxer shift them to avoid a negative audio
    // start (Opus pre-skip, AAC priming) would move the video against the source on every pass.
    output->avoid_negative_ts = AVFMT_AVOID_NEG_TS_DISABLED;
    AVStream* stream = avformat_new_stream(output.get(), nullptr);
    if (stream == nullptr) {
        return fail(ErrorCode::OutOfMemory, "Out of memory setting up the video stream.");
    }
    header.toParameters(*stream->codecpar);
    stream->time_base = header.timeBase;
    if (header.frameRate.num > 0) {
        stream->avg_frame_rate = header.frameRate;
    }
    auto copier = StreamCopier::open(request.sourceFile, *output, stream, request.options);
    if (!copier) {
        return fail(copier.error());
    }
    if ((output->oformat->flags & AVFMT_NOFILE) == 0) {
        if (const int rc = avio_open(&output->pb, request.writeTo.c_str(), AVIO_FLAG_WRITE);
            rc < 0) {
            return fail(writeError(rc, request.target));
        }
    }
    if (const int rc = avformat_write_header(output.get(), nullptr); rc < 0) {
        return fail(writeError(rc, request.target));
    }

    // Second pass: the packets, interleaved with the copied streams up to their time.
    ff::PacketPtr packet{av_packet_alloc()};
    std::size_t i = 0;
    for (const auto& segment : request.segments) {
        auto reader = SegmentFileReader::open(segment);
        if (!reader) {
            return fail(reader.error());
        }
        for (;;) {
            auto more = reader->next(*packet);
            if (!more) {
                return fail(more.error());
            }
            if (!*more) {
                break;
            }
            packet->dts = dts.at(i++);
            packet->stream_index = stream->index;
            av_packet_rescale_ts(packet.get(), header.timeBase, stream->time_base);
            if (auto ok = (*copier)->copyUntil(packet->dts * av_q2d(stream->time_base)); !ok) {
                return ok;
            }
            if (const int rc = av_interleaved_write_frame(output.get(), packet.get()); rc < 0) {
                return fail(writeError(rc, request.target));
            }
        }
    }
    if (auto copied = (*copier)->copyUntil(request.untilSeconds); !copied) {
        return copied;
    }
    if (const int rc = av_write_trailer(output.get()); rc < 0) {
        return fail(writeError(rc, request.target));
    }
    if (output->pb != nullptr) {
        avio_flush(output->pb);
        if (output->pb->error < 0) {
            return fail(writeError(output->pb->error, request.target));
        }
        if (const int rc = avio_closep(&output->pb); rc < 0) {
            return fail(writeError(rc, request.target));
        }
    }
    return {};
}

}  // namespace upscale::media
